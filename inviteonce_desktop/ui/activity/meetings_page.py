"""Activity → Meetings: the times customers picked."""

from __future__ import annotations

from typing import Any

from ...application.facade import InviteOnce
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
)
from ..widgets import search_box, selected_key, table
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
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About this meeting")
        self._problems: dict[int, str] = {}
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        actions = QHBoxLayout()
        actions.addWidget(self.open)
        actions.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        self.filter.currentIndexChanged.connect(self.on_filter_changed)
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.view.doubleClicked.connect(self.on_open_clicked)
        self.open.clicked.connect(self.on_open_clicked)

    def refresh(self) -> None:
        time_zone = self._app.profile_zone()
        names = self._app.resource_names()
        rows: list[list[Any]] = []
        keys: list[int] = []
        self._problems = self._app.calendar_problems()
        for meeting in self._app.meetings():
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
