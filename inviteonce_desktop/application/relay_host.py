"""The booking relay the desktop publishes to: embedded on 127.0.0.1, or standalone.

The embedded relay keeps its own SQLite database in the workspace and a port
chosen once, so links stay valid across restarts. Its organizer key is made
afresh at each start and lives only in memory. A standalone relay's key lives
in the OS keyring.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.errors import ValidationError
from ..services.credentials import CredentialStore
from ..services.relay_client import RelayClient
from ..store.settings import Settings
from ..store.workspace import Workspace

if TYPE_CHECKING:
    from ..relay.embedded import EmbeddedRelay

RELAY_SETTINGS = "relay"
_CREDENTIALS_ACCOUNT = "relay"
_KEY_NAME = "organizer-key"


@dataclass(frozen=True, slots=True)
class RelaySettings:
    embedded: bool = True
    url: str | None = None
    port: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"embedded": self.embedded, "url": self.url, "port": self.port}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RelaySettings:
        if not data:
            return cls()
        return cls(bool(data.get("embedded", True)), data.get("url"), data.get("port"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RelayHost:
    """Starts the embedded relay when asked and hands out clients for the configured one."""

    def __init__(self, workspace: Workspace, credentials: CredentialStore) -> None:
        self._workspace = workspace
        self._credentials = credentials
        self._embedded: EmbeddedRelay | None = None
        self._embedded_key: str | None = None

    def settings(self) -> RelaySettings:
        with self._workspace.session() as session:
            return RelaySettings.from_json(Settings(session).get(RELAY_SETTINGS))

    def configure(self, settings: RelaySettings, api_key: str | None = None) -> None:
        if not settings.embedded:
            if not settings.url or not settings.url.startswith(("http://", "https://")):
                raise ValidationError("The relay URL must start with http:// or https://.")
            if api_key:
                self._credentials.set(_CREDENTIALS_ACCOUNT, _KEY_NAME, api_key)
            elif self._credentials.get(_CREDENTIALS_ACCOUNT, _KEY_NAME) is None:
                raise ValidationError("Enter the organizer key that the relay gave you.")
        with self._workspace.session() as session:
            Settings(session).put(RELAY_SETTINGS, settings.to_json())

    @property
    def running(self) -> bool:
        return self._embedded is not None and self._embedded.running

    def start(self) -> None:
        """Start the embedded relay (when that is the mode); safe to call twice."""
        settings = self.settings()
        if not settings.embedded or self.running:
            return
        from ..relay.embedded import EmbeddedRelay

        port = settings.port or _free_port()
        database = self._workspace.home / "relay.sqlite3"
        relay = EmbeddedRelay(f"sqlite:///{database}", "127.0.0.1", port)
        try:
            relay.start()
        except OSError:
            relay = EmbeddedRelay(f"sqlite:///{database}", "127.0.0.1", _free_port())
            relay.start()
        try:
            self._embedded_key = relay.rotate_organizer("desktop")
        except LookupError:
            self._embedded_key = relay.create_organizer("desktop")
        self._embedded = relay
        if settings.port != relay.settings.port:
            self.configure(RelaySettings(True, None, relay.settings.port))

    async def start_async(self) -> None:
        await asyncio.to_thread(self.start)

    def stop(self) -> None:
        if self._embedded is not None:
            self._embedded.stop()
            self._embedded = None

    def client(self, timeout: float = 10.0) -> RelayClient:
        """A client of the configured relay; the caller closes it."""
        settings = self.settings()
        if settings.embedded:
            if self._embedded is None or self._embedded_key is None:
                self.start()
            assert self._embedded is not None and self._embedded_key is not None
            return RelayClient(self._embedded.base_url, self._embedded_key, timeout=timeout)
        key = self._credentials.get(_CREDENTIALS_ACCOUNT, _KEY_NAME)
        if not settings.url or key is None:
            raise ValidationError("The relay is not set up; choose it in Settings, Relay.")
        return RelayClient(settings.url, key, timeout=timeout)

    def status(self) -> str:
        settings = self.settings()
        if settings.embedded:
            if self.running and self._embedded is not None:
                return f"Embedded relay running at {self._embedded.base_url}"
            return "Embedded relay stopped"
        return f"Standalone relay at {settings.url}"
