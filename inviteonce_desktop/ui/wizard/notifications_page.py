"""Step 3: External participant notifications, and the invitation's creation."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...core.errors import DomainError
from ...core.invitation import SendMode
from ..qt import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    Signal,
    Slot,
    asyncSlot,
)
from .advanced_settings import AdvancedSettingsBox
from .email_preview import EmailPreview
from .pages import StatePage, step_title
from .slot_picker import SlotPicker
from .state import WizardState


class NotificationsPage(StatePage):
    create_requested = Signal()
    fix_mail_requested = Signal()
    relay_setup_requested = Signal()

    def __init__(self, app: InviteOnce) -> None:
        super().__init__(
            step_title(3, "External participant notifications"),
            "How the customer hears about the invitation, and what happens once they book.",
        )
        self._app = app
        self.created = False
        self.editing = False
        """The wizard changes an open invitation: Finish saves the changes."""
        self._loading = False
        self.setCommitPage(True)

    def build(self) -> None:
        app = self._app
        self.by_email = QRadioButton("Send via &email through InviteOnce")
        self.by_links = QRadioButton("Cop&y meeting links to clipboard and send yourself")
        self.mail_problem = QLabel()
        self.mail_problem.setObjectName("error")
        self.mail_problem.setWordWrap(True)
        self.mail_problem.setAccessibleName("Why email cannot be sent")
        self.fix_mail = QPushButton("&Fix...")
        self.fix_mail.setToolTip("Open Settings, Mail sending")
        self.fix_mail.setAccessibleName("Fix mail sending")
        self.mail_row = QWidget()
        mail_row = QHBoxLayout(self.mail_row)
        mail_row.setContentsMargins(24, 0, 0, 0)
        mail_row.addWidget(self.mail_problem, 1)
        mail_row.addWidget(self.fix_mail)
        self.mail_row.hide()
        self.links_notice = QLabel()
        self.links_notice.setObjectName("hint")
        self.links_notice.setWordWrap(True)
        self.links_notice.setAccessibleName("Who can open the links")
        self.set_up_relay = QPushButton("Set &up a relay...")
        self.set_up_relay.setToolTip("Open Settings, Relay")
        self.local_ok = QCheckBox("I &know; email the links anyway")
        self.local_ok.setAccessibleDescription(
            "The customer can open these links only from this computer or its network."
        )
        self.relay_row = QWidget()
        relay_row = QHBoxLayout(self.relay_row)
        relay_row.setContentsMargins(0, 0, 0, 0)
        relay_row.addWidget(self.links_notice, 1)
        relay_row.addWidget(self.set_up_relay)
        self.relay_row.hide()
        self.local_ok.hide()
        modes = QButtonGroup(self)
        modes.addButton(self.by_email)
        modes.addButton(self.by_links)
        self.preview = EmailPreview()
        self.promote = QCheckBox("&Promote specific time slots")
        self.picker = SlotPicker(app.suggest_promoted)
        self.picker.hide()
        self.add_to_event = QCheckBox("&Add to calendar event")
        self.send_confirmation = QCheckBox("Send confirmation e&mail")
        self.change_lead = QSpinBox()
        self.change_lead.setRange(0, 24 * 30)
        self.change_lead.setSuffix(" h before the start")
        self.change_lead.setAccessibleName("Customer changes allowed until")
        self.change_lead.setToolTip(
            "The confirmation carries a link to reschedule or cancel; it works until then."
        )
        self.show_advanced = QPushButton("Show advanced &settings...")
        self.show_advanced.setCheckable(True)
        self.advanced = AdvancedSettingsBox(app.profile_zone())
        self.advanced.hide()
        self._lay_out()
        self._connect_signals()

    def _lay_out(self) -> None:
        confirmation = QGroupBox("Confirmation")
        confirmation_layout = QVBoxLayout(confirmation)
        confirmation_layout.addWidget(self.add_to_event)
        confirmation_layout.addWidget(self.send_confirmation)
        lead_row = QHBoxLayout()
        lead_label = QLabel("Customer can resc&hedule or cancel until")
        lead_label.setBuddy(self.change_lead)
        lead_row.addWidget(lead_label)
        lead_row.addWidget(self.change_lead)
        lead_row.addStretch(1)
        confirmation_layout.addLayout(lead_row)
        layout = QVBoxLayout(self.body)
        widgets = (self.by_email, self.mail_row, self.preview, self.by_links)
        for widget in (self.relay_row, *widgets, self.local_ok, self.promote, self.picker):
            layout.addWidget(widget)
        layout.addWidget(confirmation)
        layout.addWidget(self.show_advanced)
        layout.addWidget(self.advanced)
        layout.addWidget(self.error)
        layout.addWidget(self.feedback)
        layout.addStretch(1)

    def _connect_signals(self) -> None:
        self.by_email.toggled.connect(self.on_mode_changed)
        self.fix_mail.clicked.connect(self.fix_mail_requested)
        self.set_up_relay.clicked.connect(self.relay_setup_requested)
        self.promote.toggled.connect(self.on_promote_toggled)
        self.picker.changed.connect(self.on_preview_needed)
        self.show_advanced.toggled.connect(self.on_show_advanced_toggled)
        self.advanced.fixed_zone.toggled.connect(self.on_preview_needed)

    def initializePage(self) -> None:  # noqa: N802
        self.ensure_built()
        self.created = False
        state = self.shared_state()
        self.advanced.set_calendars(*self._calendar_options())
        self.advanced.set_default_reminders(self._app.default_reminders())
        self.load(state)
        self.refresh_mail()
        self.refresh_links_notice()
        self.load_slots()

    def refresh_mail(self) -> None:
        """Mark Send via email with why mail cannot go out, and offer to fix it."""
        problem = self._app.mail_problem()
        self.mail_problem.setText(
            f"{problem} Until it is, copy the links and send them yourself." if problem else ""
        )
        self.mail_row.setVisible(problem is not None)
        self.by_email.setEnabled(problem is None)
        if problem is not None and self.by_email.isChecked():
            self.by_links.setChecked(True)
        self.on_mode_changed()

    def refresh_links_notice(self) -> None:
        """Say who can open the links when customers elsewhere cannot, with a way to fix it."""
        notice = self._app.link_notice()
        self.links_notice.setText(notice or "")
        self.relay_row.setVisible(notice is not None)
        self.on_mode_changed()

    def _emails_unreachable_links(self, state: WizardState) -> bool:
        """Email mode, links that open only here, and a customer outside the organizer's domain."""
        if not self.by_email.isChecked() or self._app.link_notice() is None:
            return False
        profile = self._app.profile()
        own = profile.email.rpartition("@")[2].lower() if profile else None
        return state.participant_email.rpartition("@")[2].lower() != own

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
        lead = state.change_lead_minutes
        if lead is None:
            lead = int(self._app.change_lead_default().total_seconds() // 60)
        self.change_lead.setValue(lead // 60)
        self.advanced.load(state)

    def store(self, state: WizardState) -> None:
        state.send_mode = (SendMode.EMAIL if self.by_email.isChecked() else SendMode.LINKS).value
        state.promoted_slots = self.picker.chosen() if self.promote.isChecked() else []
        state.add_to_calendar_event = self.add_to_event.isChecked()
        state.send_confirmation_email = self.send_confirmation.isChecked()
        state.change_lead_minutes = self.change_lead.value() * 60
        self.advanced.store(state)

    def check(self, state: WizardState) -> None:
        state.invitation()
        if self._emails_unreachable_links(state) and not self.local_ok.isChecked():
            raise DomainError(
                f"{state.participant_email} could not open these links. Set up a relay, copy "
                "the links instead, or tick 'I know; email the links anyway'."
            )
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
        if self.wizard() is not None:
            self.local_ok.setVisible(self._emails_unreachable_links(self.shared_state()))
        wizard = self.wizard()
        if wizard is not None:
            text = "&Invite" if email else "Create &invitation"
            if self.editing:
                text = "Save chan&ges"
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
