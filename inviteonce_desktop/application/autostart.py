"""Whether InviteOnce starts at login, so bookings flow while the window is closed.

Off until the organizer sends a first invitation; then it is turned on once,
with a notice, unless the organizer already chose. Their choice in Settings is
kept in the workspace and never overridden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..services.autostart import LoginItem, command
from ..store.settings import Settings
from ..store.workspace import Workspace

AUTOSTART_SETTINGS = "autostart"


@dataclass(frozen=True, slots=True)
class AutostartState:
    enabled: bool
    chosen: bool
    """The organizer set it (or was told it was turned on); it is not changed for them."""


class AutostartService:
    def __init__(self, workspace: Workspace, login_item: Callable[[], LoginItem]) -> None:
        self._workspace = workspace
        self._login_item = login_item

    def state(self) -> AutostartState:
        with self._workspace.session() as session:
            stored = Settings(session).get(AUTOSTART_SETTINGS) or {}
        return AutostartState(self._login_item().enabled(), bool(stored.get("chosen")))

    def set(self, enabled: bool) -> None:
        item = self._login_item()
        if enabled:
            item.enable(command(self._data_dir()))
        else:
            item.disable()
        with self._workspace.session() as session:
            Settings(session).put(AUTOSTART_SETTINGS, {"chosen": True})

    def after_first_invitation(self) -> bool:
        """Turn it on the first time an invitation goes out; True when it was just turned on."""
        if self.state().chosen:
            return False
        self.set(True)
        return True

    def _data_dir(self) -> Path:
        home = self._workspace.home
        return home
