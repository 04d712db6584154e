"""Two relay hosts (two ``inviteonce-relay serve`` of two workers each) sharing one
PostgreSQL: a cancel, an expiry or a booking made through one shows on the very
next page of every worker of both, however long pages may be cached."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from .servers import Statement, add_organizer, http_client, migrated_postgres_schema, serve

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

GETS = 8
LIFETIMES = (2, 6, 20)
"""Seconds an expiring offer lives, tried in turn."""


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def hosts(postgres_url: str, postgres_migration: list[Statement]) -> Iterator[tuple[str, str, str]]:
    """(host A, host B, organizer key), with pages cached up to a minute."""
    with migrated_postgres_schema(postgres_url, postgres_migration) as url:
        key = add_organizer(url)
        cache = {"INVITEONCE_RELAY_PAGE_CACHE_SECONDS": "60", "INVITEONCE_RELAY_HOSTS": "2"}
        with serve(url, 2, **cache) as first, serve(url, 2, **cache) as second:
            yield first, second, key


@pytest.fixture(scope="module")
def web() -> Iterator[httpx.Client]:
    """The test's one HTTP client for both hosts."""
    with http_client() as client:
        yield client


def _publish(web: httpx.Client, host: str, key: str, name: str, **changes: Any) -> str:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    body: dict[str, Any] = {
        "subject": "Two hosts",
        "duration_minutes": 30,
        "organizer_name": "Ann",
        "meeting_type": "phone",
        "time_zone": "UTC",
        "expires_at": _iso(datetime.now(UTC) + timedelta(days=30)),
        "slots": [
            {"start": _iso(start), "end": _iso(start + timedelta(minutes=30)), "resources": ["ann"]}
        ],
        **changes,
    }
    response = web.put(
        f"{host}/api/v1/offers/{name}", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def _pages(hosts: tuple[str, str, str], token: str) -> list[httpx.Response]:
    """GETs of the link on both hosts, each on a new connection (so on any worker)."""
    answers = []
    with http_client(headers={"connection": "close"}) as pages:
        for host in hosts[:2]:
            for _ in range(GETS):
                answers.append(pages.get(f"{host}/i/{token}"))
    return answers


def test_a_cancel_shows_on_every_next_page(hosts: tuple[str, str, str], web: httpx.Client) -> None:
    first, second, key = hosts
    token = _publish(web, first, key, "cancel-me")
    assert {r.status_code for r in _pages(hosts, token)} == {200}
    cancelled = web.delete(
        f"{second}/api/v1/offers/cancel-me", headers={"Authorization": f"Bearer {key}"}
    )
    assert cancelled.status_code == 200
    assert {r.status_code for r in _pages(hosts, token)} == {410}


def test_a_booking_shows_on_every_next_page_of_every_invitation_it_touches(
    hosts: tuple[str, str, str], web: httpx.Client
) -> None:
    first, second, key = hosts
    booked, neighbour = _publish(web, first, key, "book-me"), _publish(web, first, key, "neighbour")
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    before = {r.text for r in _pages(hosts, neighbour)}
    answer = web.post(f"{second}/api/v1/i/{booked}/book", json={"start": _iso(start)})
    assert answer.status_code == 201, answer.text
    after = {r.text for r in _pages(hosts, neighbour)}
    # Every worker of both hosts showed the one free time before, and none after.
    assert len(before) == 1 and len(after) == 1
    assert start.strftime("%Y%m%dT%H%M%SZ") in before.pop()
    assert start.strftime("%Y%m%dT%H%M%SZ") not in after.pop()
    assert all(r.status_code == 200 for r in _pages(hosts, booked))


def test_an_expiry_shows_on_every_next_page(hosts: tuple[str, str, str], web: httpx.Client) -> None:
    first, _second, key = hosts
    # The first round of pages must all be answered before the offer expires: a couple of
    # seconds suffice, a loaded machine gets a longer-lived offer on its next try.
    for lifetime in LIFETIMES:
        expires = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=lifetime)
        token = _publish(web, first, key, f"expire-me-{lifetime}", expires_at=_iso(expires))
        live = _pages(hosts, token)
        if datetime.now(UTC) < expires:
            break
    else:
        pytest.fail(f"no round of pages ended within {LIFETIMES[-1]} s")
    assert {r.status_code for r in live} == {200}
    # The relays and this test read the same clock: the expiry is this instant.
    time.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds()) + 0.2)
    assert {r.status_code for r in _pages(hosts, token)} == {410}
