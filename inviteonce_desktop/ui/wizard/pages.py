"""What every wizard page shares: reading and writing the wizard's state, showing errors."""

from __future__ import annotations

from enum import IntEnum

from ...core.errors import DomainError
from ..qt import QLabel, QWizardPage
from .state import WizardState


class PageId(IntEnum):
    PARTICIPANT = 0
    DETAILS = 1
    TIME_FRAME = 2
    NOTIFICATIONS = 3
    LINKS = 4


class StatePage(QWizardPage):
    """A page that loads its fields from the state and stores them back."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Error")
        self.error.hide()

    def load(self, state: WizardState) -> None:
        """Fill the fields from *state*."""

    def store(self, state: WizardState) -> None:
        """Write the fields into *state*."""

    def check(self, state: WizardState) -> None:
        """Raise a DomainError when the fields cannot go on."""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def validatePage(self) -> bool:  # noqa: N802
        state = self.shared_state()
        self.store(state)
        try:
            self.check(state)
        except DomainError as error:
            self.show_error(str(error))
            return False
        self.show_error("")
        return True

    def shared_state(self) -> WizardState:
        wizard = self.wizard()
        state = getattr(wizard, "state", None)
        assert isinstance(state, WizardState), "a wizard page lives in the invitation wizard"
        return state
