"""The Settings page: one tab per kind of setting."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ..messages import MessageBridge
from ..qt import QTabWidget, QVBoxLayout, QWidget, Signal
from ..widgets import heading, scrolling
from .calendars_page import CalendarsPage
from .mail_page import MailPage
from .members_page import MembersPage
from .pools_page import PoolsPage
from .profile_page import ProfilePage
from .relay_page import RelayPage
from .reminders_page import RemindersPage
from .rooms_page import RoomsPage


class SettingsPage(QWidget):
    changed = Signal()

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self.profile = ProfilePage(app, bridge)
        self.calendars = CalendarsPage(app, bridge)
        self.members = MembersPage(app, bridge)
        self.rooms = RoomsPage(app, bridge)
        self.pools = PoolsPage(app, bridge)
        self.mail = MailPage(app, bridge)
        self.relay = RelayPage(app, bridge)
        self.reminders = RemindersPage(app, bridge)
        self.tabs = QTabWidget()
        self._pages: list[QWidget] = []
        for tab, title in (
            (self.profile, "Profile"),
            (self.calendars, "Calendars"),
            (self.members, "Team members"),
            (self.rooms, "Rooms"),
            (self.pools, "Resource pools"),
            (self.mail, "Mail sending"),
            (self.relay, "Relay"),
            (self.reminders, "Reminders"),
        ):
            self.tabs.addTab(scrolling(tab), title)
            self._pages.append(tab)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Settings"))
        layout.addWidget(self.tabs, 1)
        for page in (self.profile, self.members, self.rooms, self.pools):
            page.changed.connect(self.changed)
        self.members.changed.connect(self.pools.refresh)
        self.rooms.changed.connect(self.pools.refresh)

    def show_tab(self, tab: QWidget) -> None:
        self.tabs.setCurrentIndex(self._pages.index(tab))

    def refresh(self) -> None:
        for page in (self.profile, self.members, self.rooms, self.pools, self.calendars):
            page.refresh()
        self.relay.refresh()
        self.reminders.refresh()
