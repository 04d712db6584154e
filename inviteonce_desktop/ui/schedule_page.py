"""The Schedule page: the organizer's home.

The two ways to invite, then what needs the organizer: the next meetings, the
invitations that wait for a customer, and anything that failed on its way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.invitation import InvitationStatus
from ..core.meeting import MeetingStatus
from ..core.timezones import zone
from .icons import icon
from .qt import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSize,
    QStandardItem,
    QStandardItemModel,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import heading, hint

if TYPE_CHECKING:
    from ..application.facade import InviteOnce

SHOWN = 5


class Section(QGroupBox):
    """A titled short list with its own empty state."""

    def __init__(self, title: str, empty: str) -> None:
        super().__init__(title)
        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(title)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.setMinimumHeight(60)
        self.view.setMaximumHeight(150)
        self.empty = QLabel(empty)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addStretch(0)

    def set_lines(self, lines: list[str]) -> None:
        self.model.clear()
        for line in lines[:SHOWN]:
            item = QStandardItem(line)
            item.setToolTip(line)
            self.model.appendRow(item)
        if len(lines) > SHOWN:
            more = QStandardItem(f"and {len(lines) - SHOWN} more in Activity")
            more.setEnabled(False)
            self.model.appendRow(more)
        self.view.setVisible(bool(lines))
        self.empty.setVisible(not lines)

    def lines(self) -> list[str]:
        return [self.model.item(row).text() for row in range(self.model.rowCount())]


class SchedulePage(QWidget):
    invite_requested = Signal()
    quick_invite_requested = Signal()
    activity_requested = Signal()

    def __init__(self, app: InviteOnce | None = None) -> None:
        """Without *app* the page waits, its buttons off, until :meth:`attach` gives one."""
        super().__init__()
        self._app = app
        self.invite = QPushButton(icon("invite", on_accent=True), "&Invite to self-schedule")
        self.invite.setObjectName("primary")
        self.invite.setIconSize(QSize(22, 22))
        self.invite.setMinimumHeight(44)
        self.invite.setAccessibleName("Invite to self-schedule")
        self.invite.setDefault(True)
        self.quick = QPushButton(icon("quick-invite"), "&Quick invite...")
        self.quick.setMinimumHeight(44)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.upcoming = Section("Upcoming meetings", "No meetings booked yet.")
        self.waiting = Section(
            "Invitations waiting for a customer", "No invitation waits for a customer."
        )
        self.attention = Section("Needs your attention", "Nothing failed. All is on its way.")
        self.show_activity = QPushButton(icon("activity"), "Show everything in A&ctivity")
        self._lay_out()
        self.invite.clicked.connect(self.invite_requested)
        self.quick.clicked.connect(self.quick_invite_requested)
        self.show_activity.clicked.connect(self.activity_requested)
        self.refresh()

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.invite)
        row.addWidget(self.quick)
        row.addStretch(1)
        cards = QGridLayout()
        cards.addWidget(self.upcoming, 0, 0)
        cards.addWidget(self.waiting, 0, 1)
        cards.addWidget(self.attention, 0, 2)
        for column in range(3):
            cards.setColumnStretch(column, 1)
        more = QHBoxLayout()
        more.addStretch(1)
        more.addWidget(self.show_activity)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading("Schedule"))
        layout.addWidget(
            hint(
                "Invite a customer to pick a time that suits everyone. They get one link, "
                "choose a slot, and the meeting lands in every calendar."
            )
        )
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addSpacing(4)
        layout.addWidget(self.summary)
        layout.addSpacing(12)
        layout.addLayout(cards)
        layout.addLayout(more)
        layout.addStretch(1)

    def attach(self, app: InviteOnce) -> None:
        self._app = app
        self.refresh()

    def refresh(self) -> None:
        if self._app is None:
            self.summary.setText("Opening your workspace...")
            self.invite.setEnabled(False)
            self.quick.setEnabled(False)
            for section in (self.upcoming, self.waiting, self.attention):
                section.set_lines([])
            return
        members = len(self._app.members())
        rooms = len(self._app.rooms())
        time_zone = self._app.profile_zone()
        self.summary.setText(
            f"{members} team member{'s' if members != 1 else ''}, "
            f"{rooms} room{'s' if rooms != 1 else ''}; times in {time_zone}."
            + ("" if members else " Add team members in Settings first.")
        )
        self.invite.setEnabled(members > 0)
        self.quick.setEnabled(members > 0)
        self._fill(time_zone)

    def _fill(self, time_zone: str) -> None:
        from ..application.delivery import DeliveryKind

        assert self._app is not None
        tz = zone(time_zone)
        now = self._app.now()
        meetings = sorted(
            (
                m
                for m in self._app.meetings()
                if m.end > now and m.status != MeetingStatus.CANCELLED
            ),
            key=lambda m: m.start,
        )
        self.upcoming.set_lines(
            [
                f"{m.start.astimezone(tz):%a %d %b, %H:%M}  {m.subject} with {m.participant_name}"
                for m in meetings
            ]
        )
        waiting: list[str] = []
        failed: list[str] = []
        for entry in self._app.invitation_list():
            invitation = entry.invitation
            title = f"{invitation.details.subject} with {invitation.participant.name}"
            delivery = self._app.delivery(invitation)
            if delivery.kind == DeliveryKind.FAILED:
                failed.append(f"{title}: {delivery.reason}")
            elif invitation.status == InvitationStatus.PENDING:
                ends = invitation.expires_at
                until = f", open until {ends.astimezone(tz):%a %d %b}" if ends else ""
                waiting.append(f"{title}{until}")
        self.waiting.set_lines(waiting)
        self.attention.set_lines(failed)
