"""The first page: who is invited."""

from __future__ import annotations

from ..qt import QFormLayout, QLineEdit, QVBoxLayout
from .pages import StatePage
from .state import WizardState


class ParticipantPage(StatePage):
    def __init__(self) -> None:
        super().__init__(
            "Invite to self-schedule",
            "Who should pick a time? They get a link and choose from your free slots.",
        )
        self.name = QLineEdit()
        self.name.setAccessibleName("External participant name")
        self.email = QLineEdit()
        self.email.setAccessibleName("Email address")
        self.email.setPlaceholderText("name@example.com")
        form = QFormLayout()
        form.addRow("External participant &name:", self.name)
        form.addRow("&Email address:", self.email)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.registerField("participant_name*", self.name)
        self.registerField("participant_email*", self.email)

    def load(self, state: WizardState) -> None:
        self.name.setText(state.participant_name)
        self.email.setText(state.participant_email)

    def store(self, state: WizardState) -> None:
        state.participant_name = self.name.text()
        state.participant_email = self.email.text()

    def check(self, state: WizardState) -> None:
        state.participant()
