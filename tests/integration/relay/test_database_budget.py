"""A burst never meets a 5xx: the relay stays inside the connections the server allows,
and answers 503 with Retry-After, not a 500, when the database is saturated."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette

from inviteonce_desktop.relay.app import create_app, engine_for
from inviteonce_desktop.relay.database import (
    SPARE_CONNECTIONS,
    connection_budget,
    create_relay_engine,
    migrate,
)
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import add_organizer, async_http_client, serve

pytestmark = pytest.mark.postgres

LIMIT = 12


@pytest.fixture
def limited_url(postgres_url: str) -> Iterator[str]:
    """A database owned by a role that may hold only LIMIT connections."""
    suffix = uuid.uuid4().hex[:10]
    role, database = f"relay_role_{suffix}", f"relay_db_{suffix}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT {LIMIT}'))
        connection.execute(text(f'CREATE DATABASE "{database}" OWNER "{role}"'))
    url = make_url(postgres_url).set(username=role, password=None, database=database)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def _offer(start: datetime, key: str) -> dict[str, object]:
    return {
        "subject": "Burst",
        "duration_minutes": 30,
        "organizer_name": "Ann",
        "meeting_type": "phone",
        "time_zone": "UTC",
        "expires_at": (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "slots": [
            {
                "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "resources": [key],
            }
        ],
    }


def test_the_budget_follows_the_role_limit(limited_url: str) -> None:
    engine = create_relay_engine(limited_url, pool_size=1)
    try:
        assert connection_budget(engine) == LIMIT - SPARE_CONNECTIONS
    finally:
        engine.dispose()


def test_hosts_on_one_database_each_take_an_equal_share(limited_url: str) -> None:
    first = create_relay_engine(limited_url, pool_size=4)
    with ExitStack() as held:
        # The first host is up and holds its share; the second works out the same one.
        for _ in range(4):
            held.enter_context(first.connect())
        second = create_relay_engine(limited_url, pool_size=1)
        try:
            share = connection_budget(second, hosts=2)
        finally:
            second.dispose()
    first.dispose()
    assert share == (LIMIT - SPARE_CONNECTIONS) // 2


def test_each_worker_pools_its_share_of_its_hosts_share(limited_url: str) -> None:
    settings = RelaySettings(database_url=limited_url, hosts=2, workers=2)
    engine = engine_for(settings)
    try:
        assert engine.pool.size() == (LIMIT - SPARE_CONNECTIONS) // 2 // 2  # type: ignore[attr-defined]
    finally:
        engine.dispose()


async def _burst(base_url: str, key: str) -> Counter[int]:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    async with async_http_client(base_url, timeout=120) as client:
        tokens = []
        for n in range(20):
            response = await client.put(
                f"/api/v1/offers/burst-{n}",
                json=_offer(start, f"member-{n % 5}"),
                headers={"Authorization": f"Bearer {key}"},
            )
            assert response.status_code == 201, response.text
            tokens.append(response.json()["token"])
    slot = start.strftime("%Y%m%dT%H%M%SZ")

    async def visit(n: int) -> int:
        """The *n*th visitor, a client of its own on a connection of its own (one shared
        pool of 200 connections costs httpcore more cpu than the relay spends)."""
        token = tokens[n % len(tokens)]
        async with async_http_client(base_url, timeout=120) as visitor:
            if n % 2:
                return (await visitor.get(f"/i/{token}")).status_code
            booked = await visitor.post(f"/api/v1/i/{token}/book", json={"slot_id": slot})
            return booked.status_code

    return Counter(await asyncio.gather(*(visit(n) for n in range(200))))


def test_a_burst_on_four_workers_gets_no_5xx(limited_url: str) -> None:
    key = add_organizer(limited_url)
    with serve(limited_url, 4) as base_url:
        statuses = asyncio.run(_burst(base_url, key))
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[201] == 5 and statuses[200] == 100, statuses


def _get_and_book(app: Starlette) -> tuple[httpx.Response, httpx.Response, httpx.Response]:
    async def run() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay") as client:
            page = await client.get("/i/AAAAAAAAAAAAAAAAAAAAAAAA")
            api = await client.post(
                "/api/v1/i/AAAAAAAAAAAAAAAAAAAAAAAA/book", json={"slot_id": "x"}
            )
            health = await client.get("/healthz")
            return page, api, health

    return asyncio.run(run())


def test_a_saturated_pool_answers_503_with_retry_after(limited_url: str) -> None:
    engine = create_relay_engine(limited_url, pool_size=1, wait=0.2)
    migrate(engine)
    app = create_app(RelaySettings(database_url=limited_url), engine)
    with engine.connect():
        page, api, _health = _get_and_book(app)
    engine.dispose()
    assert page.status_code == 503 and page.headers["retry-after"] == "2"
    assert "try" in page.text and "text/html" in page.headers["content-type"]
    assert api.status_code == 503 and api.json()["error"] == "busy"
    assert api.headers["retry-after"] == "2"


def test_a_server_out_of_connections_answers_503(limited_url: str) -> None:
    setup = create_relay_engine(limited_url, pool_size=1)
    migrate(setup)
    setup.dispose()
    with ExitStack() as held:
        holder = create_engine(limited_url, pool_size=LIMIT, max_overflow=0)
        held.callback(holder.dispose)
        for _ in range(LIMIT):
            held.enter_context(holder.connect())
        engine = create_relay_engine(limited_url, pool_size=1, wait=0.2)
        held.callback(engine.dispose)
        app = create_app(RelaySettings(database_url=limited_url), engine)
        page, api, health = _get_and_book(app)
    assert page.status_code == 503 and page.headers["retry-after"] == "2"
    assert api.status_code == 503
    assert health.status_code == 503
