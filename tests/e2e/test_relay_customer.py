"""A customer books through the relay's pages in Chromium."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings
from tests.e2e.browser_pages import BrowserPages
from tests.integration.relay.servers import ServedRelay

pytestmark = pytest.mark.browser


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Relay:
    base_url: str
    organizer: httpx.Client
    resource: str = "ann"

    def publish(self, invitation_id: str, starts: list[datetime], **extra: Any) -> dict[str, Any]:
        body = {
            "subject": "Kitchen planning",
            "duration_minutes": 30,
            "organizer_name": "Ann Organizer",
            "meeting_type": "in_person",
            "location": "Showroom, 1 Main Street",
            "time_zone": "Europe/Paris",
            "time_zone_conversion": "customer",
            "fixed_time_zone": None,
            "expires_at": _iso(datetime.now(UTC) + timedelta(days=30)),
            "slots": [
                {
                    "start": _iso(s),
                    "end": _iso(s + timedelta(minutes=30)),
                    "resources": [self.resource],
                }
                for s in starts
            ],
            "promoted": [],
            **extra,
        }
        response = self.organizer.put(f"/api/v1/offers/{invitation_id}", json=body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Relay]:
    path: Path = tmp_path_factory.mktemp("relay") / "relay.sqlite3"
    embedded = EmbeddedRelay(f"sqlite:///{path}", settings=RelaySettings(bookings_per_minute=0))
    key = embedded.create_organizer("Ann")
    with (
        embedded,
        httpx.Client(
            base_url=embedded.base_url, headers={"Authorization": f"Bearer {key}"}
        ) as client,
    ):
        yield Relay(embedded.base_url, client)


@pytest.fixture
def page(browser_pages: BrowserPages) -> Page:
    """A customer's browser in New York (a shared page, without cookies)."""
    return browser_pages.page(timezone_id="America/New_York", locale="en-US")


def _day(days: int, hour: int) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


def test_pick_a_time_in_my_zone_and_confirm(relay: Relay, page: Page) -> None:
    start = _day(3, 15)
    published = relay.publish("flow", [start, _day(3, 16), _day(4, 15)])
    page.goto(published["url"])
    expect(page.locator("#tz")).to_have_value("America/New_York")
    new_york = start.astimezone(ZoneInfo("America/New_York"))
    expect(page.locator(".slot").first).to_contain_text(f"{new_york:%H:%M}")
    page.locator("#tz").select_option("Asia/Tokyo")
    page.wait_for_url(re.compile(r"tz=Asia(%2F|/)Tokyo"))
    tokyo = start.astimezone(ZoneInfo("Asia/Tokyo"))
    expect(page.locator(".slot").first).to_contain_text(f"{tokyo:%H:%M}")
    expect(page.locator("a.day.open")).to_have_count(
        len(
            {s.astimezone(ZoneInfo("Asia/Tokyo")).date() for s in (start, _day(3, 16), _day(4, 15))}
        )
    )
    page.locator(".slot").first.click()
    expect(page.get_by_role("heading", name="Confirm this time")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page.locator(".when")).to_contain_text(f"{tokyo:%H:%M}")
    expect(page.locator(".when")).to_contain_text("Japan Standard Time — Tokyo (UTC+09:00)")
    expect(page.get_by_role("link", name="Add to calendar")).to_be_visible()
    page.goto(published["url"])
    expect(page.get_by_role("heading", name="This meeting is already scheduled")).to_be_visible()


def test_promoted_link_and_a_slot_taken_meanwhile(relay: Relay, page: Page) -> None:
    first, second, third = _day(5, 9), _day(5, 10), _day(5, 11)
    promoted = relay.publish("promoted", [first, second], promoted=[_iso(first), _iso(second)])
    rival = relay.publish("rival", [first, third])
    page.goto(promoted["promoted_urls"][_iso(first)])
    expect(page.get_by_role("button", name="Confirm")).to_be_visible()
    taken = httpx.post(
        f"{relay.base_url}/api/v1/i/{rival['token']}/book", json={"start": _iso(first)}
    )
    assert taken.status_code == 201
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("just taken")
    expect(page.locator(".slot")).to_have_count(1)
    page.goto(promoted["promoted_urls"][_iso(second)])
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()


def test_an_expired_link(relay: Relay, page: Page) -> None:
    published = relay.publish("old", [_day(2, 9)], expires_at="2020-01-01T00:00:00Z")
    page.goto(published["url"])
    expect(page.get_by_role("heading", name="Invitation expired")).to_be_visible()


@pytest.fixture
def postgres_relay(served_on_postgres: ServedRelay) -> Iterator[Relay]:
    """``inviteonce-relay serve --workers 4`` on PostgreSQL, the session's: an organizer of
    its own, and a resource key no other test of that relay uses."""
    key = served_on_postgres.organizer()
    with httpx.Client(
        base_url=served_on_postgres.base_url, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        yield Relay(served_on_postgres.base_url, client, f"ann-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def crowd(browser_pages: BrowserPages) -> list[Page]:
    """Ten tabs of one browser, as a crowd clicking at once: a browser context of its own
    per tab would cost Chromium a storage partition and renderer processes each, many
    times the tab, and the relay cannot tell the two apart (every form carries the
    browser's CSRF cookie, and the race is between the requests)."""
    return browser_pages.tabs(10, customer="crowd")


def _ten_pages_confirm_one_time(relay: Relay, pages: list[Page]) -> None:
    start = _day(6, 14)
    published = relay.publish("crowd", [start, _day(6, 15)], promoted=[_iso(start)])
    assert len(pages) == 10
    for page in pages:
        page.goto(published["promoted_urls"][_iso(start)])
        expect(page.get_by_role("button", name="Confirm")).to_be_visible()
    for page in pages:
        page.get_by_role("button", name="Confirm").click(no_wait_after=True)
    headings = []
    for page in pages:
        heading = page.locator("h2")
        expect(heading).to_have_text(
            re.compile("You're booked|This meeting is already scheduled|taken")
        )
        headings.append(heading.inner_text())
    # One customer booked it; every other page shows the meeting, none says "taken".
    assert sorted(headings) == ["This meeting is already scheduled"] * 9 + ["You're booked"]


@pytest.mark.slow
def test_ten_pages_confirming_one_time_at_once(relay: Relay, crowd: list[Page]) -> None:
    _ten_pages_confirm_one_time(relay, crowd)


@pytest.mark.slow
@pytest.mark.postgres
def test_ten_pages_confirming_one_time_at_once_on_postgresql_with_four_workers(
    postgres_relay: Relay, crowd: list[Page]
) -> None:
    _ten_pages_confirm_one_time(postgres_relay, crowd)
