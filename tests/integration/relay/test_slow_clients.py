"""A client that never finishes its request is cut off, and others are served meanwhile."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import http_client


@pytest.fixture
def strict_relay(sqlite_url: str) -> Iterator[EmbeddedRelay]:
    relay = EmbeddedRelay(
        sqlite_url,
        settings=RelaySettings(bookings_per_minute=0, request_timeout_seconds=0.5),
    )
    with relay:
        yield relay


def _closed_by_server(relay: EmbeddedRelay, sent: bytes) -> bool:
    parts = urlsplit(relay.base_url)
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.settimeout(20)
        sock.sendall(sent)
        return sock.recv(1024) == b""


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"GET /healthz HTTP/1.1\r\nHost: relay\r\n",
        b"POST /api/v1/i/x/book HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n{",
    ],
    ids=["nothing", "half the headers", "half the body"],
)
def test_an_unfinished_request_is_closed(strict_relay: EmbeddedRelay, sent: bytes) -> None:
    assert _closed_by_server(strict_relay, sent)
    assert httpx.get(f"{strict_relay.base_url}/healthz").status_code == 200


def test_a_kept_alive_connection_serves_requests_in_turn(strict_relay: EmbeddedRelay) -> None:
    with http_client(strict_relay.base_url) as client:
        assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]
