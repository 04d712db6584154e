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
    QPushButton,
    QUrl,
    QVBoxLayout,
    QWidget,
    Slot,
)
from ..widgets import search_box, selected_key, table
from .rows import MEETING_HEADERS, STATUS_LABELS, meeting_row


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
            empty="No meetings yet. When a customer picks a time, the meeting appears here.",
        )
        self.search = search_box(self.proxy, "Search meetings")
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show meetings")
        self.filter.addItem("All meetings", frozenset())
        for status in ("booked", "confirmed", "cancelled"):
            label = STATUS_LABELS.get(status, status.title())
            self.filter.addItem(label, frozenset({label, f"{label} (conflict)"}))
        self.open = QPushButton(icon("calendar"), "&Open in calendar")
        self.open.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        actions = QHBoxLayout()
        actions.addWidget(self.open)
        actions.addStretch(1)
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
        for meeting in self._app.meetings():
            people = [
                names[k] for k in meeting.resource_keys if k.startswith("member:") and k in names
            ]
            rows.append(meeting_row(meeting, people, time_zone))
            keys.append(meeting.id or 0)
        self.model.set_rows(rows, keys)
        self.on_selection_changed()

    @Slot()
    def on_filter_changed(self) -> None:
        self.proxy.set_allowed(self.filter.currentData() or frozenset())

    @Slot()
    def on_selection_changed(self) -> None:
        self.open.setEnabled(selected_key(self.view) is not None)

    @Slot()
    def on_open_clicked(self) -> None:
        key = selected_key(self.view)
        if not isinstance(key, int):
            return
        with self._bridge.operation(self.open):
            link = QUrl(self._app.meeting_calendar_link(key))
            if not QDesktopServices.openUrl(link):
                self._bridge.show_error(no_handler_message(link))
