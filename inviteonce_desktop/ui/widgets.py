"""Small building blocks shared by the pages: tables, headings, zone pickers."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cache

from ..core.timezones import zone_names
from .models import KEY_ROLE, RowsModel, SearchFilter
from .qt import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPainter,
    QPaintEvent,
    QPalette,
    QScrollArea,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    QTableView,
    QTimeZone,
    QWidget,
)

ZONE_NAME_LENGTH = 22
"""Characters a zone picker is wide for ("America/Indiana/Indianapolis" still scrolls in)."""
MAX_COLUMN = 320
"""No column takes more than this from its neighbours when it is fitted to its contents."""


class ListTable(QTableView):
    """A table that says what it would show when it has no rows."""

    def __init__(self, empty_text: str = "") -> None:
        super().__init__()
        self.empty_text = empty_text

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        model = self.model()
        if model is None or model.rowCount() or not self.empty_text:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        painter.drawText(area, int(flags) | int(Qt.TextFlag.TextWordWrap), self.empty_text)
        painter.end()

    def fit_columns(self) -> None:
        """Each column as wide as its contents (up to a limit); stretched ones share the rest."""
        header = self.horizontalHeader()
        for column in range(header.count()):
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
                self.resizeColumnToContents(column)
                header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN))


def table(
    model: RowsModel | QSortFilterProxyModel,
    name: str,
    stretch: Sequence[int] = (),
    empty: str = "",
    fit: Sequence[int] = (),
) -> ListTable:
    """A read-only list; columns fit their contents, the *stretch* ones share what is left.

    The *fit* columns (times, statuses) always show their whole text; with *stretch*
    columns too, the table never scrolls sideways: long text in them is elided, and the
    cell's tooltip has it whole."""
    view = ListTable(empty or f"No {name.lower()} yet.")
    view.setModel(model)
    view.setAccessibleName(name)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(not stretch)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    for column in fit:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    model.modelReset.connect(view.fit_columns)
    model.layoutChanged.connect(view.fit_columns)
    header.setHighlightSections(False)
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    return view


def selected_key(view: QTableView) -> Hashable | None:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    value: Hashable | None = rows[0].data(KEY_ROLE)
    return value


def select_key(view: QTableView, key: Hashable) -> bool:
    """Select the row whose key is *key*; answers whether there is one."""
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data(KEY_ROLE) == key:
            view.selectRow(row)
            return True
    return False


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * (1.6 if level == 1 else 1.2))
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hint")
    return label


@cache
def zone_names_once() -> tuple[str, ...]:
    """The tz database's names, read from disk once per run."""
    return tuple(zone_names())


@cache
def _zone_model() -> QStringListModel:
    """One list of zones that every zone picker shows."""
    return QStringListModel(list(zone_names_once()))


def system_zone() -> str:
    """The operating system's time zone name, or UTC when it has none we know."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return name if name in set(zone_names_once()) else "UTC"


def zone_combo(current: str, name: str = "Time zone") -> QComboBox:
    """An editable list of every tz database zone, with completion."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setModel(_zone_model())
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer() or QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    # Sized by a zone name's usual length, not by measuring all ~600 names when first shown.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(ZONE_NAME_LENGTH)
    combo.setCurrentText(current)
    combo.setAccessibleName(name)
    return combo


def search_box(proxy: SearchFilter, placeholder: str) -> QLineEdit:
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    box.setAccessibleName(placeholder)
    box.textChanged.connect(proxy.set_search)
    return box


def scrolling(widget: QWidget) -> QScrollArea:
    """*widget* in an area that scrolls it up and down when the screen is too short for it."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    # What is behind shows through, as without the area (a tab's pane, a dialog).
    widget.setAutoFillBackground(False)
    area.viewport().setAutoFillBackground(False)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def page(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget
