"""Activity → Meetings: the times customers picked."""

from __future__ import annotations

from typing import Any

from ...application.facade import InviteOnce
from ...core.meeting import Meeting, MeetingStatus
from ..icons import icon
from ..messages import MessageBridge
from ..models import RowsModel, SearchFilter
from ..qt import (
    QComboBox,
    QDesktopServices,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QUrl,
    QVBoxLayout,
    QWidget,
    Slot,
    asyncSlot,
)
from ..widgets import search_box, selected_key, table
from .move_dialog import MoveDialog, time_label
from .rows import CALENDAR_WAITING, MEETING_HEADERS, STATUS_LABELS, meeting_row


def no_handler_message(link: QUrl) -> str:
    if link.isLocalFile():
        return (
            "No program on this computer opens calendar files (.ics). The meeting is saved "
            f"as {link.toLocalFile()}; import it into your calendar."
        )
    return f"No web browser opened the meeting's calendar page: {link.toString()}"


class MeetingsPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.model = RowsModel(MEETING_HEADERS)
        self.proxy = SearchFilter(self.model)
        self.view = table(
            self.proxy,
            "Meetings",
            stretch=[MEETING_HEADERS.index(h) for h in ("Participant", "Subject", "Team members")],
            fit=[MEETING_HEADERS.index(h) for h in ("Status", "Starts", "Ends")],
            empty="No meetings yet. When a customer picks a time, the meeting appears here.",
        )
        self.search = search_box(self.proxy, "Search meetings")
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show meetings")
        self.filter.addItem("All meetings", frozenset())
        for status in ("booked", "confirmed", "cancelled"):
            label = STATUS_LABELS.get(status, status.title())
            shown = {label, f"{label} (conflict)", f"{label} ({CALENDAR_WAITING})"}
            self.filter.addItem(label, frozenset(shown))
        self.open = QPushButton(icon("calendar"), "&Open in calendar")
        self.open.setEnabled(False)
        self.move_button = QPushButton("Mo&ve…")
        self.move_button.setToolTip("Move the meeting to another free time of its invitation")
        self.move_button.setEnabled(False)
        self.move_dialog: MoveDialog | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About this meeting")
        self._problems: dict[int, str] = {}
        self._meetings: dict[int, Meeting] = {}
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        actions = QHBoxLayout()
        actions.addWidget(self.open)
        actions.addWidget(self.move_button)
        actions.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        self.filter.currentIndexChanged.connect(self.on_filter_changed)
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.view.doubleClicked.connect(self.on_open_clicked)
        self.open.clicked.connect(self.on_open_clicked)
        self.move_button.clicked.connect(self.on_move_clicked)

    def refresh(self) -> None:
        time_zone = self._app.profile_zone()
        names = self._app.resource_names()
        rows: list[list[Any]] = []
        keys: list[int] = []
        self._problems = self._app.calendar_problems()
        self._meetings = {}
        for meeting in self._app.meetings():
            self._meetings[meeting.id or 0] = meeting
            people = [
                names[k] for k in meeting.resource_keys if k.startswith("member:") and k in names
            ]
            waiting = self._problems.get(meeting.id or 0)
            rows.append(meeting_row(meeting, people, time_zone, waiting is not None))
            keys.append(meeting.id or 0)
        self.model.set_rows(rows, keys)
        self.on_selection_changed()

    @Slot()
    def on_filter_changed(self) -> None:
        self.proxy.set_allowed(self.filter.currentData() or frozenset())

    @Slot()
    def on_selection_changed(self) -> None:
        key = selected_key(self.view)
        self.open.setEnabled(key is not None)
        chosen = self._meetings.get(key) if isinstance(key, int) else None
        self.move_button.setEnabled(chosen is not None and chosen.status != MeetingStatus.CANCELLED)
        problem = self._problems.get(key) if isinstance(key, int) else None
        self.note.setText(f"The calendar write is waiting: {problem}" if problem else "")

    @Slot()
    def on_open_clicked(self) -> None:
        key = selected_key(self.view)
        if not isinstance(key, int):
            return
        with self._bridge.operation(self.open):
            link = QUrl(self._app.meeting_calendar_link(key))
            if not QDesktopServices.openUrl(link):
                self._bridge.show_error(no_handler_message(link))

    @asyncSlot()
    async def on_move_clicked(self) -> None:
        key = selected_key(self.view)
        meeting = self._meetings.get(key) if isinstance(key, int) else None
        if meeting is None or meeting.id is None:
            return
        with self._bridge.operation(self.move_button):
            options = await self._app.move_options(meeting.id)
            if not options:
                self._bridge.show_error(
                    "No other time of this meeting's invitation is free; send a new invitation."
                )
                return
            self.move_dialog = MoveDialog(self._app, self._bridge, meeting, options, self)
            self.move_dialog.moved.connect(self.on_moved)
            self.move_dialog.open()

    @Slot(object)
    def on_moved(self, meeting: Meeting) -> None:
        self.refresh()
        when = time_label(meeting.start, meeting.end, self._app.profile_zone())
        self._bridge.show_info(
            f"The meeting is moved to {when}; {meeting.participant_name} gets the update."
        )
