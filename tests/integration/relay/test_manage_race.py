"""Reschedules racing: exactly one wins, the loser learns the true state, nothing is lost.

A customer's reschedule races another customer's booking of the same new slot
(two invitations of one team member), and two tabs of one customer move to the
same new slot at once; on the embedded relay, four SQLite workers and four
PostgreSQL workers.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import QUICK_RECHECK_SECONDS, ServedRelay, async_http_client, migrated_sqlite

ROUNDS = 6


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _slot(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _offer(starts: list[datetime]) -> dict[str, object]:
    return {
        "subject": "Contested",
        "duration_minutes": 30,
        "organizer_name": "Ann",
        "meeting_type": "phone",
        "time_zone": "UTC",
        "expires_at": _iso(datetime.now(UTC) + timedelta(days=30)),
        "slots": [
            {"start": _iso(s), "end": _iso(s + timedelta(minutes=30)), "resources": ["ann"]}
            for s in starts
        ],
    }


@pytest.fixture(
    scope="module",
    params=["sqlite", "sqlite-4", pytest.param("postgres-4", marks=pytest.mark.postgres)],
)
def relay_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[str, str]]:
    """(base URL, organizer key) of a relay on the backend named by the parameter: the
    embedded one shared by this module's tests (their invitations have names of their
    own), the served ones by the session's (this module has an organizer of its own)."""
    if request.param == "sqlite":
        url = migrated_sqlite(sqlite_template, tmp_path_factory.mktemp("relay") / "relay.sqlite3")
        relay = EmbeddedRelay(
            url,
            settings=RelaySettings(bookings_per_minute=0, recheck_seconds=QUICK_RECHECK_SECONDS),
        )
        key = relay.create_organizer("Ann")
        with relay:
            yield relay.base_url, key
        return
    name = "served_on_sqlite" if request.param == "sqlite-4" else "served_on_postgres"
    served: ServedRelay = request.getfixturevalue(name)
    yield served.base_url, served.organizer()


class Round:
    """One customer booked at *booked*, about to move to *wanted*."""

    def __init__(self, organizer: httpx.AsyncClient, name: str, booked: datetime) -> None:
        self.organizer = organizer
        self.name = name
        self.booked = booked
        self.wanted = booked + timedelta(hours=1)
        self.manage = ""

    async def publish(self, name: str, starts: list[datetime]) -> str:
        answer = await self.organizer.put(f"/api/v1/offers/{name}", json=_offer(starts))
        assert answer.status_code == 201, answer.text
        token: str = answer.json()["token"]
        return token

    async def book_first(self, customer: httpx.AsyncClient) -> None:
        token = await self.publish(self.name, [self.booked, self.wanted])
        booked = await customer.post(
            f"/api/v1/i/{token}/book", json={"start": _iso(self.booked), "time_zone": "UTC"}
        )
        assert booked.status_code == 201, booked.text
        feed = (await self.organizer.get("/api/v1/bookings")).json()["bookings"]
        (entry,) = [e for e in feed if e["invitation_id"] == self.name]
        self.manage = "/" + entry["manage_url"].split("://", 1)[1].split("/", 1)[1]

    async def move_form(self, customer: httpx.AsyncClient) -> dict[str, str]:
        page = await customer.get(f"{self.manage}/reschedule/{_slot(self.wanted)}")
        assert page.status_code == 200, page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        expected = re.search(r'name="from" value="(\d+)"', page.text)
        assert csrf is not None and expected is not None
        return {"slot_id": _slot(self.wanted), "csrf": csrf[1], "from": expected[1]}

    async def state(self, customer: httpx.AsyncClient) -> str:
        return (await customer.get(self.manage)).text


async def _race_another_customer(base_url: str, key: str) -> list[tuple[int, int]]:
    headers = {"Authorization": f"Bearer {key}"}
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=4)
    outcomes = []
    async with (
        async_http_client(base_url, headers=headers, timeout=60) as organizer,
        async_http_client(base_url, timeout=60) as mover,
        async_http_client(base_url, timeout=60) as other,
    ):
        for n in range(ROUNDS):
            play = Round(organizer, f"move-{n}", base + timedelta(hours=3 * n))
            await play.book_first(mover)
            rival = await play.publish(f"rival-{n}", [play.wanted])
            form = await play.move_form(mover)
            moved, booked = await asyncio.gather(
                mover.post(f"{play.manage}/reschedule", data=form),
                other.post(
                    f"/api/v1/i/{rival}/book", json={"start": _iso(play.wanted), "time_zone": "UTC"}
                ),
            )
            outcomes.append((moved.status_code, booked.status_code))
            shown = await play.state(mover)
            if moved.status_code == 303:
                assert booked.json()["error"] == "slot_taken"
                assert f"{play.wanted:%H:%M}" in shown
            else:
                # The loser sees the truth: just taken, its meeting still at the old time.
                assert "just taken" in moved.text
                assert f"{play.booked:%H:%M}" in shown
                # The old hold came back with the rolled-back move: nobody else can take it.
                thief = await play.publish(f"thief-{n}", [play.booked])
                stolen = await other.post(
                    f"/api/v1/i/{thief}/book", json={"start": _iso(play.booked), "time_zone": "UTC"}
                )
                assert stolen.status_code == 409
    return outcomes


async def _race_two_tabs(base_url: str, key: str) -> list[tuple[int, int]]:
    headers = {"Authorization": f"Bearer {key}"}
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=9)
    outcomes = []
    async with (
        async_http_client(base_url, headers=headers, timeout=60) as organizer,
        async_http_client(base_url, timeout=60) as customer,
    ):
        for n in range(ROUNDS):
            play = Round(organizer, f"tabs-{n}", base + timedelta(hours=3 * n))
            await play.book_first(customer)
            first, second = await play.move_form(customer), await play.move_form(customer)
            answers = await asyncio.gather(
                customer.post(f"{play.manage}/reschedule", data=first),
                customer.post(f"{play.manage}/reschedule", data=second),
            )
            outcomes.append((answers[0].status_code, answers[1].status_code))
            loser = next(a for a in answers if a.status_code != 303)
            assert "changed meanwhile" in loser.text and f"{play.wanted:%H:%M}" in loser.text
    feed = (await organizer_feed(base_url, key))["bookings"]
    moves = Counter(
        e["invitation_id"]
        for e in feed
        if e["change"] == "moved" and e["invitation_id"].startswith("tabs-")
    )
    assert moves == {f"tabs-{n}": 1 for n in range(ROUNDS)}
    return outcomes


async def organizer_feed(base_url: str, key: str) -> dict[str, list[dict[str, str]]]:
    async with async_http_client(base_url, timeout=60) as client:
        answer = await client.get("/api/v1/bookings", headers={"Authorization": f"Bearer {key}"})
        data: dict[str, list[dict[str, str]]] = answer.json()
        return data


def test_a_reschedule_racing_another_booking_of_the_slot(relay_url: tuple[str, str]) -> None:
    outcomes = asyncio.run(_race_another_customer(*relay_url))
    assert all(sorted(pair) in ([201, 409], [303, 409]) for pair in outcomes), outcomes


def test_two_tabs_moving_to_the_same_slot_at_once(relay_url: tuple[str, str]) -> None:
    outcomes = asyncio.run(_race_two_tabs(*relay_url))
    assert all(sorted(pair) == [303, 409] for pair in outcomes), outcomes
