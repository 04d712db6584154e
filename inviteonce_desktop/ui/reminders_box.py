"""Up to two reminders to the customer, each some hours before the meeting."""

from __future__ import annotations

from datetime import timedelta

from ..core.reminders import LONGEST, SHORTEST
from .qt import QCheckBox, QDoubleSpinBox, QFormLayout, QGroupBox, Slot

FIRST, SECOND = 24.0, 1.0
"""The hours the boxes offer when they are ticked on."""


def _hours_box(name: str, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setAccessibleName(name)
    box.setDecimals(2)
    box.setRange(SHORTEST.total_seconds() / 3600, LONGEST.total_seconds() / 3600)
    box.setSingleStep(1.0)
    box.setSuffix(" h")
    box.setValue(value)
    return box


class RemindersBox(QGroupBox):
    def __init__(
        self,
        title: str = "Reminders to the customer",
        first: str = "Remind the customer, hours before (ma&x. 336):",
    ) -> None:
        """*first* is the first reminder's label, its mnemonic free where the box is shown."""
        super().__init__(title)
        self.first = QCheckBox(first)
        self.first_hours = _hours_box("First reminder, hours before the meeting", FIRST)
        self.second = QCheckBox("Follo&w with a second reminder, hours before:")
        self.second_hours = _hours_box("Second reminder, hours before the meeting", SECOND)
        form = QFormLayout(self)
        form.addRow(self.first, self.first_hours)
        form.addRow(self.second, self.second_hours)
        self.first.toggled.connect(self.on_toggled)
        self.second.toggled.connect(self.on_toggled)
        self.on_toggled()

    def set_offsets(self, offsets: tuple[timedelta, ...]) -> None:
        rows = ((self.first, self.first_hours), (self.second, self.second_hours))
        for index, (check, hours) in enumerate(rows):
            on = index < len(offsets)
            check.setChecked(on)
            if on:
                hours.setValue(offsets[index].total_seconds() / 3600)
        self.on_toggled()

    def offsets(self) -> tuple[timedelta, ...]:
        """The ticked reminders, earliest first (a second one only with a first)."""
        chosen = []
        if self.first.isChecked():
            chosen.append(self.first_hours.value())
            if self.second.isChecked():
                chosen.append(self.second_hours.value())
        minutes = sorted({round(h * 60) for h in chosen}, reverse=True)
        return tuple(timedelta(minutes=m) for m in minutes)

    @Slot()
    def on_toggled(self) -> None:
        first = self.first.isChecked()
        self.first_hours.setEnabled(first)
        self.second.setEnabled(first)
        self.second_hours.setEnabled(first and self.second.isChecked())
