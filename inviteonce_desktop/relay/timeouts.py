"""Slow clients are cut off: a request's headers and body must arrive in time.

uvicorn closes idle keep-alive connections but waits for a request's headers
and body as long as the client likes, so thirty slow sockets can hold a
worker's connections for good. This protocol gives every request
``request_timeout_seconds`` from its connection (or its first byte, on a
kept-alive connection) until it is fully received, then closes the socket.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .settings import RelaySettings


class TimelyHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for receiving each request."""

    timeout: float | None = None
    """Seconds; None reads ``INVITEONCE_RELAY_REQUEST_TIMEOUT_SECONDS`` once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if type(self).timeout is None:
            type(self).timeout = RelaySettings.from_environ(os.environ).request_timeout_seconds
        self._deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        if self.timeout:
            self._deadline = self.loop.call_later(self.timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def timely_protocol(seconds: float) -> type[TimelyHttpProtocol]:
    """The protocol with a fixed deadline, for a relay started in this process."""
    return type("TimelyHttpProtocolFixed", (TimelyHttpProtocol,), {"timeout": seconds})


PROTOCOL_PATH = f"{__name__}:TimelyHttpProtocol"
