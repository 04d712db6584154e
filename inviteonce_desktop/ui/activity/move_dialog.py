"""Move… a booked meeting: pick one of its invitation's free slots; the customer is told."""

from __future__ import annotations

from datetime import datetime

from ...application.facade import InviteOnce
from ...core.meeting import Meeting
from ...core.timezones import zone
from ..messages import MessageBridge
from ..qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
    Signal,
    asyncSlot,
)


def time_label(start: datetime, end: datetime, time_zone: str) -> str:
    tz = zone(time_zone)
    return f"{start.astimezone(tz):%a %d %b %Y, %H:%M}–{end.astimezone(tz):%H:%M}"


class MoveDialog(QDialog):
    moved = Signal(object)
    """The Meeting at its new time."""

    def __init__(
        self,
        app: InviteOnce,
        bridge: MessageBridge,
        meeting: Meeting,
        options: list[tuple[datetime, datetime]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._bridge = bridge
        self._meeting = meeting
        time_zone = app.profile_zone()
        self.setWindowTitle("Move meeting")
        self.setMinimumWidth(420)
        now = time_label(meeting.start, meeting.end, time_zone)
        intro = QLabel(
            f"{meeting.subject} with {meeting.participant_name} is on {now} ({time_zone})."
        )
        intro.setWordWrap(True)
        self.times = QComboBox()
        self.times.setAccessibleName("New time")
        for start, end in options:
            self.times.addItem(time_label(start, end, time_zone), start)
        hint = QLabel(
            f"{meeting.participant_name} and the team get the new time by email, and the "
            "calendar event moves with it."
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.confirm = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm.setText("&Move")
        form = QFormLayout()
        form.addRow("&New time:", self.times)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.on_move_clicked)
        self.buttons.rejected.connect(self.reject)

    @asyncSlot()
    async def on_move_clicked(self) -> None:
        start = self.times.currentData()
        if not isinstance(start, datetime) or self._meeting.id is None:
            return
        with self._bridge.operation(self.confirm, self.times):
            moved = await self._app.move_meeting(self._meeting.id, start)
            self.moved.emit(moved)
            self.accept()
