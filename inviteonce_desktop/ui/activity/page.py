"""The Activity stream: Invitations and Meetings on two tabs."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ..messages import MessageBridge
from ..qt import QTabWidget, QVBoxLayout, QWidget
from ..widgets import heading
from .invitations_page import InvitationsPage
from .meetings_page import MeetingsPage


class ActivityPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self.invitations = InvitationsPage(app, bridge)
        self.meetings = MeetingsPage(app, bridge)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.invitations, "&Invitations")
        self.tabs.addTab(self.meetings, "&Meetings")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Activity"))
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        self.invitations.refresh()
        self.meetings.refresh()
