"""The relay hides and refuses what the desktop would: slots inside the minimum
notice (even on a relay whose clock runs ahead) and slots inside another
booking's buffers, across invitations."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import http_client

HOUR = timedelta(hours=1)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _offer(starts: list[datetime], **extra: Any) -> dict[str, Any]:
    return {
        "subject": "Intro call",
        "duration_minutes": 30,
        "organizer_name": "Ann",
        "meeting_type": "video",
        "time_zone": "UTC",
        "expires_at": _iso(datetime.now(UTC) + timedelta(days=30)),
        "slots": [
            {"start": _iso(s), "end": _iso(s + timedelta(minutes=30)), "resources": ["ann"]}
            for s in starts
        ],
        **extra,
    }


@pytest.fixture
def ahead(sqlite_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """(organizer, customer) clients of a relay whose clock runs an hour ahead."""
    relay = EmbeddedRelay(
        sqlite_url,
        settings=RelaySettings(bookings_per_minute=0),
        clock=lambda: time.time() + 3600,
    )
    key = relay.create_organizer("Ann")
    with relay:
        headers = {"Authorization": f"Bearer {key}"}
        with (
            http_client(relay.base_url, headers=headers, timeout=30) as organizer,
            http_client(relay.base_url, timeout=30) as customer,
        ):
            yield organizer, customer


def test_slots_inside_the_notice_are_hidden_and_refused(
    ahead: tuple[httpx.Client, httpx.Client],
) -> None:
    organizer, customer = ahead
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    # Published with four hours' notice; by the relay's clock an hour has passed.
    inside, edge, outside = now + 3.5 * HOUR, now + 4.5 * HOUR, now + 6 * HOUR
    published = organizer.put(
        "/api/v1/offers/inv-1",
        json=_offer([now + 2 * HOUR, inside, edge, outside], minimum_notice_minutes=240),
    )
    assert published.status_code == 201, published.text
    token = published.json()["token"]
    shown = customer.get(f"/api/v1/i/{token}").json()["slots"]
    assert [s["start"] for s in shown] == [_iso(outside)]
    page = customer.get(f"/i/{token}")
    assert outside.strftime("%Y%m%dT%H%M%SZ") in page.text
    assert inside.strftime("%Y%m%dT%H%M%SZ") not in page.text
    refused = customer.post(f"/api/v1/i/{token}/book", json={"start": _iso(edge)})
    assert refused.status_code == 409 and refused.json()["error"] == "slot_taken"
    assert [s["start"] for s in refused.json()["slots"]] == [_iso(outside)]
    booked = customer.post(f"/api/v1/i/{token}/book", json={"start": _iso(outside)})
    assert booked.status_code == 201


@pytest.fixture
def relay(sqlite_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    relay = EmbeddedRelay(sqlite_url, settings=RelaySettings(bookings_per_minute=0))
    key = relay.create_organizer("Ann")
    with relay:
        headers = {"Authorization": f"Bearer {key}"}
        with (
            http_client(relay.base_url, headers=headers, timeout=30) as organizer,
            http_client(relay.base_url, timeout=30) as customer,
        ):
            yield organizer, customer


def test_a_booking_keeps_its_buffers_free_in_every_other_invitation(
    relay: tuple[httpx.Client, httpx.Client],
) -> None:
    organizer, customer = relay
    day = (datetime.now(UTC) + timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)

    def at(hour: int, minute: int = 0) -> datetime:
        return day.replace(hour=hour, minute=minute)

    buffers = {"buffer_before_minutes": 15, "buffer_after_minutes": 15}
    tokens = {}
    for name, body in {
        "first": _offer([at(9, 30)], **buffers),
        "second": _offer([at(9), at(10), at(10, 15), at(11)], **buffers),
        "plain": _offer([at(10), at(10, 15)]),
    }.items():
        response = organizer.put(f"/api/v1/offers/{name}", json=body)
        assert response.status_code == 201, response.text
        tokens[name] = response.json()["token"]

    assert (
        customer.post(
            f"/api/v1/i/{tokens['first']}/book", json={"start": _iso(at(9, 30))}
        ).status_code
        == 201
    )

    def free(name: str) -> list[str]:
        return [s["start"] for s in customer.get(f"/api/v1/i/{name}").json()["slots"]]

    # 09:30-10:00 is booked with 15 minutes kept free on each side.
    assert free(tokens["second"]) == [_iso(at(10, 15)), _iso(at(11))]
    assert free(tokens["plain"]) == [_iso(at(10, 15))]
    refused = customer.post(f"/api/v1/i/{tokens['second']}/book", json={"start": _iso(at(10))})
    assert refused.status_code == 409
    assert [s["start"] for s in refused.json()["slots"]] == [_iso(at(10, 15)), _iso(at(11))]
    assert (
        customer.post(f"/api/v1/i/{tokens['plain']}/book", json={"start": _iso(at(10))}).status_code
        == 409
    )
    assert (
        customer.post(
            f"/api/v1/i/{tokens['second']}/book", json={"start": _iso(at(10, 15))}
        ).status_code
        == 201
    )
