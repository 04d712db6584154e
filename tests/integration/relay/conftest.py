"""Real relays on loopback: an embedded relay on SQLite, with an organizer key; and
``inviteonce-relay serve --workers 4`` on SQLite, shared by the session (on PostgreSQL it is
the root conftest's ``served_on_postgres``, which the browser tests share too)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import (
    ServedRelay,
    Statement,
    http_client,
    migrated_postgres_schema,
    migrated_sqlite,
    recorded_migration,
    served,
)

OfferFactory = Callable[..., dict[str, Any]]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def future_hour(days: int = 3, hour: int = 9) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


@pytest.fixture
def make_offer() -> OfferFactory:
    """Builds an offer body: *starts* of 30-minute slots, each needing *resources*."""

    def build(
        starts: list[datetime] | None = None,
        resources: list[str] | None = None,
        pools: list[list[str]] | None = None,
        **overrides: Any,
    ) -> dict[str, Any]:
        starts = starts if starts is not None else [future_hour(3, 9), future_hour(3, 10)]
        body: dict[str, Any] = {
            "subject": "Intro call",
            "duration_minutes": 30,
            "organizer_name": "Ann Organizer",
            "meeting_type": "video",
            "location": "Video link follows",
            "time_zone": "Europe/Paris",
            "time_zone_conversion": "customer",
            "fixed_time_zone": None,
            "expires_at": _iso(datetime.now(UTC) + timedelta(days=30)),
            "slots": [
                {
                    "start": _iso(start),
                    "end": _iso(start + timedelta(minutes=30)),
                    "resources": list(resources if resources is not None else ["alice"]),
                    "pools": pools or [],
                }
                for start in starts
            ],
            "promoted": [],
        }
        body.update(overrides)
        return body

    return build


def start_relay(url: str, **settings: Any) -> EmbeddedRelay:
    relay = EmbeddedRelay(url, settings=RelaySettings(bookings_per_minute=0, **settings))
    relay.start()
    return relay


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A relay database migrated once; each test's starts as a copy of it."""
    path = tmp_path_factory.mktemp("template") / "relay.sqlite3"
    engine = create_relay_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # The last connection folds the write-ahead log into the file.
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated relay database of this test's own, at tmp_path / "relay.sqlite3"."""
    return migrated_sqlite(sqlite_template, tmp_path / "relay.sqlite3")


@pytest.fixture(scope="session")
def postgres_migration(postgres_url: str) -> list[Statement]:
    """The relay's migrations as run once on the test server, to be run again per schema."""
    return recorded_migration(postgres_url)


@pytest.fixture
def postgres_schema_url(postgres_url: str, postgres_migration: list[Statement]) -> Iterator[str]:
    """A migrated relay schema of this test's own on the test server; dropped afterwards."""
    with migrated_postgres_schema(postgres_url, postgres_migration) as url:
        yield url


@pytest.fixture
def running_relay(sqlite_url: str) -> Iterator[EmbeddedRelay]:
    relay = start_relay(sqlite_url)
    yield relay
    relay.stop()


@pytest.fixture
def organizer_key(running_relay: EmbeddedRelay) -> str:
    return running_relay.create_organizer("Ann")


@pytest.fixture
def organizer(running_relay: EmbeddedRelay, organizer_key: str) -> Iterator[httpx.Client]:
    """An HTTP client speaking to the relay with the organizer's key."""
    headers = {"Authorization": f"Bearer {organizer_key}"}
    with http_client(running_relay.base_url, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture
def customer(running_relay: EmbeddedRelay) -> Iterator[httpx.Client]:
    """An HTTP client speaking to the relay as a customer's browser would, minus JS."""
    with http_client(running_relay.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def publish(organizer: httpx.Client, make_offer: OfferFactory) -> Callable[..., str]:
    """Publishes an offer and returns its link token."""

    def run(invitation_id: str = "inv-1", **offer: Any) -> str:
        response = organizer.put(f"/api/v1/offers/{invitation_id}", json=make_offer(**offer))
        assert response.status_code in (200, 201), response.text
        token: str = response.json()["token"]
        return token

    return run


@pytest.fixture
def hour() -> Callable[[int, int], datetime]:
    """``hour(days, h)``: a whole hour *days* from now, in UTC."""
    return future_hour


def slot_id(start: datetime) -> str:
    return start.strftime("%Y%m%dT%H%M%SZ")


@pytest.fixture
def slot_id_of() -> Callable[[datetime], str]:
    return slot_id


@pytest.fixture(scope="session")
def served_on_sqlite(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[ServedRelay]:
    """Four workers on one SQLite file (a copy of the migrated template), started once for
    the session's modules."""
    path = tmp_path_factory.mktemp("served") / "relay.sqlite3"
    yield from served(migrated_sqlite(sqlite_template, path))
