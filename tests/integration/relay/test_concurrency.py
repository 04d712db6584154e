"""Many customers at once: every contested slot is booked exactly once, never a 5xx,
and every loser learns the true state: already scheduled (with the booking), or
taken with exactly the times still free.

The same scenarios run against the embedded relay on SQLite, ``inviteonce-relay
serve --workers 4`` on SQLite, and the same on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import ServedRelay, async_http_client, migrated_sqlite

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


@pytest.fixture(
    scope="module",
    params=["sqlite", "sqlite-4", pytest.param("postgres-4", marks=pytest.mark.postgres)],
)
def relay_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[str, str]]:
    """(base URL, organizer key) of a relay on the backend named by the parameter: the
    embedded one shared by this module's tests (their invitations, resources and days are
    their own), the served ones by the session's (this module has an organizer of its own)."""
    if request.param == "sqlite":
        url = migrated_sqlite(sqlite_template, tmp_path_factory.mktemp("relay") / "relay.sqlite3")
        # This relay serves the contests from a thread of the process that fires them: on a
        # loaded machine a client task can connect and send its request more than the
        # 15 s slow-client cut-off later (tests/integration/relay/test_slow_clients.py
        # covers that cut-off); here every request is answered.
        settings = RelaySettings(bookings_per_minute=0, request_timeout_seconds=300)
        relay = EmbeddedRelay(url, settings=settings)
        key = relay.create_organizer("Ann")
        with relay:
            yield relay.base_url, key
        return
    name = "served_on_sqlite" if request.param == "sqlite-4" else "served_on_postgres"
    served: ServedRelay = request.getfixturevalue(name)
    yield served.base_url, served.organizer()


@dataclass
class Contest:
    """Offers whose first slot is fought over; their second slot stays free."""

    tokens: list[str]
    starts: list[datetime]
    spare: datetime
    answers: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)

    def winners(self) -> Counter[int]:
        return Counter(offer for status, offer, _ in self.answers if status == 201)

    def check(self, winners: int) -> None:
        statuses = Counter(status for status, _, _ in self.answers)
        assert set(statuses) <= {201, 409}, statuses
        booked = self.winners()
        assert sum(booked.values()) == winners, booked
        assert all(count == 1 for count in booked.values()), booked
        for status, offer, body in self.answers:
            if status != 409:
                continue
            if offer in booked:
                # The invitation has its meeting: the loser is told so, with the booking.
                assert body["error"] == "already_scheduled", body
                assert body["booking"]["start"] == _iso(self.starts[offer]), body
            else:
                # Truly taken: the answer lists exactly the times still free.
                assert body["error"] == "slot_taken", body
                assert [s["start"] for s in body["slots"]] == [_iso(self.spare)], body


async def _publish(client: httpx.AsyncClient, key: str, name: str, body: dict[str, object]) -> str:
    response = await client.put(
        f"/api/v1/offers/{name}", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


async def _fire(client: httpx.AsyncClient, contest: Contest, attempts: int) -> None:
    """*attempts* customers at once, each a client of its own on a connection of its own
    (one shared pool of 200 connections costs httpcore more cpu than the relay spends)."""

    async def book(offer: int) -> tuple[int, int, dict[str, Any]]:
        async with async_http_client(str(client.base_url), timeout=120) as customer:
            response = await customer.post(
                f"/api/v1/i/{contest.tokens[offer]}/book",
                json={"start": _iso(contest.starts[offer]), "time_zone": "UTC"},
            )
        return response.status_code, offer, response.json()

    count = len(contest.tokens)
    contest.answers = list(await asyncio.gather(*(book(n % count) for n in range(attempts))))


def _client(base_url: str) -> httpx.AsyncClient:
    return async_http_client(base_url, timeout=120)


async def _contests(base_url: str, key: str) -> dict[str, Contest]:
    base = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=5)
    spare = base + timedelta(days=1)
    async with _client(base_url) as client:
        same = Contest(
            [await _publish(client, key, "same", _offer([base, spare], ["alice"], []))],
            [base],
            spare,
        )
        # Ten offers whose first slots all overlap one another on the shared key "bob".
        starts = [base + timedelta(minutes=i) for i in range(10)]
        overlapping = Contest(
            [
                await _publish(client, key, f"overlap-{i}", _offer([s, spare], ["bob"], []))
                for i, s in enumerate(starts)
            ],
            starts,
            spare,
        )
        # Ten offers needing one room of a pool of two: exactly two can succeed.
        pooled = Contest(
            [
                await _publish(client, key, f"pool-{i}", _offer([s, spare], [], [["r1", "r2"]]))
                for i, s in enumerate(starts)
            ],
            starts,
            spare,
        )
        for contest in (same, overlapping, pooled):
            await _fire(client, contest, ATTEMPTS)
    return {"same": same, "overlapping": overlapping, "pooled": pooled}


def test_every_loser_of_a_race_learns_the_true_state(relay_url: tuple[str, str]) -> None:
    contests = asyncio.run(_contests(*relay_url))
    contests["same"].check(winners=1)
    contests["overlapping"].check(winners=1)
    contests["pooled"].check(winners=2)


async def _pool_rounds(base_url: str, key: str, rounds: int, size: int) -> list[Contest]:
    """*size* invitations booking one slot at once, each needing one room of *size*."""
    rooms = [f"room-{n}" for n in range(size)]
    base = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=8)
    played: list[Contest] = []
    async with _client(base_url) as client:
        for round_ in range(rounds):
            start = base + timedelta(hours=round_)
            spare = start + timedelta(days=1)
            tokens = [
                await _publish(
                    client, key, f"rooms-{round_}-{n}", _offer([start, spare], [], [rooms])
                )
                for n in range(size)
            ]
            contest = Contest(tokens, [start] * size, spare)
            await _fire(client, contest, size)
            played.append(contest)
    return played


def test_a_pool_of_eight_serves_eight_invitations_at_once(relay_url: tuple[str, str]) -> None:
    for contest in asyncio.run(_pool_rounds(*relay_url, rounds=5, size=8)):
        assert Counter(status for status, _, _ in contest.answers) == {201: 8}
