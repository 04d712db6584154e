"""A page listing one kind of directory entry (members, rooms, pools) with add and remove."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ...core.errors import DomainError
from ..icons import icon
from ..messages import MessageBridge
from ..models import RowsModel
from ..qt import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QShowEvent,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
    asyncSlot,
)
from ..widgets import heading, hint, selected_key, table


class DirectoryPage(QWidget):
    """A table of entries above a form that adds one; subclasses fill in the form."""

    changed = Signal()

    def __init__(self, title: str, headers: Sequence[str], bridge: MessageBridge) -> None:
        super().__init__()
        self._bridge = bridge
        self.model = RowsModel(headers)
        self.view = table(self.model, title)
        self.form = QFormLayout()
        self.add = QPushButton(icon("add"), f"&Add {self.noun}")
        self.remove = QPushButton(icon("remove"), f"&Remove selected {self.noun}")
        self.remove.setEnabled(False)
        self.import_busy = QPushButton(icon("add"), "&Import busy time (.ics)…")
        self.import_busy.setToolTip(f"Read the selected {self.noun}'s busy time from an .ics file")
        self.import_busy.setEnabled(False)
        self.import_busy.setVisible(bool(self.busy_kind))
        self.import_summary = QLabel()
        self.import_summary.setWordWrap(True)
        self.import_summary.setAccessibleName("What the last import did")
        self.import_summary.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addStretch(1)
        buttons.addWidget(self.import_busy)
        buttons.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, 2))
        layout.addWidget(hint(self.explanation))
        layout.addWidget(self.view, 1)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.import_summary)
        self.add.clicked.connect(self.on_add_clicked)
        self.import_busy.clicked.connect(self.on_import_busy_clicked)
        self.remove.clicked.connect(self.on_remove_clicked)
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Tab goes down the page: the list, the form's fields, then its buttons."""
        fields: list[QWidget] = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                fields.append(widget)
        stops = [self.view, *fields, self.add, self.remove]
        for before, after in zip(stops, stops[1:], strict=False):
            QWidget.setTabOrder(before, after)
        super().showEvent(event)

    noun = "entry"
    explanation = ""
    busy_kind = ""
    """"member" or "room": entries with busy time that an .ics file can fill."""

    def refresh(self) -> None:
        rows, keys = self.load()
        self.model.set_rows(rows, keys)
        self.remove.setEnabled(False)
        self.import_busy.setEnabled(False)

    def load(self) -> tuple[list[list[Any]], list[int]]:
        raise RuntimeError("a directory page lists something")

    def add_entry(self) -> None:
        raise RuntimeError("a directory page adds something")

    def remove_entry(self, key: int) -> None:
        raise RuntimeError("a directory page removes something")

    def clear_form(self) -> None:
        """Empty the form after a successful add."""

    def _apply(self, action: Callable[[], None], done: str) -> None:
        try:
            action()
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self._bridge.show_info(done)
        self.refresh()
        self.changed.emit()

    @Slot()
    def on_add_clicked(self) -> None:
        def add() -> None:
            self.add_entry()
            self.clear_form()

        self._apply(add, f"The {self.noun} is added.")

    @Slot()
    def on_remove_clicked(self) -> None:
        key = selected_key(self.view)
        if isinstance(key, int):
            self._apply(lambda: self.remove_entry(key), f"The {self.noun} is removed.")

    @Slot()
    def on_selection_changed(self) -> None:
        chosen = selected_key(self.view) is not None
        self.remove.setEnabled(chosen)
        self.import_busy.setEnabled(chosen)

    def import_source(self) -> Path | None:
        """The .ics file the organizer picks, or None when they cancel."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Import busy time", "", "iCalendar files (*.ics);;All files (*)"
        )
        return Path(name) if name else None

    @asyncSlot()
    async def on_import_busy_clicked(self) -> None:
        key = selected_key(self.view)
        if not isinstance(key, int) or not self.busy_kind:
            return
        path = self.import_source()
        if path is None:
            return
        with self._bridge.operation(self.import_busy):
            result = await self.run_import(f"{self.busy_kind}:{key}", path)
            lines = result.lines()
            self.import_summary.setText("\n".join(lines))
            self.import_summary.show()
            self._bridge.show_info(lines[0])
            self.changed.emit()
        self.import_busy.setEnabled(selected_key(self.view) is not None)

    async def run_import(self, ref: str, path: Path) -> Any:
        raise RuntimeError("a page with busy_kind imports busy time")
