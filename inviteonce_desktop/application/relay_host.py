"""The booking relay the desktop publishes to: embedded on 127.0.0.1, or standalone.

The embedded relay keeps its own SQLite database in the workspace and a port
chosen once, so links stay valid across restarts. Its organizer key is made
afresh at each start and lives only in memory. A standalone relay's key lives
in the OS keyring.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..core.errors import ValidationError
from ..core.pairing import Pairing
from ..services.credentials import CredentialStore, CredentialsUnavailable
from ..services.relay_client import RelayClient, RelayRejected, RelayUnavailable
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock

if TYPE_CHECKING:
    from ..relay.embedded import EmbeddedRelay

RELAY_SETTINGS = "relay"
_CREDENTIALS_ACCOUNT = "relay"
_KEY_NAME = "organizer-key"
_EMBEDDED_KEY = "embedded-organizer-key"
SECRET_KEYS = ((_CREDENTIALS_ACCOUNT, _KEY_NAME), (_CREDENTIALS_ACCOUNT, _EMBEDDED_KEY))
"""The keyring entries the relay settings own (to move them to another store)."""
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RelaySettings:
    embedded: bool = True
    url: str | None = None
    port: int | None = None
    lan: bool = False
    """The embedded relay listens on this computer's network address too (LAN mode)."""

    def to_json(self) -> dict[str, Any]:
        return {"embedded": self.embedded, "url": self.url, "port": self.port, "lan": self.lan}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RelaySettings:
        if not data:
            return cls()
        return cls(
            bool(data.get("embedded", True)),
            data.get("url"),
            data.get("port"),
            bool(data.get("lan", False)),
        )


class LinkReach(StrEnum):
    """Who can open the links the relay hands out."""

    THIS_COMPUTER = "this_computer"
    THIS_NETWORK = "this_network"
    ANYWHERE = "anywhere"


LOCAL_LINKS_NOTICE = (
    "These links open only on this computer (the relay runs inside InviteOnce); "
    "to let customers open them, set up a relay in Settings, Relay."
)
LAN_LINKS_NOTICE = (
    "These links open only on this computer's network (LAN mode); customers outside it "
    "cannot open them."
)


def lan_address() -> str | None:
    """This computer's IPv4 address on its network, if it has one besides loopback."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    for *_, sockaddr in infos:
        address = str(sockaddr[0])
        if not address.startswith("127."):
            return address
    return None


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RelayHost:
    """Starts the embedded relay when asked and hands out clients for the configured one."""

    def __init__(
        self,
        workspace: Workspace,
        credentials: CredentialStore,
        clock: Clock,
        network_address: Callable[[], str | None] = lan_address,
    ) -> None:
        self._network_address = network_address
        self._clock = clock
        self._workspace = workspace
        self._credentials = credentials
        self._embedded: EmbeddedRelay | None = None
        self._embedded_key: str | None = None
        self._shared_url: str | None = None

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
        previous = self.settings()
        with self._workspace.session() as session:
            Settings(session).put(RELAY_SETTINGS, settings.to_json())
        if self.running and settings.embedded and settings.lan != previous.lan:
            self.stop()  # listen again on the new address; the key and the port stay
            self.start()

    async def pair(self, code: str) -> str:
        """Use the relay a pairing code names, once it answers and accepts the key.

        Returns the relay's URL. Nothing changes when the check fails.
        """
        pairing = Pairing.decode(code)
        async with RelayClient(pairing.url, pairing.key, timeout=10.0) as client:
            problem = await client.health_problem()
            if problem is not None:
                raise RelayUnavailable(problem)
            try:
                await client.bookings(after=0, wait=0.0)
            except RelayRejected as rejected:
                if rejected.status in (401, 403):
                    raise ValidationError(
                        f"The relay at {pairing.url} does not accept this pairing code's key; "
                        "print a new code with 'inviteonce-relay organizers pair NAME'."
                    ) from None
                raise
        self.configure(RelaySettings(embedded=False, url=pairing.url), pairing.key)
        return pairing.url

    @property
    def running(self) -> bool:
        return self._embedded is not None and self._embedded.running

    def start(self) -> None:
        """Start the embedded relay (when that is the mode); safe to call twice.

        When another process of this workspace (the app) already runs it on its
        port, this one uses that relay with the key kept in the keyring.
        """
        settings = self.settings()
        if not settings.embedded or self.running or self._shared_url is not None:
            return
        from ..relay.embedded import EmbeddedRelay

        port = settings.port or _free_port()
        database = self._workspace.home / "relay.sqlite3"
        if settings.port is not None and _port_taken(port):
            key = self._stored_key()
            if key is None:
                raise ValidationError(
                    "The running app holds the embedded relay; use the app, or try again after "
                    "closing it."
                )
            self._shared_url, self._embedded_key = f"http://127.0.0.1:{port}", key
            return
        host, public_url = "127.0.0.1", ""
        if settings.lan:
            address = self._network_address()
            if address is None:
                raise ValidationError(
                    "This computer has no network address for LAN mode; connect it to a "
                    "network, or turn LAN mode off in Settings, Relay."
                )
            host, public_url = "0.0.0.0", f"http://{address}:{port}"
        # The embedded relay and the app it runs in share one notion of now.
        relay = EmbeddedRelay(
            f"sqlite:///{database}", host, port, public_url=public_url, clock=self._timestamp
        )
        relay.start()
        key = self._stored_key()
        if key is None or not relay.knows_key(key):
            try:
                key = relay.rotate_organizer("desktop")
            except LookupError:
                key = relay.create_organizer("desktop")
            self._store_key(key)
        self._embedded, self._embedded_key = relay, key
        if settings.port != relay.settings.port:
            self.configure(RelaySettings(True, None, relay.settings.port, settings.lan))

    def _timestamp(self) -> float:
        return self._clock.now().timestamp()

    def _stored_key(self) -> str | None:
        try:
            return self._credentials.get(_CREDENTIALS_ACCOUNT, _EMBEDDED_KEY)
        except CredentialsUnavailable:
            return None

    def _store_key(self, key: str) -> None:
        try:
            self._credentials.set(_CREDENTIALS_ACCOUNT, _EMBEDDED_KEY, key)
        except CredentialsUnavailable:
            log.info("No keyring: the embedded relay's key lives in memory only.")

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
            if self._embedded_key is None:
                self.start()
            assert self._embedded_key is not None
            url = self._embedded.base_url if self._embedded is not None else self._shared_url
            assert url is not None
            return RelayClient(url, self._embedded_key, timeout=timeout)
        key = self._credentials.get(_CREDENTIALS_ACCOUNT, _KEY_NAME)
        if not settings.url or key is None:
            raise ValidationError("The relay is not set up; choose it in Settings, Relay.")
        return RelayClient(settings.url, key, timeout=timeout)

    def reach(self) -> LinkReach:
        settings = self.settings()
        if not settings.embedded:
            return LinkReach.ANYWHERE
        return LinkReach.THIS_NETWORK if settings.lan else LinkReach.THIS_COMPUTER

    def status(self) -> str:
        settings = self.settings()
        if settings.embedded:
            where = " (this network only)" if settings.lan else " (this computer only)"
            if self.running and self._embedded is not None:
                return f"Embedded relay running at {self._embedded.base_url}{where}"
            return "Embedded relay stopped"
        return f"Standalone relay at {settings.url}"
