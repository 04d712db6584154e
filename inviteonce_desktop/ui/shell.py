"""The running desktop application: window, tray, quick invite and background work together."""

from __future__ import annotations

import asyncio

from ..application.facade import InviteOnce
from .background import Background
from .first_run import FirstRunDialog, Start
from .main_window import MainWindow, Page
from .messages import MessageBridge
from .qt import QObject, QSettings, QSystemTrayIcon, Slot
from .quick_invite import QuickInviteDialog
from .tray import Tray


class Shell(QObject):
    def __init__(
        self,
        app: InviteOnce,
        preferences: QSettings,
        tray_available: bool | None = None,
        window: MainWindow | None = None,
    ) -> None:
        """*window* is a frame already on screen (see :mod:`.launch`) that gets *app* here;
        without one, the shell makes its window from *preferences*."""
        super().__init__()
        self._app = app
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        if window is None:
            window = MainWindow(MessageBridge(), preferences, app)
        else:
            window.attach(app)
        self.window = window
        self.bridge = window.bridge
        self.window.keep_in_tray = tray_available
        self.tray = Tray(app, self.bridge, tray_available)
        self.background = Background(app, self.bridge)
        self.quick_dialog: QuickInviteDialog | None = None
        self.finished = asyncio.get_event_loop().create_future()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.window.closed.connect(self.quit)
        self.window.quick_invite_requested.connect(self.open_quick_invite)
        self.tray.quick_invite_requested.connect(self.open_quick_invite)
        self.tray.open_requested.connect(self.window.bring_to_front)
        self.tray.quit_requested.connect(self.quit)
        self.background.booked.connect(self.window.on_booking)
        self.background.booked.connect(self.tray.notify_booking)
        self.background.online_changed.connect(self.window.on_online_changed)
        if not self.tray.available:
            self.window.show_next_meetings(self.tray.next_meetings)
            self.window.file_menu.aboutToShow.connect(self.tray.refresh_next_meetings)

    def show(self) -> None:
        self.window.show()
        if self._app.profile() is None:
            dialog = FirstRunDialog(self._app, self.window)
            dialog.accepted.connect(lambda: self.on_first_run_done(dialog.choice))
            dialog.open()

    def on_first_run_done(self, choice: Start | None) -> None:
        self.window.settings.refresh()
        self.window.schedule.refresh()
        self.window.show_page(Page.SETTINGS)
        tabs = self.window.settings.tabs
        tabs.setCurrentWidget(
            self.window.settings.calendars
            if choice == Start.CONNECT
            else self.window.settings.members
        )

    @Slot()
    def open_quick_invite(self) -> QuickInviteDialog:
        if self.quick_dialog is not None and self.quick_dialog.isVisible():
            self.quick_dialog.raise_()
            return self.quick_dialog
        parent = self.window if self.window.isVisible() else None
        dialog = QuickInviteDialog(self._app, self.bridge, parent)
        dialog.sent.connect(self.window.on_invitation_created)
        dialog.show()
        self.quick_dialog = dialog
        return dialog

    @Slot()
    def quit(self) -> None:
        self.window.save_geometry()
        self.tray.hide()
        if not self.finished.done():
            self.finished.set_result(None)

    async def run(self) -> int:
        """Show the window, run the background work, and return once the user quits."""
        self.show()
        self.background.start()
        await self.finished
        await self.background.stop()
        self.window.keep_in_tray = False
        self.window.hide()
        return 0
