"""Table models for the window's lists, and the filter that searches them."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from .qt import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

_Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""The role that answers a row's key (an id) on any of its cells."""


class RowsModel(QAbstractTableModel):
    """A read-only table of plain rows with fixed headers; each row may carry a key."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Any]] = ()) -> None:
        super().__init__()
        self._headers = list(headers)
        self._rows = [list(r) for r in rows]
        self._keys: list[Hashable] = list(range(len(self._rows)))

    def set_rows(
        self, rows: Sequence[Sequence[Any]], keys: Sequence[Hashable] | None = None
    ) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self._keys = list(keys) if keys is not None else list(range(len(self._rows)))
        self.endResetModel()

    def key(self, row: int) -> Hashable:
        return self._keys[row]

    def keys(self) -> list[Hashable]:
        return list(self._keys)

    def row_values(self, row: int) -> list[Any]:
        return list(self._rows[row])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._rows[index.row()][index.column()]
            return "" if value is None else str(value)
        if role == KEY_ROLE:
            return self._keys[index.row()]
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


class SearchFilter(QSortFilterProxyModel):
    """Rows that contain the search text in any column and pass the column filter."""

    def __init__(self, source: RowsModel, filter_column: int = 0) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self._filter_column = filter_column
        self._allowed: frozenset[str] = frozenset()

    def set_search(self, text: str) -> None:
        self.setFilterFixedString(text)

    def set_allowed(self, values: frozenset[str]) -> None:
        """Only rows whose filter column is one of *values* (empty: every row)."""
        self.beginFilterChange()
        self._allowed = values
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        if self._allowed:
            model = self.sourceModel()
            cell = model.data(model.index(source_row, self._filter_column, source_parent))
            if cell not in self._allowed:
                return False
        return super().filterAcceptsRow(source_row, source_parent)
