"""Step 2: Set your meeting time frame, with the live number of available time slots."""

from __future__ import annotations

import html
from datetime import date, timedelta

from ...application.facade import InviteOnce
from ...application.schedules import SlotRequest
from ...core.errors import NoAvailableSlots
from ...core.hours import WeeklyHours
from ...core.timeframe import MAX_FRAME_DAYS
from ...core.timezones import zone
from ..messages import MessageBridge
from ..qt import (
    QButtonGroup,
    QDate,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Slot,
)
from ..reconnect import ReconnectBar
from ..widgets import zone_combo
from .hours_editor import WeeklyHoursEditor
from .pages import StatePage, step_title
from .slot_counter import SlotCounter
from .slot_preview import SlotPreview
from .state import DEFAULT_HOURS, WizardState


def _spin(maximum: int, suffix: str, name: str, step: int = 5) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    return spin


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class TimeFramePage(StatePage):
    def __init__(self, app: InviteOnce, bridge: MessageBridge | None = None) -> None:
        super().__init__(
            step_title(2, "Set your meeting time frame"),
            "When the customer may book. The count below follows your calendars live.",
        )
        self._app = app
        self._bridge = bridge or MessageBridge()
        self.advance_when_counted = False
        """Enter was pressed while counting: go on once the count says there are slots."""

    def build(self) -> None:
        app = self._app
        self.zone = zone_combo(app.profile_zone(), "Time zone")
        self.rolling = QRadioButton("The ne&xt")
        self.rolling_days = _spin(MAX_FRAME_DAYS, " days", "Number of days", 1)
        self.rolling_days.setMinimum(1)
        self.ranged = QRadioButton("&From")
        self.start_date = QDateEdit()
        self.end_date = QDateEdit()
        for edit, name in ((self.start_date, "First day"), (self.end_date, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
            edit.setAccessibleName(name)
        self._range_group = QButtonGroup(self)
        self._range_group.addButton(self.rolling)
        self._range_group.addButton(self.ranged)
        self.hours = WeeklyHoursEditor()
        self.hours.set_value(WeeklyHours.parse(DEFAULT_HOURS))
        self.hours_message = self.field_message(self.hours, self.hours.value)
        self.interval = _spin(240, " min", "Slot interval")
        self.interval.setMinimum(5)
        self.notice = _spin(24 * 30, " h", "Minimum notice", 1)
        self.buffer_before = _spin(240, " min", "Buffer before")
        self.buffer_after = _spin(240, " min", "Buffer after")
        self.count = QLabel()
        self.count.setObjectName("slotCount")
        self.count.setAccessibleName("Available time slots")
        self.count.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(6)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Counting time slots")
        self.counter = SlotCounter(app, self._request)
        self.preview = SlotPreview(app, self._request)
        self.reconnect = ReconnectBar(app, self._bridge)
        self.reconnect.reconnector.reconnected.connect(lambda _: self.counter.schedule())
        self._lay_out()
        self._connect_signals()

    def _lay_out(self) -> None:
        rolling_row = QHBoxLayout()
        for widget in (self.rolling, self.rolling_days, self.ranged, self.start_date):
            rolling_row.addWidget(widget)
        rolling_row.addWidget(QLabel("to"))
        rolling_row.addWidget(self.end_date)
        rolling_row.addStretch(1)
        buffers = QHBoxLayout()
        buffers.addWidget(self.buffer_before)
        buffers.addWidget(QLabel("before,"))
        buffers.addWidget(self.buffer_after)
        buffers.addWidget(QLabel("after each meeting"))
        buffers.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.zone.setMinimumWidth(280)
        form.addRow("Time &zone:", self.zone)
        form.addRow("Customers may book:", _wrap(rolling_row))
        form.addRow("&Weekly hours:", self.hours_message)
        form.addRow("Slot &interval:", self.interval)
        form.addRow("Minimum &notice:", self.notice)
        form.addRow("B&uffers:", _wrap(buffers))
        layout = QVBoxLayout(self.body)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.count)
        layout.addWidget(self.reconnect)
        layout.addWidget(self.progress)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.feedback)
        layout.addStretch(1)

    def _connect_signals(self) -> None:
        for spin in (
            self.rolling_days,
            self.interval,
            self.notice,
            self.buffer_before,
            self.buffer_after,
        ):
            spin.valueChanged.connect(self.on_field_changed)
        for edit in (self.start_date, self.end_date):
            edit.dateChanged.connect(self.on_field_changed)
        self.start_date.dateChanged.connect(self.on_start_date_changed)
        self.rolling.toggled.connect(self.on_field_changed)
        self.hours.changed.connect(self.on_field_changed)
        self.hours.changed.connect(lambda: self.recheck(self.hours_message))
        self.zone.currentTextChanged.connect(self.on_field_changed)
        self.counter.counting.connect(self.on_counting)
        self.counter.counted.connect(self.on_counted)
        self.counter.invalid.connect(self.on_invalid)

    def _request(self) -> SlotRequest:
        self.hours.value()
        state = self.shared_state()
        self.store(state)
        return state.slot_request()

    def initializePage(self) -> None:  # noqa: N802
        """Fill the fields and count at once: the debounce is for typing, not for arriving."""
        self.ensure_built()
        self.load(self.shared_state())
        self.on_field_changed()
        self.counter.start_now()

    def _today(self) -> date:
        return self._app.now().date()

    def load(self, state: WizardState) -> None:
        widgets = (self.zone, self.rolling, self.rolling_days, self.hours, self.interval)
        for widget in (*widgets, self.notice, self.start_date, self.end_date):
            widget.blockSignals(True)
        today = self._today()
        self.zone.setCurrentText(state.time_zone)
        self.rolling.setChecked(state.rolling_days is not None)
        self.ranged.setChecked(state.rolling_days is None)
        self.rolling_days.setValue(state.rolling_days or 14)
        first = date.fromisoformat(state.start_date) if state.start_date else today
        last = date.fromisoformat(state.end_date) if state.end_date else today + timedelta(13)
        self.start_date.setDateRange(_qdate(today), _qdate(today + timedelta(MAX_FRAME_DAYS - 1)))
        self.start_date.setDate(_qdate(max(first, today)))
        self._limit_end_date()
        self.end_date.setDate(_qdate(max(last, first)))
        self.hours.setText(state.weekly_hours)
        self.interval.setValue(state.slot_interval_minutes)
        self.notice.setValue(state.minimum_notice_minutes // 60)
        self.buffer_before.setValue(state.buffer_before_minutes)
        self.buffer_after.setValue(state.buffer_after_minutes)
        for widget in (*widgets, self.notice, self.start_date, self.end_date):
            widget.blockSignals(False)

    def _limit_end_date(self) -> None:
        """The last day: not before the first, and within the longest frame there can be."""
        first = self.start_date.date()
        self.end_date.setDateRange(first, first.addDays(MAX_FRAME_DAYS - 1))

    def store(self, state: WizardState) -> None:
        state.time_zone = self.zone.currentText().strip()
        state.rolling_days = self.rolling_days.value() if self.rolling.isChecked() else None
        state.start_date = self.start_date.date().toString("yyyy-MM-dd")
        state.end_date = self.end_date.date().toString("yyyy-MM-dd")
        hours = self.hours.text()
        if hours:
            state.weekly_hours = hours
        state.slot_interval_minutes = self.interval.value()
        state.minimum_notice_minutes = self.notice.value() * 60
        state.buffer_before_minutes = self.buffer_before.value()
        state.buffer_after_minutes = self.buffer_after.value()

    def check(self, state: WizardState) -> None:
        state.time_frame()
        last = self.counter.last
        if last is not None and last.count == 0:
            raise NoAvailableSlots(f"There are no available time slots: {last.reason}")

    def isComplete(self) -> bool:  # noqa: N802
        """Continue waits for the count from freshly read busy time."""
        last = self.counter.last
        return last is not None and last.count > 0 and not self.counter.refreshing

    @Slot()
    def on_start_date_changed(self) -> None:
        self._limit_end_date()

    @Slot()
    def on_field_changed(self) -> None:
        self.rolling_days.setEnabled(self.rolling.isChecked())
        self.start_date.setEnabled(self.ranged.isChecked())
        self.end_date.setEnabled(self.ranged.isChecked())
        self.counter.schedule()

    @Slot()
    def on_counting(self) -> None:
        self.progress.show()
        self.completeChanged.emit()

    @Slot(int, str)
    def on_counted(self, count: int, reason: str) -> None:
        last = self.counter.last
        refreshing = self.counter.refreshing
        self.progress.setVisible(refreshing)
        suffix = f" ({html.escape(self._freshness())})" if last and last.busy_as_of else ""
        if refreshing and not count:
            # Nothing is offered from busy time that is unknown or old; the read decides.
            self.preview.clear()
            self.count.setText(f"<b>Reading the calendars…</b>{suffix}")
            self.show_error("")
            self.completeChanged.emit()
            return
        if count:
            noun = "time slot" if count == 1 else "time slots"
            self.count.setText(f"<b>{count}</b> available {noun}{suffix}")
            self.show_error("" if refreshing or not last else " ".join(last.unknown))
            self.preview.refresh()
            self.completeChanged.emit()
            if not refreshing:
                self._advance_if_asked()
            return
        self.advance_when_counted = False
        self.preview.clear()
        self.count.setText(f"<b>No available time slots.</b>{suffix}")
        self.show_error(f"The invitation cannot be created: {reason}")
        self.completeChanged.emit()

    def _freshness(self) -> str:
        """How old the busy time behind the count is: "busy time as of 14:05, refreshing…"."""
        last = self.counter.last
        if last is None:
            return ""
        if self.counter.refreshing and last.busy_as_of is not None:
            local = last.busy_as_of.astimezone(zone(self._app.profile_zone()))
            return f"busy time as of {local:%H:%M}, refreshing…"
        return last.freshness(self._app.profile_zone())

    def _advance_if_asked(self) -> None:
        asked, self.advance_when_counted = self.advance_when_counted, False
        wizard = self.wizard()
        if asked and wizard is not None and wizard.currentPage() is self:
            wizard.next()

    @Slot(str)
    def on_invalid(self, text: str) -> None:
        self.advance_when_counted = False
        self.progress.hide()
        self.preview.clear()
        self.count.setText("<b>No available time slots.</b>")
        if self.hours_message.text or not self.check_fields():
            self.show_error("")
        else:
            self.show_error(text)
        self.completeChanged.emit()


def _wrap(layout: QHBoxLayout) -> QWidget:
    layout.setContentsMargins(0, 0, 0, 0)
    holder = QWidget()
    holder.setLayout(layout)
    return holder
