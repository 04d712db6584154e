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
        demo: bool = False,
    ) -> None:
        """*window* is a frame already on screen (see :mod:`.launch`) that gets *app* here;
        without one, the shell makes its window from *preferences*."""
        super().__init__()
        self._app = app
        self._demo = demo
        self._preferences = preferences
        self.start_hidden = False
        """Start in the tray (``--minimized``, as at login): no window until asked for."""
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
        self.tray.reconnect_requested.connect(self.on_reconnect_requested)
        self.background.booked.connect(self.window.on_booking)
        self.background.booked.connect(self.tray.notify_booking)
        self.background.online_changed.connect(self.window.on_online_changed)
        self.window.hidden_to_tray.connect(self.on_hidden_to_tray)
        self.window.invitation_created.connect(self.on_invitation_created)
        if not self.tray.available:
            self.window.show_next_meetings(self.tray.next_meetings)
            self.window.file_menu.aboutToShow.connect(self.tray.refresh_next_meetings)

    def show(self) -> None:
        if not self.start_hidden:
            self.window.show()
        if self._app.profile() is None:
            dialog = FirstRunDialog(self._app, self.window)
            dialog.accepted.connect(lambda: self.on_first_run_done(dialog.choice))
            dialog.open()

    @Slot(int)
    def on_reconnect_requested(self, account_id: int) -> None:
        """From the tray: Settings → Calendars, and the sign-in starts at once."""
        self.window.bring_to_front()
        self.window.show_page(Page.SETTINGS)
        calendars = self.window.settings.calendars
        self.window.settings.show_tab(calendars)
        calendars.reconnect_account(account_id)

    def on_first_run_done(self, choice: Start | None) -> None:
        self.window.settings.refresh()
        self.window.schedule.refresh()
        self.window.show_page(Page.SETTINGS)
        self.window.settings.show_tab(
            self.window.settings.calendars
            if choice == Start.CONNECT
            else self.window.settings.members
        )

    @Slot()
    def on_hidden_to_tray(self) -> None:
        """Say once that closing the window leaves InviteOnce running in the tray."""
        if self._preferences.value("tray/close_notice_shown", False, type=bool):
            return
        self._preferences.setValue("tray/close_notice_shown", True)
        self.tray.notify(
            "InviteOnce is still running",
            "Bookings, emails and calendar updates keep going while the window is closed. "
            "Quit from the tray icon's menu.",
        )

    @Slot(object)
    def on_invitation_created(self, created: object) -> None:
        """After the first invitation, start at login in the tray (once, with a notice).

        Only with a tray to start into, never for the demo, never against a choice made
        in Settings, Relay.
        """
        if self._demo or not self.tray.available:
            return
        with self.bridge.operation():
            if self._app.autostart_after_first_invitation():
                self.tray.notify(
                    "InviteOnce now starts when you log in",
                    "So bookings reach your calendar while the window is closed. "
                    "Turn this off in Settings, Relay.",
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
        await self.window.finish_pending()
        await self.background.stop()
        self.window.keep_in_tray = False
        self.window.hide()
        return 0
