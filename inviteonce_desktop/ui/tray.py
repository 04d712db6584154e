"""The system tray: Quick invite, Open, the next meetings, Reconnect, Quit; notifications.

Where the desktop has no tray (``QSystemTrayIcon.isSystemTrayAvailable()`` is
False), the same menu lives in the window's File menu and notifications go to
the status bar; closing the window then quits.
"""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import Any

from ..application.facade import InviteOnce
from ..core.meeting import Meeting, MeetingStatus
from ..core.timezones import zone
from .icons import icon
from .messages import MessageBridge
from .qt import QAction, QMenu, QObject, QSystemTrayIcon, Signal, Slot
from .reconnect import needing_reconnect

NEXT_MEETINGS = 5


class Tray(QObject):
    quick_invite_requested = Signal()
    open_requested = Signal()
    quit_requested = Signal()
    reconnect_requested = Signal(int)
    """The account id of a calendar to sign in to again."""

    def __init__(self, app: InviteOnce, bridge: MessageBridge, available: bool) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.menu = QMenu()
        self.quick_invite = self.menu.addAction(icon("quick-invite"), "Q&uick invite...")
        self.open = self.menu.addAction(icon("inviteonce"), "&Open InviteOnce")
        self.next_meetings = self.menu.addMenu(icon("calendar"), "&Next meetings")
        self.reconnect_separator = self.menu.addSeparator()
        self.reconnect_actions: list[Any] = []
        self.menu.addSeparator()
        self.quit = self.menu.addAction(icon("quit"), "&Quit")
        self.icon: QSystemTrayIcon | None = None
        if available:
            self.icon = QSystemTrayIcon(icon("inviteonce"))
            self.icon.setToolTip("InviteOnce")
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self.on_activated)
            self.icon.show()
        self.quick_invite.triggered.connect(self.quick_invite_requested)
        self.open.triggered.connect(self.open_requested)
        self.quit.triggered.connect(self.quit_requested)
        self.menu.aboutToShow.connect(self.refresh_next_meetings)
        self.menu.aboutToShow.connect(self.refresh_reconnect)
        self.refresh_next_meetings()
        self.refresh_reconnect()

    @Slot()
    def refresh_reconnect(self) -> None:
        """A "Reconnect <calendar>" entry for each account whose sign-in was refused."""
        for action in self.reconnect_actions:
            self.menu.removeAction(action)
        self.reconnect_actions = []
        for account in needing_reconnect(self._app):
            action = QAction(icon("calendar"), f"&Reconnect {account.name}...", self.menu)
            action.triggered.connect(lambda _=False, a=account.id: self.reconnect_requested.emit(a))
            self.menu.insertAction(self.reconnect_separator, action)
            self.reconnect_actions.append(action)

    @property
    def available(self) -> bool:
        return self.icon is not None

    @Slot()
    def refresh_next_meetings(self) -> None:
        self.next_meetings.clear()
        now = self._app.now()
        upcoming = [
            m for m in self._app.meetings() if m.end > now and m.status != MeetingStatus.CANCELLED
        ][:NEXT_MEETINGS]
        tz = zone(self._app.profile_zone())
        for meeting in upcoming:
            label = f"{meeting.start.astimezone(tz):%a %d %b %H:%M}  {meeting.subject}"
            action = self.next_meetings.addAction(f"{label} with {meeting.participant_name}")
            action.triggered.connect(self.open_requested)
        if not upcoming:
            self.next_meetings.addAction("No meetings booked yet").setEnabled(False)

    @Slot(QSystemTrayIcon.ActivationReason)
    def on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.open_requested.emit()

    @Slot(object)
    def notify(self, title: str, text: str) -> None:
        """A balloon from the tray icon (when there is one)."""
        if self.icon is not None:
            self.icon.showMessage(title, text, icon("inviteonce"), 8000)

    def notify_booking(self, meeting: Meeting) -> None:
        """A new booking, or a booked meeting that moved or was cancelled."""
        tz = zone(self._app.profile_zone())
        title, text = booking_notice(meeting, tz)
        if self.icon is not None:
            self.icon.showMessage(title, text, icon("inviteonce"), 8000)
        self._bridge.show_info(text)
        self.refresh_next_meetings()

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()


def booking_notice(meeting: Meeting, tz: tzinfo) -> tuple[str, str]:
    """The tray's title and sentence for what happened to *meeting*."""
    start = meeting.start.astimezone(tz)
    minutes = int((meeting.end - meeting.start) / timedelta(minutes=1))
    when = f"{start:%a %d %b, %H:%M} ({minutes} min)"
    if meeting.status == MeetingStatus.CANCELLED:
        return (
            "Meeting cancelled",
            f"{meeting.subject} with {meeting.participant_name} on {when} is cancelled.",
        )
    if meeting.sequence:
        return (
            "Meeting moved",
            f"{meeting.subject} with {meeting.participant_name} moved to {when}.",
        )
    return "New meeting booked", f"{meeting.participant_name} booked {meeting.subject}: {when}."
