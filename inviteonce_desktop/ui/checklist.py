"""A list of checkable entries (team members, rooms, pools) backed by a Qt model."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from .models import KEY_ROLE
from .qt import QListView, QStandardItem, QStandardItemModel, Qt, Signal


class CheckList(QListView):
    """Entries are (key, label); ``changed`` fires when a check mark moves."""

    changed = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.setAccessibleName(name)
        self.setUniformItemSizes(True)
        self._model.itemChanged.connect(self.changed)

    def set_entries(self, entries: Sequence[tuple[Hashable, str]]) -> None:
        kept = set(self.checked())
        self._model.blockSignals(True)
        self._model.clear()
        for key, label in entries:
            item = QStandardItem(label)
            item.setData(key, KEY_ROLE)
            item.setCheckable(True)
            item.setEditable(False)
            item.setAccessibleText(label)
            item.setCheckState(Qt.CheckState.Checked if key in kept else Qt.CheckState.Unchecked)
            self._model.appendRow(item)
        self._model.blockSignals(False)
        self.reset()

    def _items(self) -> Iterable[QStandardItem]:
        for row in range(self._model.rowCount()):
            yield self._model.item(row)

    def checked(self) -> list[Hashable]:
        return [
            item.data(KEY_ROLE)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, keys: Iterable[Hashable]) -> None:
        wanted = set(keys)
        self._model.blockSignals(True)
        for item in self._items():
            state = (
                Qt.CheckState.Checked if item.data(KEY_ROLE) in wanted else Qt.CheckState.Unchecked
            )
            item.setCheckState(state)
        self._model.blockSignals(False)
        self.viewport().update()
        self.changed.emit()

    def labels(self) -> dict[Hashable, str]:
        return {item.data(KEY_ROLE): item.text() for item in self._items()}
