"""Starting the desktop application on a qasync event loop."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from ..application.facade import InviteOnce
from ..assets import resource
from .icons import icon
from .messages import install_excepthook
from .qt import QApplication, QEventLoop, QSettings


def make_qt_app() -> QApplication:
    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qt_app.setApplicationName("InviteOnce")
    qt_app.setOrganizationName("InviteOnce")
    qt_app.setApplicationDisplayName("InviteOnce")
    qt_app.setDesktopFileName("inviteonce")
    qt_app.setWindowIcon(icon("inviteonce"))
    qt_app.setQuitOnLastWindowClosed(False)
    qt_app.setStyleSheet(resource("styles", "app.qss").read_text("utf-8"))
    return qt_app


def preferences_for(home: Path) -> QSettings:
    """Window geometry and other view preferences, kept beside the workspace."""
    return QSettings(str(home / "desktop.ini"), QSettings.Format.IniFormat)


def run_app(home: Path, demo: bool = False) -> int:
    qt_app = make_qt_app()
    loop = QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    install_excepthook()
    app = InviteOnce.open(home)
    try:
        if demo:
            from ..application.demo import seed_demo

            seed_demo(app)
        from .shell import Shell

        shell = Shell(app, preferences_for(home))
        code: int = loop.run_until_complete(shell.run())
        return code
    finally:
        app.close()
        loop.close()
        asyncio.set_event_loop(None)
