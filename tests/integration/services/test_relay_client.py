"""The desktop's relay client against a real embedded relay on loopback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings
from inviteonce_desktop.services.relay_client import (
    OfferSlot,
    RelayClient,
    RelayOffer,
    RelayRejected,
    RelayUnavailable,
)


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    path: Path = tmp_path_factory.mktemp("relay") / "relay.sqlite3"
    embedded = EmbeddedRelay(f"sqlite:///{path}", settings=RelaySettings(bookings_per_minute=0))
    key = embedded.create_organizer("Desk")
    with embedded:
        yield embedded.base_url, key


def _offer(start: datetime) -> RelayOffer:
    return RelayOffer(
        subject="Intro",
        duration_minutes=30,
        organizer_name="Ann",
        meeting_type=MeetingType.PHONE,
        time_zone="Europe/Berlin",
        expires_at=datetime.now(UTC) + timedelta(days=10),
        slots=(OfferSlot(start, start + timedelta(minutes=30), ("ann",), (("room-1", "room-2"),)),),
        time_zone_conversion=TimeZoneConversion.FIXED,
        promoted=(start,),
    )


def _start(days: int) -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)


def test_publish_book_feed_ack_cancel(relay: tuple[str, str]) -> None:
    base_url, key = relay
    start = _start(3)

    async def scenario() -> None:
        async with RelayClient(base_url, key) as client:
            assert await client.health_problem() is None
            published = await client.publish("inv/1", _offer(start))
            again = await client.publish("inv/1", _offer(start))
            assert published.created and not again.created
            assert again.token == published.token
            assert list(published.promoted_urls) == [start]
            async with httpx.AsyncClient() as customer:
                booked = await customer.post(
                    f"{base_url}/api/v1/i/{published.token}/book",
                    json={"start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "time_zone": "UTC"},
                )
            assert booked.status_code == 201
            page = await client.bookings(after=0, wait=5)
            [booking] = page.bookings
            assert booking.invitation_id == "inv/1"
            assert booking.start == start
            assert booking.resource_keys == ("ann", "room-1")
            assert booking.customer_time_zone == "Europe/Berlin"
            assert await client.ack_ids([booking.id]) == 1
            assert (await client.bookings(after=0)).bookings == ()
            assert await client.cancel("inv/1")
            assert not await client.cancel("unknown")

    asyncio.run(scenario())


def test_errors_are_classified_and_never_show_the_key(relay: tuple[str, str]) -> None:
    base_url, _key = relay

    async def scenario() -> None:
        async with RelayClient(base_url, "io_secret-wrong-key") as client:
            with pytest.raises(RelayRejected) as rejected:
                await client.publish("inv", _offer(_start(2)))
        assert rejected.value.status == 401
        assert "secret-wrong-key" not in str(rejected.value)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed_port = sock.getsockname()[1]
        async with RelayClient(f"http://127.0.0.1:{closed_port}", "io_secret") as client:
            with pytest.raises(RelayUnavailable) as unavailable:
                await client.bookings()
            assert "refuses connections" in (await client.health_problem() or "")
        assert "io_secret" not in str(unavailable.value)

    asyncio.run(scenario())


def test_a_server_error_is_unavailable_and_a_bad_offer_is_rejected(
    relay: tuple[str, str],
) -> None:
    base_url, key = relay

    def failing(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="down")

    async def scenario() -> None:
        async with RelayClient(base_url, key, transport=httpx.MockTransport(failing)) as client:
            with pytest.raises(RelayUnavailable):
                await client.ack_ids([1])
        async with RelayClient(base_url, key) as client:
            bad = _offer(_start(2))
            late = OfferSlot(_start(2) + timedelta(seconds=30), _start(2) + timedelta(hours=1))
            with pytest.raises(RelayRejected) as rejected:
                await client.publish("bad", replace(bad, slots=(late,)))
            # Off a whole minute is out of the declared shape: refused at the door.
            assert rejected.value.status == 400
            assert "whole minute" in str(rejected.value)

    asyncio.run(scenario())


def test_the_published_notice_and_buffers_are_enforced_by_the_relay(
    relay: tuple[str, str],
) -> None:
    base_url, key = relay
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    soon, later, neighbour = (
        now + timedelta(hours=3),
        now + timedelta(hours=6),
        now + timedelta(hours=6, minutes=40),
    )
    offer = replace(
        _offer(later),
        slots=tuple(
            OfferSlot(s, s + timedelta(minutes=30), ("notice-ann",))
            for s in (soon, later, neighbour)
        ),
        promoted=(),
        minimum_notice=timedelta(hours=4),
        buffer_after=timedelta(minutes=10, seconds=1),
    )

    async def scenario() -> list[str]:
        async with RelayClient(base_url, key) as client, httpx.AsyncClient() as customer:
            published = await client.publish("inv/notice", offer)
            link = f"{base_url}/api/v1/i/{published.token}"
            shown = (await customer.get(link)).json()["slots"]
            booked = await customer.post(
                f"{link}/book", json={"start": later.strftime("%Y-%m-%dT%H:%M:%SZ")}
            )
            assert booked.status_code == 201
            other = await client.publish(
                "inv/neighbour", replace(offer, slots=offer.slots[2:], buffer_after=timedelta(0))
            )
            left = (await customer.get(f"{base_url}/api/v1/i/{other.token}")).json()["slots"]
            await client.cancel("inv/notice")
            await client.cancel("inv/neighbour")
            return [s["start"] for s in shown] + ["|"] + [s["start"] for s in left]

    fmt = "%Y-%m-%dT%H:%M:%SZ"
    # The 3-hour slot is inside the notice; the neighbour 10 minutes after the
    # booked meeting is inside its 11-minute buffer (rounded up to whole minutes).
    assert asyncio.run(scenario()) == [later.strftime(fmt), neighbour.strftime(fmt), "|"]
