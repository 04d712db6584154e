"""Step 3's advanced settings: time zone conversion, the calendar event, reminders."""

from __future__ import annotations

from datetime import timedelta

from ...core.invitation import ConferencingPlacement, TimeZoneConversion, Visibility
from ..qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from ..reminders_box import RemindersBox
from ..widgets import zone_combo
from .state import WizardState

TOKENS = (("{subject}", "[Subject]"), ("{participant}", "[Customer name]"))
"""How the title's placeholders read in the window, and what they are stored as."""


def title_for_people(template: str) -> str:
    for stored, shown in TOKENS:
        template = template.replace(stored, shown)
    return template


def title_for_storage(text: str) -> str:
    for stored, shown in TOKENS:
        text = text.replace(shown, stored)
    return text


VISIBILITY_LABELS = {
    Visibility.DEFAULT: "The calendar's default",
    Visibility.PUBLIC: "Public",
    Visibility.PRIVATE: "Private",
}
PLACEMENT_LABELS = {
    ConferencingPlacement.BODY: "The event's description",
    ConferencingPlacement.LOCATION: "The event's location",
}


class AdvancedSettingsBox(QWidget):
    def __init__(self, organizer_zone: str) -> None:
        super().__init__()
        self.customer_zone = QRadioButton("Show times in the customer's own time &zone")
        self.fixed_zone = QRadioButton("Show times in a fixed time zo&ne:")
        group = QButtonGroup(self)
        group.addButton(self.customer_zone)
        group.addButton(self.fixed_zone)
        self.zone = zone_combo(organizer_zone, "Fixed time zone")
        self.title = QLineEdit()
        self.title.setAccessibleName("Calendar event title")
        self.title.setToolTip(
            "[Subject] and [Customer name] are replaced by the meeting's subject and the "
            "customer's name."
        )
        self.title_example = QLabel()
        self.title_example.setObjectName("hint")
        self.title_example.setAccessibleName("Calendar event title as shown")
        self._example = ("Intro call", "Dana Customer")
        self.calendar = QComboBox()
        self.calendar.setAccessibleName("Calendar")
        self._default_calendar: str | None = None
        self.invite_customer = QCheckBox("Invite the &customer to the calendar event")
        self.visibility = QComboBox()
        self.visibility.setAccessibleName("Event visibility")
        for value, label in VISIBILITY_LABELS.items():
            self.visibility.addItem(label, value.value)
        self.placement = QComboBox()
        self.placement.setAccessibleName("Where conferencing details go")
        for placement, label in PLACEMENT_LABELS.items():
            self.placement.addItem(label, placement.value)
        self.reminders = RemindersBox()
        self._default_reminders: tuple[timedelta, ...] = ()
        self._reminders_as_default = True
        self._lay_out()
        self.fixed_zone.toggled.connect(self.zone.setEnabled)
        self.title.textChanged.connect(self.on_title_changed)

    def _lay_out(self) -> None:
        conversion = QGroupBox("Time zone conversion")
        conversion_layout = QFormLayout(conversion)
        conversion_layout.addRow(self.customer_zone)
        conversion_layout.addRow(self.fixed_zone, self.zone)
        event = QGroupBox("Calendar event settings")
        form = QFormLayout(event)
        form.addRow("Event tit&le:", self.title)
        form.addRow("", self.title_example)
        form.addRow("Calenda&r:", self.calendar)
        form.addRow("", self.invite_customer)
        form.addRow("&Visibility:", self.visibility)
        form.addRow("C&onferencing details in:", self.placement)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(conversion)
        layout.addWidget(event)
        layout.addWidget(self.reminders)

    def on_title_changed(self) -> None:
        subject, customer = self._example
        shown = self.title.text().replace("[Subject]", subject)
        shown = " ".join(shown.replace("[Customer name]", customer).split()) or subject
        self.title_example.setText(f"Shown as: {shown}")

    def set_calendars(self, options: list[tuple[str, str]], default: str) -> None:
        """The calendars a meeting can go to, as (key, label); *default* is preselected."""
        current = self.calendar.currentData()
        self._default_calendar = default
        self.calendar.clear()
        for key, label in options:
            self.calendar.addItem(f"{label} (default)" if key == default else label, key)
        self._select_calendar(current or default)

    def _select_calendar(self, key: str | None) -> None:
        index = self.calendar.findData(key)
        if index < 0:
            index = self.calendar.findData(self._default_calendar)
        self.calendar.setCurrentIndex(max(index, 0))

    def set_default_reminders(self, offsets: tuple[timedelta, ...]) -> None:
        """The reminders of Settings, shown when the invitation names none."""
        self._default_reminders = offsets

    def load(self, state: WizardState) -> None:
        self._reminders_as_default = state.reminder_minutes is None
        self.reminders.set_offsets(
            self._default_reminders
            if state.reminder_minutes is None
            else tuple(timedelta(minutes=m) for m in state.reminder_minutes)
        )
        fixed = state.time_zone_conversion == TimeZoneConversion.FIXED.value
        self.fixed_zone.setChecked(fixed)
        self.customer_zone.setChecked(not fixed)
        self.zone.setEnabled(fixed)
        if state.fixed_time_zone:
            self.zone.setCurrentText(state.fixed_time_zone)
        self._example = (
            state.subject.strip() or "Intro call",
            state.participant_name.strip() or "the customer",
        )
        self.title.setText(title_for_people(state.event_title))
        self.on_title_changed()
        self._select_calendar(state.calendar or self._default_calendar)
        self.invite_customer.setChecked(state.invite_customer)
        self.visibility.setCurrentIndex(max(self.visibility.findData(state.visibility), 0))
        self.placement.setCurrentIndex(
            max(self.placement.findData(state.conferencing_placement), 0)
        )

    def store(self, state: WizardState) -> None:
        fixed = self.fixed_zone.isChecked()
        state.time_zone_conversion = (
            TimeZoneConversion.FIXED if fixed else TimeZoneConversion.CUSTOMER
        ).value
        state.fixed_time_zone = self.zone.currentText().strip() if fixed else None
        state.event_title = title_for_storage(self.title.text())
        state.calendar = self.calendar.currentData()
        state.invite_customer = self.invite_customer.isChecked()
        state.visibility = str(self.visibility.currentData())
        state.conferencing_placement = str(self.placement.currentData())
        chosen = self.reminders.offsets()
        if self._reminders_as_default and chosen == self._default_reminders:
            state.reminder_minutes = None  # still the default: it follows Settings
        else:
            state.reminder_minutes = [int(o.total_seconds() // 60) for o in chosen]
