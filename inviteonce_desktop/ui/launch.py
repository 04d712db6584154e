"""Starting the desktop application."""

from __future__ import annotations

import sys
from pathlib import Path

from ..application.facade import InviteOnce
from .main_window import MainWindow
from .qt import QApplication


def run_app(home: Path, demo: bool = False) -> int:
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("InviteOnce")
    qt_app.setOrganizationName("InviteOnce")
    app = InviteOnce.open(home)
    try:
        if demo:
            from ..application.demo import seed_demo

            seed_demo(app)
        window = MainWindow(app)
        window.show()
        return int(qt_app.exec())
    finally:
        app.close()
