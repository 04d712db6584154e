"""Step 1: Set your meeting details."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...core.errors import ValidationError
from ...core.invitation import MeetingType
from ...core.resources import TeamMember
from ...core.validation import clean_name
from ..checklist import CheckList
from ..qt import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    Slot,
)
from .duration_picker import DurationPicker
from .pages import StatePage, step_title
from .state import WizardState


def member_label(member: TeamMember, fallback_zone: str) -> str:
    """ "Ana Silva <ana@…> · Europe/Lisbon, Mon-Fri 09:00-17:00": who, where, and when they work."""
    hours = str(member.working_hours) if member.working_hours else "no working hours set"
    return f"{member.name} <{member.email}>  ·  {member.time_zone or fallback_zone}, {hours}"


class DetailsPage(StatePage):
    def __init__(self, app: InviteOnce) -> None:
        super().__init__(
            step_title(1, "Set your meeting details"), "What the meeting is and who attends."
        )
        self._app = app

    def build(self) -> None:
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Subject")
        self.duration = DurationPicker()
        self.members = CheckList("Team members")
        self.members.setMaximumHeight(110)
        self.add_description = QPushButton("Add descr&iption")
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText(
            "Shown in the team members' notifications and the calendar event."
        )
        self.description.setMaximumHeight(80)
        self.description.hide()
        self.conferencing = QLineEdit()
        self.conferencing.setAccessibleName("Conferencing information")
        self.conferencing.setPlaceholderText("A video link or dial-in details")
        self.meeting_type = QComboBox()
        self.meeting_type.setAccessibleName("Meeting type")
        for kind in MeetingType:
            self.meeting_type.addItem(kind.label, kind.value)
        self.location = QLineEdit()
        self.location.setAccessibleName("Location")
        self.rooms = CheckList("Rooms")
        self.rooms.setMaximumHeight(80)
        self.pools = CheckList("Resource pools")
        self.pools.setMaximumHeight(60)
        self.subject_message = self.field_message(
            self.subject, lambda: clean_name(self.subject.text(), "subject", 255)
        )
        self.members_message = self.field_message(self.members, self._check_members)
        self._lay_out()
        self.add_description.clicked.connect(self.on_add_description_clicked)
        self.subject.textChanged.connect(lambda: self.recheck(self.subject_message))
        self.members.changed.connect(lambda: self.recheck(self.members_message))

    def _check_members(self) -> None:
        if not self.members.checked():
            raise ValidationError("Choose at least one team member.")

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("&Subject:", self.subject_message)
        form.addRow("Meeting d&uration:", self.duration)
        form.addRow("&Team members:", self.members_message)
        form.addRow("", self.add_description)
        form.addRow("", self.description)
        form.addRow("Con&ferencing information:", self.conferencing)
        form.addRow("Meeting t&ype:", self.meeting_type)
        form.addRow("&Location:", self.location)
        form.addRow("&Rooms:", self.rooms)
        form.addRow("Resource &pools:", self.pools)
        layout = QVBoxLayout(self.body)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.feedback)

    def initializePage(self) -> None:  # noqa: N802
        self.ensure_built()
        zone = self._app.profile_zone()
        self.members.set_entries([(m.id, member_label(m, zone)) for m in self._app.members()])
        self.rooms.set_entries([(r.id, r.name) for r in self._app.rooms()])
        self.pools.set_entries([(p.id, p.name) for p in self._app.pools()])
        self.load(self.shared_state())

    def load(self, state: WizardState) -> None:
        self.subject.setText(state.subject)
        self.duration.setValue(state.duration_minutes)
        self.members.set_checked(state.team_member_ids)
        self.description.setPlainText(state.description)
        self.description.setVisible(bool(state.description))
        self.add_description.setVisible(not state.description)
        self.conferencing.setText(state.conferencing)
        self.meeting_type.setCurrentIndex(max(self.meeting_type.findData(state.meeting_type), 0))
        self.location.setText(state.location)
        self.rooms.set_checked(state.room_ids)
        self.pools.set_checked(state.pool_ids)

    def store(self, state: WizardState) -> None:
        state.subject = self.subject.text()
        state.duration_minutes = self.duration.value()
        state.team_member_ids = [int(str(k)) for k in self.members.checked()]
        state.description = self.description.toPlainText()
        state.conferencing = self.conferencing.text()
        state.meeting_type = str(self.meeting_type.currentData())
        state.location = self.location.text()
        state.room_ids = [int(str(k)) for k in self.rooms.checked()]
        state.pool_ids = [int(str(k)) for k in self.pools.checked()]

    def check(self, state: WizardState) -> None:
        state.details()

    @Slot()
    def on_add_description_clicked(self) -> None:
        self.add_description.hide()
        self.description.show()
        self.description.setFocus()
