"""Settings → Team members."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...application.busy_import import BusyImport
from ...application.facade import InviteOnce
from ...core.hours import WeeklyHours
from ..messages import MessageBridge
from ..qt import QLineEdit
from ..widgets import zone_combo
from .directory_page import DirectoryPage


class MembersPage(DirectoryPage):
    noun = "team member"
    explanation = (
        "Team members attend every meeting of the invitations that name them; "
        "their busy time decides which slots a customer sees."
    )

    busy_kind = "member"

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        self._app = app
        super().__init__("Team members", ["Name", "Email", "Time zone", "Working hours"], bridge)
        self.name = QLineEdit()
        self.name.setAccessibleName("Team member's name")
        self.email = QLineEdit()
        self.email.setAccessibleName("Team member's email address")
        self.zone = zone_combo(app.profile_zone(), "Team member's time zone")
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("Mon-Fri 09:00-17:00 (empty: any time)")
        self.hours.setAccessibleName("Team member's working hours")
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Email address:", self.email)
        self.form.addRow("Time &zone:", self.zone)
        self.form.addRow("&Working hours:", self.hours)
        self.refresh()

    def load(self) -> tuple[list[list[Any]], list[int]]:
        members = self._app.members()
        rows = [[m.name, m.email, m.time_zone or "", str(m.working_hours or "")] for m in members]
        return rows, [m.id or 0 for m in members]

    def add_entry(self) -> None:
        text = self.hours.text().strip()
        hours = WeeklyHours.parse(text) if text else None
        self._app.add_member(self.name.text(), self.email.text(), self.zone.currentText(), hours)

    def remove_entry(self, key: int) -> None:
        self._app.remove_member(key)

    def clear_form(self) -> None:
        self.name.clear()
        self.email.clear()
        self.hours.clear()

    async def run_import(self, ref: str, path: Path) -> BusyImport:
        return await self._app.import_busy_later(ref, path)
