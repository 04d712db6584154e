"""Real relays on loopback: an embedded relay on SQLite, with an organizer key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

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


def start_relay(path: Path, **settings: Any) -> EmbeddedRelay:
    relay = EmbeddedRelay(
        f"sqlite:///{path}", settings=RelaySettings(bookings_per_minute=0, **settings)
    )
    relay.start()
    return relay


@pytest.fixture
def running_relay(tmp_path: Path) -> Iterator[EmbeddedRelay]:
    relay = start_relay(tmp_path / "relay.sqlite3")
    yield relay
    relay.stop()


@pytest.fixture
def organizer_key(running_relay: EmbeddedRelay) -> str:
    return running_relay.create_organizer("Ann")


@pytest.fixture
def organizer(running_relay: EmbeddedRelay, organizer_key: str) -> Iterator[httpx.Client]:
    """An HTTP client speaking to the relay with the organizer's key."""
    headers = {"Authorization": f"Bearer {organizer_key}"}
    with httpx.Client(base_url=running_relay.base_url, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture
def customer(running_relay: EmbeddedRelay) -> Iterator[httpx.Client]:
    """An HTTP client speaking to the relay as a customer's browser would, minus JS."""
    with httpx.Client(base_url=running_relay.base_url, timeout=30) as client:
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
