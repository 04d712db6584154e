"""Weekly hours as a person sets them: one row per day, each with its ranges of hours.

The text form ("Mon-Fri 09:00-17:00; Sat 10:00-12:00") stays the CLI's and the
draft's; this editor reads and writes it through :class:`WeeklyHours`.
"""

from __future__ import annotations

from ...core.errors import ValidationError
from ...core.hours import TimeRange, Weekday, WeeklyHours
from ..qt import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTime,
    QTimeEdit,
    QToolButton,
    QWidget,
    Signal,
)

DEFAULT_RANGE = TimeRange(9 * 60, 17 * 60)


def _qtime(minute: int) -> QTime:
    return QTime(minute // 60 % 24, minute % 60)


def _minute(value: QTime, end: bool) -> int:
    minute = value.hour() * 60 + value.minute()
    return 1440 if end and minute == 0 else minute


class RangeEdit(QWidget):
    """From – to, and a button that removes the range."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, day: Weekday, time_range: TimeRange) -> None:
        super().__init__()
        self.start = QTimeEdit(_qtime(time_range.start_minute))
        self.end = QTimeEdit(_qtime(time_range.end_minute))
        for edit, what in ((self.start, "from"), (self.end, "to")):
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(f"{day.name.title()} {what}")
            edit.timeChanged.connect(self.changed)
            edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        self.remove.setAccessibleName(f"Remove these {day.name.title()} hours")
        self.remove.setToolTip("Remove these hours")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.end)
        layout.addWidget(self.remove)
        layout.addSpacing(8)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def value(self) -> TimeRange:
        return TimeRange(_minute(self.start.time(), False), _minute(self.end.time(), True))


class DayRow:
    """One weekday: on or off, its ranges, add a range, copy to all days."""

    def __init__(self, editor: WeeklyHoursEditor, day: Weekday) -> None:
        self.day = day
        self._editor = editor
        self.enabled = QCheckBox(day.short)
        self.enabled.setAccessibleName(f"{day.name.title()} has hours")
        self.ranges_box = QWidget()
        self.ranges_layout = QHBoxLayout(self.ranges_box)
        self.ranges_layout.setContentsMargins(0, 0, 0, 0)
        self.ranges_layout.addStretch(1)
        self.ranges: list[RangeEdit] = []
        self.closed = QLabel("Unavailable")
        self.closed.setObjectName("hint")
        self.add = QToolButton()
        self.add.setText("+")
        self.add.setAutoRaise(True)
        self.add.setAccessibleName(f"Add hours on {day.name.title()}")
        self.add.setToolTip("Add another range of hours")
        self.copy = QToolButton()
        self.copy.setText("Copy to all days")
        self.copy.setAutoRaise(True)
        self.copy.setAccessibleName(f"Copy {day.name.title()}'s hours to all days")
        self.enabled.toggled.connect(self.on_toggled)
        self.add.clicked.connect(lambda: self.add_range(self._next_range()))
        self.copy.clicked.connect(lambda: editor.copy_to_all(self.day))

    def tab_stops(self) -> list[QWidget]:
        stops: list[QWidget] = [self.enabled]
        for edit in self.ranges:
            stops += [edit.start, edit.end, edit.remove]
        return [*stops, self.add, self.copy]

    def set_ranges(self, ranges: tuple[TimeRange, ...]) -> None:
        for edit in list(self.ranges):
            self._drop(edit)
        for time_range in ranges:
            self.add_range(time_range, notify=False)
        self.enabled.blockSignals(True)
        self.enabled.setChecked(bool(ranges))
        self.enabled.blockSignals(False)
        self._show_state()

    def add_range(self, time_range: TimeRange, notify: bool = True) -> None:
        edit = RangeEdit(self.day, time_range)
        edit.changed.connect(self._editor.changed)
        edit.remove_requested.connect(self.on_remove_requested)
        self.ranges.append(edit)
        self.ranges_layout.insertWidget(len(self.ranges) - 1, edit)
        self._editor.order_tabs()
        if notify:
            self._show_state()
            self._editor.changed.emit()

    def value(self) -> tuple[TimeRange, ...]:
        if not self.enabled.isChecked():
            return ()
        return tuple(edit.value() for edit in self.ranges)

    def _next_range(self) -> TimeRange:
        if not self.ranges:
            return DEFAULT_RANGE
        last = self.ranges[-1].value().end_minute
        start = min(last + 60, 1380)
        return TimeRange(start, min(start + 60, 1440))

    def _drop(self, edit: RangeEdit) -> None:
        self.ranges.remove(edit)
        self.ranges_layout.removeWidget(edit)
        edit.hide()
        edit.deleteLater()

    def on_remove_requested(self, edit: RangeEdit) -> None:
        self._drop(edit)
        if not self.ranges:
            self.enabled.setChecked(False)
        self._show_state()
        self._editor.changed.emit()

    def on_toggled(self, on: bool) -> None:
        if on and not self.ranges:
            self.add_range(DEFAULT_RANGE, notify=False)
        self._show_state()
        self._editor.changed.emit()

    def _show_state(self) -> None:
        on = self.enabled.isChecked()
        self.ranges_box.setVisible(on)
        self.closed.setVisible(not on)
        self.add.setEnabled(on)
        self.copy.setEnabled(on)


class WeeklyHoursEditor(QWidget):
    """Seven day rows; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Weekly hours")
        self.rows = [DayRow(self, day) for day in Weekday]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(0)
        for number, row in enumerate(self.rows):
            grid.addWidget(row.enabled, number, 0)
            grid.addWidget(row.ranges_box, number, 1)
            grid.addWidget(row.closed, number, 1)
            grid.addWidget(row.add, number, 2)
            grid.addWidget(row.copy, number, 3)
        grid.setColumnStretch(1, 1)
        self.setFocusProxy(self.rows[0].enabled)

    def value(self) -> WeeklyHours:
        """The hours shown, or a ValidationError saying what is wrong with them."""
        days = {row.day: row.value() for row in self.rows if row.value()}
        if not days:
            raise ValidationError("Choose at least one day with hours.")
        return WeeklyHours(days)

    def set_value(self, hours: WeeklyHours) -> None:
        shown = {row.day: row.value() for row in self.rows if row.enabled.isChecked()}
        wanted = {day: tuple(sorted(ranges)) for day, ranges in hours.days.items() if ranges}
        if shown == wanted:
            return
        self.blockSignals(True)
        for row in self.rows:
            row.set_ranges(tuple(sorted(hours.ranges(row.day))))
        self.blockSignals(False)

    def text(self) -> str:
        """The text form, for drafts and the CLI; empty when the hours are not valid."""
        try:
            return str(self.value())
        except ValidationError:
            return ""

    def setText(self, text: str) -> None:  # noqa: N802
        self.set_value(WeeklyHours.parse(text))
        self.changed.emit()

    def order_tabs(self) -> None:
        """Tab goes day by day, through each day's hours, then down to the next field."""
        stops = [stop for row in self.rows for stop in row.tab_stops()]
        for before, after in zip(stops, stops[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def copy_to_all(self, source: Weekday) -> None:
        ranges = self.rows[source].value()
        self.blockSignals(True)
        for row in self.rows:
            if row.day != source:
                row.set_ranges(ranges)
        self.blockSignals(False)
        self.changed.emit()
