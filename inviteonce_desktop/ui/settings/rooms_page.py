"""Settings → Rooms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...application.busy_import import BusyImport
from ...application.facade import InviteOnce
from ..messages import MessageBridge
from ..qt import QLineEdit, QSpinBox
from .directory_page import DirectoryPage


class RoomsPage(DirectoryPage):
    noun = "room"
    explanation = "Rooms are booked like team members: a slot needs every chosen room free."

    busy_kind = "room"

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        self._app = app
        super().__init__("Rooms", ["Name", "Email", "Capacity"], bridge)
        self.name = QLineEdit()
        self.name.setAccessibleName("Room name")
        self.email = QLineEdit()
        self.email.setPlaceholderText("optional")
        self.email.setAccessibleName("Room email address")
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 10_000)
        self.capacity.setSpecialValueText("not set")
        self.capacity.setAccessibleName("Room capacity")
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Email address:", self.email)
        self.form.addRow("&Capacity:", self.capacity)
        self.refresh()

    def load(self) -> tuple[list[list[Any]], list[int]]:
        rooms = self._app.rooms()
        rows = [[r.name, r.email or "", r.capacity or ""] for r in rooms]
        return rows, [r.id or 0 for r in rooms]

    def add_entry(self) -> None:
        email = self.email.text().strip() or None
        capacity = self.capacity.value() or None
        self._app.add_room(self.name.text(), email, capacity)

    def remove_entry(self, key: int) -> None:
        self._app.remove_room(key)

    def clear_form(self) -> None:
        self.name.clear()
        self.email.clear()
        self.capacity.setValue(0)

    async def run_import(self, ref: str, path: Path) -> BusyImport:
        return await self._app.import_busy_later(ref, path)
