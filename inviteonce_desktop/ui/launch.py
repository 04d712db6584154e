"""Starting the desktop application on a qasync event loop.

The main window is on screen first, as a frame that says the workspace is
opening; the application layer (SQLAlchemy and the rest, the slow part of a
start) is imported in a worker thread while the window paints, then the
workspace opens and the pages fill.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..application.errors import user_message
from ..assets import resource
from .icons import icon
from .main_window import MainWindow
from .messages import MessageBridge, install_excepthook
from .qt import QApplication, QEventLoop, QSettings, QSystemTrayIcon

if TYPE_CHECKING:
    from ..application.facade import InviteOnce
    from .shell import Shell

log = logging.getLogger(__name__)


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


SECRETS_CLOSED = (
    "The secrets file stays closed, so InviteOnce cannot reach your calendars and mail; "
    "start it again to enter the passphrase."
)


def preferences_for(home: Path) -> QSettings:
    """Window geometry and other view preferences, kept beside the workspace."""
    return QSettings(str(home / "desktop.ini"), QSettings.Format.IniFormat)


def run_app(home: Path, demo: bool = False, minimized: bool = False) -> int:
    """The window on *home*; *minimized* (as at login) shows only the tray icon, if any."""
    qt_app = make_qt_app()
    loop = QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    install_excepthook()
    window = MainWindow(MessageBridge(), preferences_for(home))
    hidden = minimized and QSystemTrayIcon.isSystemTrayAvailable()
    if not hidden:
        window.show()
    try:
        code: int = loop.run_until_complete(run_window(window, home, demo, hidden))
        return code
    finally:
        loop.close()
        asyncio.set_event_loop(None)


async def run_window(window: MainWindow, home: Path, demo: bool, hidden: bool = False) -> int:
    """Open the workspace behind *window* and run until the user quits."""
    closed = asyncio.get_running_loop().create_future()

    def on_closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.closed.connect(on_closed)
    shell = await load_workspace(window, home, demo)
    if shell is not None:
        shell.start_hidden = hidden
    if shell is None:
        await closed
        return 1
    window.closed.disconnect(on_closed)
    try:
        if closed.done():
            return 0
        return await shell.run()
    finally:
        shell.window.app.close()


async def load_workspace(
    window: MainWindow, home: Path, demo: bool = False, tray_available: bool | None = None
) -> Shell | None:
    """Open the workspace in *home* for *window*, already on screen, and fill its pages.

    Returns the shell to run, or None once the window has said, in one sentence, why
    the workspace cannot be opened.
    """
    try:
        facade = await asyncio.to_thread(_import_application, demo)
        app = facade.open(home)
    except Exception as error:
        window.show_opening_failed(opening_failure(error, home))
        return None
    if app.secrets_locked():
        from .passphrase import ask_passphrase

        if not await ask_passphrase(app, window):
            app.close()
            window.show_opening_failed(SECRETS_CLOSED)
            window.close()
            return None
    try:
        if demo:
            from ..application.demo import seed_demo

            seed_demo(app)
    except Exception as error:
        app.close()
        window.show_opening_failed(opening_failure(error, home))
        return None
    from .shell import Shell

    return Shell(app, window.preferences, tray_available, window=window, demo=demo)


def _import_application(demo: bool) -> type[InviteOnce]:
    """The facade, imported off the GUI thread (SQLAlchemy and the models take a while)."""
    from ..application.facade import InviteOnce

    if demo:
        from ..application import demo as _demo  # noqa: F401

    return InviteOnce


def opening_failure(error: Exception, home: Path) -> str:
    """One sentence for the window on why the workspace in *home* did not open."""
    if isinstance(error, OSError) and error.strerror:
        return f"The workspace folder {home} cannot be used: {error.strerror}."
    text = user_message(error)
    if text is not None:
        return text
    log.error("The workspace in %s did not open", home, exc_info=error)
    return (
        f"The workspace in {home} cannot be opened; "
        "another program may be using it, or its files may be damaged."
    )
