"""What a successful connect flow hands back, for the calendar account's record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...core.account_settings import AccountSettings

OpenBrowser = Callable[[str], object]
"""Opens a URL in the user's browser without waiting for the page (webbrowser.open)."""

TOKEN = "token"
PASSWORD = "password"
"""Names of the secrets kept in the keyring for an account (``calendar:<id>:<name>``)."""


@dataclass(frozen=True, slots=True)
class ConnectedCalendar:
    """A verified connection; ``settings`` holds no secret and can be stored as is."""

    kind: str
    display_name: str
    settings: AccountSettings = field(default_factory=AccountSettings)
