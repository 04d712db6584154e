"""The Schedule page: the way into the wizard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .icons import icon
from .qt import QHBoxLayout, QLabel, QPushButton, QSize, QVBoxLayout, QWidget, Signal
from .widgets import heading, hint

if TYPE_CHECKING:
    from ..application.facade import InviteOnce


class SchedulePage(QWidget):
    invite_requested = Signal()
    quick_invite_requested = Signal()

    def __init__(self, app: InviteOnce | None = None) -> None:
        """Without *app* the page waits, its buttons off, until :meth:`attach` gives one."""
        super().__init__()
        self._app = app
        self.invite = QPushButton(icon("invite"), "&Invite to self-schedule")
        self.invite.setObjectName("primary")
        self.invite.setIconSize(QSize(24, 24))
        self.invite.setMinimumHeight(48)
        self.invite.setAccessibleName("Invite to self-schedule")
        self.invite.setDefault(True)
        self.quick = QPushButton(icon("quick-invite"), "&Quick invite...")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.invite)
        row.addWidget(self.quick)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(heading("Schedule"))
        layout.addWidget(
            hint(
                "Invite a customer to pick a time that suits everyone. They get one link, "
                "choose a slot, and the meeting lands in every calendar."
            )
        )
        layout.addSpacing(16)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.invite.clicked.connect(self.invite_requested)
        self.quick.clicked.connect(self.quick_invite_requested)
        self.refresh()

    def attach(self, app: InviteOnce) -> None:
        self._app = app
        self.refresh()

    def refresh(self) -> None:
        if self._app is None:
            self.summary.setText("Opening your workspace...")
            self.invite.setEnabled(False)
            self.quick.setEnabled(False)
            return
        members = len(self._app.members())
        rooms = len(self._app.rooms())
        zone = self._app.profile_zone()
        self.summary.setText(
            f"{members} team member{'s' if members != 1 else ''}, "
            f"{rooms} room{'s' if rooms != 1 else ''}; times in {zone}."
            + ("" if members else " Add team members in Settings first.")
        )
        self.invite.setEnabled(members > 0)
        self.quick.setEnabled(members > 0)
