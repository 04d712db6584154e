"""The first page: who is invited."""

from __future__ import annotations

from ...core.errors import ValidationError
from ...core.validation import clean_name, validate_email
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
        self.name_message = self.field_message(
            self.name, lambda: clean_name(self.name.text(), "participant's name")
        )
        self.email_message = self.field_message(self.email, lambda: _check_email(self.email.text()))
        form = QFormLayout()
        form.addRow("External participant &name:", self.name_message)
        form.addRow("&Email address:", self.email_message)
        layout = QVBoxLayout(self.body)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        self.name.textChanged.connect(lambda: self.recheck(self.name_message))
        self.email.textChanged.connect(lambda: self.recheck(self.email_message))

    def load(self, state: WizardState) -> None:
        self.name.setText(state.participant_name)
        self.email.setText(state.participant_email)

    def store(self, state: WizardState) -> None:
        state.participant_name = self.name.text()
        state.participant_email = self.email.text()

    def check(self, state: WizardState) -> None:
        state.participant()


def _check_email(text: str) -> None:
    if not text.strip():
        raise ValidationError("Enter the customer's email address.")
    validate_email(text)
