"""Many customers at once: every contested slot is booked exactly once, never a 5xx.

The same scenario runs against the embedded relay on SQLite and against
``inviteonce-relay serve --workers 4`` on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.organizers import OrganizerDirectory

ATTEMPTS = 200


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _offer(
    starts: list[datetime], resources: list[str], pools: list[list[str]]
) -> dict[str, object]:
    return {
        "subject": "Contested",
        "duration_minutes": 30,
        "organizer_name": "Ann",
        "meeting_type": "phone",
        "location": "",
        "time_zone": "UTC",
        "time_zone_conversion": "customer",
        "fixed_time_zone": None,
        "expires_at": _iso(datetime.now(UTC) + timedelta(days=30)),
        "slots": [
            {
                "start": _iso(s),
                "end": _iso(s + timedelta(minutes=30)),
                "resources": resources,
                "pools": pools,
            }
            for s in starts
        ],
    }


async def _contest(base_url: str, key: str) -> dict[str, Counter[int]]:
    """Publishes three contests, fires 200 bookings at each, returns status counts."""
    base = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=5)
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=ATTEMPTS, max_keepalive_connections=ATTEMPTS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as client:

        async def publish(name: str, body: dict[str, object]) -> str:
            response = await client.put(f"/api/v1/offers/{name}", json=body, headers=headers)
            assert response.status_code == 201, response.text
            token: str = response.json()["token"]
            return token

        same = await publish("same", _offer([base], ["alice"], []))
        # Ten offers whose slots all overlap one another on the shared key "bob".
        overlapping = [
            await publish(f"overlap-{i}", _offer([base + timedelta(minutes=i)], ["bob"], []))
            for i in range(10)
        ]
        # Ten offers needing one room of a pool of two: exactly two can succeed.
        pooled = [
            await publish(f"pool-{i}", _offer([base + timedelta(minutes=i)], [], [["r1", "r2"]]))
            for i in range(10)
        ]

        async def book(token: str, start: datetime) -> int:
            response = await client.post(
                f"/api/v1/i/{token}/book", json={"start": _iso(start), "time_zone": "UTC"}
            )
            return response.status_code

        async def fire(tokens: list[str], offset: bool) -> Counter[int]:
            calls = [
                book(
                    tokens[n % len(tokens)],
                    base + timedelta(minutes=(n % len(tokens)) if offset else 0),
                )
                for n in range(ATTEMPTS)
            ]
            return Counter(await asyncio.gather(*calls))

        return {
            "same": await fire([same], False),
            "overlapping": await fire(overlapping, True),
            "pooled": await fire(pooled, True),
        }


def _check(results: dict[str, Counter[int]]) -> None:
    for name, counts in results.items():
        assert not [s for s in counts if s >= 500], (name, counts)
        assert set(counts) <= {201, 409}, (name, counts)
    assert results["same"][201] == 1
    assert results["overlapping"][201] == 1
    assert results["pooled"][201] == 2


def test_contested_slots_on_sqlite(tmp_path: Path) -> None:
    from inviteonce_desktop.relay.settings import RelaySettings

    relay = EmbeddedRelay(
        f"sqlite:///{tmp_path / 'relay.sqlite3'}", settings=RelaySettings(bookings_per_minute=0)
    )
    key = relay.create_organizer("Ann")
    with relay:
        results = asyncio.run(_contest(relay.base_url, key))
    _check(results)


@pytest.fixture
def postgres_url(postgres_url: str) -> Iterator[str]:
    """A fresh schema on the session's PostgreSQL server, dropped afterwards."""
    url = postgres_url
    schema = f"relay_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield scoped.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.postgres
def test_contested_slots_on_postgres_with_four_workers(postgres_url: str) -> None:
    engine = create_relay_engine(postgres_url, pool_size=1)
    migrate(engine)
    key = OrganizerDirectory(engine).add("Ann")
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "INVITEONCE_RELAY_BOOKINGS_PER_MINUTE": "0"}
    command = [
        sys.executable,
        "-m",
        "inviteonce_desktop.relay.cli",
        "serve",
        "--database-url",
        postgres_url,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "4",
    ]
    server = subprocess.Popen(command, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base_url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the relay exited"
            assert time.monotonic() < deadline, "the relay did not start"
            time.sleep(0.2)
        results = asyncio.run(_contest(base_url, key))
    finally:
        server.terminate()
        server.wait(timeout=30)
    _check(results)
