"""Settings → Resource pools: sets of interchangeable rooms or people."""

from __future__ import annotations

from typing import Any

from ...application.facade import InviteOnce
from ..checklist import CheckList
from ..messages import MessageBridge
from ..qt import QLineEdit
from .directory_page import DirectoryPage


class PoolsPage(DirectoryPage):
    noun = "resource pool"
    explanation = "A slot needs any one free member of each chosen pool, such as any free room."

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        self._app = app
        super().__init__("Resource pools", ["Name", "Members"], bridge)
        self.name = QLineEdit()
        self.name.setAccessibleName("Resource pool name")
        self.members = CheckList("Resource pool members")
        self.members.setMaximumHeight(120)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Members:", self.members)
        self.refresh()

    def refresh(self) -> None:
        names = self._app.resource_names()
        self.members.set_entries(sorted(names.items(), key=lambda item: item[1]))
        super().refresh()

    def load(self) -> tuple[list[list[Any]], list[int]]:
        names = self._app.resource_names()
        pools = self._app.pools()
        rows = [[p.name, ", ".join(names.get(k, k) for k in p.member_keys)] for p in pools]
        return rows, [p.id or 0 for p in pools]

    def add_entry(self) -> None:
        refs = [str(key) for key in self.members.checked()]
        names = self._app.resource_names()
        self._app.add_pool(self.name.text(), [names[k] for k in refs])

    def remove_entry(self, key: int) -> None:
        self._app.remove_pool(key)

    def clear_form(self) -> None:
        self.name.clear()
        self.members.set_checked(())
