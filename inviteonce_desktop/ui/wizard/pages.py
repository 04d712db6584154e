"""What every wizard page shares: reading and writing the wizard's state, showing errors.

A page's fields carry their own messages (:class:`FieldMessage`); the page's
``error`` label is for what is no single field's fault, and ``feedback`` says
what just happened (a draft saved) where the user is looking.
"""

from __future__ import annotations

from enum import IntEnum

from ...core.errors import DomainError
from ..field_message import Check, FieldMessage, check_field
from ..qt import QFrame, QLabel, QScrollArea, Qt, QVBoxLayout, QWidget, QWizardPage
from .state import WizardState

STEPS = 3


class PageId(IntEnum):
    PARTICIPANT = 0
    DETAILS = 1
    TIME_FRAME = 2
    NOTIFICATIONS = 3
    LINKS = 4


def step_title(step: int, title: str) -> str:
    """The visible step indicator: "Step 2 of 3: Set your meeting time frame"."""
    return f"Step {step} of {STEPS}: {title}"


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
        self.feedback = QLabel()
        self.feedback.setObjectName("feedback")
        self.feedback.setWordWrap(True)
        self.feedback.setAccessibleName("What just happened")
        self.feedback.hide()
        self._checks: list[tuple[FieldMessage, Check]] = []
        self.body = QWidget()
        """Where a page lays out its fields; it scrolls when the screen is short."""
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.body)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroller)

    built = False
    """Whether :meth:`build` has run: a page makes its fields when first needed."""

    def build(self) -> None:
        """Make the page's fields; runs once, before the page is first shown."""

    def ensure_built(self) -> None:
        if not self.built:
            self.built = True
            self.build()

    def initializePage(self) -> None:  # noqa: N802
        self.ensure_built()

    def field_message(self, field: QWidget, check: Check) -> FieldMessage:
        """Wrap *field* with its message; *check* raises when the field is wrong."""
        message = FieldMessage(field)
        self._checks.append((message, check))
        return message

    def recheck(self, message: FieldMessage) -> None:
        """Clear (or update) a field's message as it is edited, once one is shown."""
        if not message.text:
            return
        for known, check in self._checks:
            if known is message:
                check_field(message, check)

    def check_fields(self) -> bool:
        """Show each wrong field's message; focus the first. Answers whether all passed."""
        failed = [m for m, check in self._checks if not check_field(m, check)]
        if failed:
            failed[0].field.setFocus()
        return not failed

    def load(self, state: WizardState) -> None:
        """Fill the fields from *state*."""

    def store(self, state: WizardState) -> None:
        """Write the fields into *state*."""

    def check(self, state: WizardState) -> None:
        """Raise a DomainError when the fields cannot go on."""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def show_feedback(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))

    def validatePage(self) -> bool:  # noqa: N802
        state = self.shared_state()
        self.store(state)
        if not self.check_fields():
            self.show_error("")
            return False
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
