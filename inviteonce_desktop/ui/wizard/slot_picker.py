"""Promote specific time slots: a checkable list of the available slots, with suggestions."""

from __future__ import annotations

from collections.abc import Callable

from ...core.availability import Slot as TimeSlot
from ...core.timezones import clock_label, zone
from ..checklist import CheckList
from ..qt import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget, Signal, Slot

Suggest = Callable[[list[TimeSlot], int, str], list[TimeSlot]]


class SlotPicker(QWidget):
    changed = Signal()

    def __init__(self, suggest: Suggest) -> None:
        super().__init__()
        self._suggest = suggest
        self._slots: list[TimeSlot] = []
        self._zone = "UTC"
        self.slots = CheckList("Promoted time slots")
        self.slots.setMinimumHeight(110)
        self.slots.setMaximumHeight(180)
        self.how_many = QSpinBox()
        self.how_many.setRange(1, 10)
        self.how_many.setValue(3)
        self.how_many.setAccessibleName("How many slots to suggest")
        self.suggest = QPushButton("Su&ggest")
        self.status = QLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel("Pick slots, or let InviteOnce suggest"))
        row.addWidget(self.how_many)
        row.addWidget(self.suggest)
        row.addStretch(1)
        row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.slots)
        self.suggest.clicked.connect(self.on_suggest_clicked)
        self.slots.changed.connect(self.on_slots_changed)

    def set_slots(self, slots: list[TimeSlot], time_zone: str, chosen: list[str]) -> None:
        self._slots = slots
        self._zone = time_zone
        tz = zone(time_zone)
        entries = [
            (s.start.isoformat(), f"{s.start.astimezone(tz):%a %d %b}, {clock_label(s.start, tz)}")
            for s in slots
        ]
        self.slots.set_entries(entries)
        self.slots.set_checked(chosen)
        self.on_slots_changed()

    def chosen(self) -> list[str]:
        return [str(key) for key in self.slots.checked()]

    @Slot()
    def on_suggest_clicked(self) -> None:
        picked = self._suggest(self._slots, self.how_many.value(), self._zone)
        self.slots.set_checked([s.start.isoformat() for s in picked])

    @Slot()
    def on_slots_changed(self) -> None:
        count = len(self.slots.checked())
        self.status.setText(f"{count} promoted" if count else "")
        self.changed.emit()
