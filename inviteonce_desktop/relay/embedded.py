"""The relay inside the desktop: uvicorn on 127.0.0.1 in a background thread.

    relay = EmbeddedRelay("sqlite:///path/relay.sqlite3")
    relay.start()            # port 0 picks a free port
    key = relay.create_organizer("Desktop")
    ... relay.base_url ...
    relay.stop()

``start`` and ``stop`` block only briefly and can be called from plain code or,
through ``asyncio.to_thread``, from an event loop.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from .app import create_app
from .clock import Clock, system_clock
from .database import create_relay_engine, migrate
from .organizers import OrganizerDirectory
from .settings import RelaySettings
from .timeouts import timely_protocol

_START_TIMEOUT = 15.0


class RelayStartError(RuntimeError):
    """The embedded relay did not come up."""


class EmbeddedRelay:
    def __init__(
        self,
        database_url: str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        public_url: str = "",
        settings: RelaySettings | None = None,
        clock: Clock = system_clock,
    ) -> None:
        base = settings or RelaySettings()
        self._settings = base.with_overrides(
            database_url=database_url, host=host, port=port, public_url=public_url or None
        )
        self._clock = clock
        self._engine = create_relay_engine(database_url)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._migrated = False

    def _migrate(self) -> None:
        """Bring the database to the newest schema, once per relay: Alembic takes a
        while even when there is nothing to do."""
        if not self._migrated:
            migrate(self._engine)
            self._migrated = True

    @property
    def settings(self) -> RelaySettings:
        return self._settings

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def create_organizer(self, name: str) -> str:
        """Registers an organizer and returns its key (shown only this once)."""
        self._migrate()
        return OrganizerDirectory(self._engine, self._clock).add(name)

    def knows_key(self, key: str) -> bool:
        """Whether *key* is a current organizer key of this relay."""
        self._migrate()
        return OrganizerDirectory(self._engine, self._clock).authenticate(key) is not None

    def rotate_organizer(self, name: str) -> str:
        return OrganizerDirectory(self._engine, self._clock).rotate(name)

    def start(self) -> None:
        if self.running:
            return
        self._migrate()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._settings.host, self._settings.port))
        port = sock.getsockname()[1]
        self._settings = self._settings.with_overrides(port=port)
        self._socket = sock
        app = create_app(self._settings, self._engine, self._clock)
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
            server_header=False,
            timeout_keep_alive=5,
            http=timely_protocol(self._settings.request_timeout_seconds),
        )
        self._server = uvicorn.Server(config)
        server = self._server
        self._thread = threading.Thread(
            target=lambda: server.run(sockets=[sock]), name="inviteonce-relay", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RelayStartError("The booking relay did not start.")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = None
        self._thread = None
        self._socket = None
        self._engine.dispose()

    def __enter__(self) -> EmbeddedRelay:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
