"""Step 3: External participant notifications, and the invitation's creation."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...core.errors import DomainError
from ...core.invitation import SendMode
from ..qt import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGroupBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    Signal,
    Slot,
    asyncSlot,
)
from .advanced_settings import AdvancedSettingsBox
from .pages import StatePage
from .slot_picker import SlotPicker
from .state import WizardState


class NotificationsPage(StatePage):
    create_requested = Signal()

    def __init__(self, app: InviteOnce) -> None:
        super().__init__(
            "Step 3: External participant notifications",
            "How the customer hears about the invitation, and what happens once they book.",
        )
        self._app = app
        self.created = False
        self._loading = False
        self.by_email = QRadioButton("Send via &email through InviteOnce")
        self.by_links = QRadioButton("&Copy meeting links to clipboard and send yourself")
        modes = QButtonGroup(self)
        modes.addButton(self.by_email)
        modes.addButton(self.by_links)
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Email preview")
        self.preview.setOpenLinks(False)
        self.preview.setMinimumHeight(150)
        self.promote = QCheckBox("&Promote specific time slots")
        self.picker = SlotPicker(app.suggest_promoted)
        self.picker.hide()
        self.add_to_event = QCheckBox("Add to calendar e&vent")
        self.send_confirmation = QCheckBox("Send confirmation e&mail")
        self.show_advanced = QPushButton("Show advanced &settings...")
        self.show_advanced.setCheckable(True)
        self.advanced = AdvancedSettingsBox(app.profile_zone())
        self.advanced.hide()
        self._lay_out()
        self._connect_signals()
        self.setCommitPage(True)

    def _lay_out(self) -> None:
        confirmation = QGroupBox("Confirmation")
        confirmation_layout = QVBoxLayout(confirmation)
        confirmation_layout.addWidget(self.add_to_event)
        confirmation_layout.addWidget(self.send_confirmation)
        body = QWidget()
        layout = QVBoxLayout(body)
        for widget in (self.by_email, self.preview, self.by_links, self.promote, self.picker):
            layout.addWidget(widget)
        layout.addWidget(confirmation)
        layout.addWidget(self.show_advanced)
        layout.addWidget(self.advanced)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        outer.addWidget(self.error)

    def _connect_signals(self) -> None:
        self.by_email.toggled.connect(self.on_mode_changed)
        self.promote.toggled.connect(self.on_promote_toggled)
        self.picker.changed.connect(self.on_preview_needed)
        self.show_advanced.toggled.connect(self.on_show_advanced_toggled)
        self.advanced.fixed_zone.toggled.connect(self.on_preview_needed)

    def initializePage(self) -> None:  # noqa: N802
        self.created = False
        state = self.shared_state()
        self.advanced.set_calendars(*self._calendar_options())
        self.load(state)
        self.on_mode_changed()
        self.load_slots()

    def _calendar_options(self) -> tuple[list[tuple[str, str]], str]:
        """(key, label) of every calendar a meeting can go to, and the default's key."""
        options = [(o.choice.key(), o.label) for o in self._app.calendar_options()]
        return options, self._app.default_calendar().key()

    def load(self, state: WizardState) -> None:
        self._loading = True
        try:
            self._load(state)
        finally:
            self._loading = False

    def _load(self, state: WizardState) -> None:
        email = state.send_mode == SendMode.EMAIL.value
        self.by_email.setChecked(email)
        self.by_links.setChecked(not email)
        self.promote.setChecked(bool(state.promoted_slots))
        self.add_to_event.setChecked(state.add_to_calendar_event)
        self.send_confirmation.setChecked(state.send_confirmation_email)
        self.advanced.load(state)

    def store(self, state: WizardState) -> None:
        state.send_mode = (SendMode.EMAIL if self.by_email.isChecked() else SendMode.LINKS).value
        state.promoted_slots = self.picker.chosen() if self.promote.isChecked() else []
        state.add_to_calendar_event = self.add_to_event.isChecked()
        state.send_confirmation_email = self.send_confirmation.isChecked()
        self.advanced.store(state)

    def check(self, state: WizardState) -> None:
        state.invitation()
        if self.promote.isChecked() and not state.promoted_slots:
            raise DomainError("Pick at least one time slot to promote, or turn promotion off.")

    @asyncSlot()
    async def load_slots(self) -> None:
        state = self.shared_state()
        chosen = list(state.promoted_slots)
        try:
            slots = await self._app.list_slots(state.slot_request())
        except DomainError as error:
            self.show_error(str(error))
            return
        self.picker.set_slots(slots, state.time_zone, chosen)

    def validatePage(self) -> bool:  # noqa: N802
        if self.created:
            return True
        if super().validatePage():
            self.create_requested.emit()
        return False

    @Slot()
    def on_mode_changed(self) -> None:
        email = self.by_email.isChecked()
        self.preview.setVisible(email)
        wizard = self.wizard()
        if wizard is not None:
            text = "&Invite" if email else "Create &invitation"
            wizard.setButtonText(QWizard.WizardButton.CommitButton, text)
        self.on_preview_needed()

    @Slot(bool)
    def on_promote_toggled(self, on: bool) -> None:
        self.picker.setVisible(on)
        self.on_preview_needed()

    @Slot(bool)
    def on_show_advanced_toggled(self, on: bool) -> None:
        self.advanced.setVisible(on)
        self.show_advanced.setText(
            "Hide advanced &settings" if on else "Show advanced &settings..."
        )

    @Slot()
    def on_preview_needed(self) -> None:
        if self._loading or not self.by_email.isChecked() or self.wizard() is None:
            return
        state = self.shared_state()
        self.store(state)
        try:
            preview = self._app.preview_email(state.invitation())
        except DomainError as error:
            self.preview.setPlainText(str(error))
            return
        self.preview.setHtml(f"<p><b>Subject:</b> {_escape(preview.subject)}</p><hr>{preview.html}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
