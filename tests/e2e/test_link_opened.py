"""The feed says a link was opened when the customer's browser shows it, never for a scanner.

Chromium opening the link counts (its script reports the open once the page is
visible). Plain GET clients, with or without a browser's Fetch metadata, HEAD
requests and a forged report do not; without scripts, the booking form counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings
from tests.e2e.browser_pages import BrowserPages

pytestmark = pytest.mark.browser

BROWSER_HEADERS = {
    "sec-fetch-dest": "document",
    "sec-fetch-mode": "navigate",
    "sec-fetch-site": "none",
    "sec-fetch-user": "?1",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36",
}


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Relay:
    base_url: str
    organizer: httpx.Client

    def publish(self, invitation_id: str) -> dict[str, Any]:
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
        body = {
            "subject": "Kitchen planning",
            "duration_minutes": 30,
            "organizer_name": "Ann Organizer",
            "meeting_type": "phone",
            "location": "",
            "time_zone": "Europe/Paris",
            "time_zone_conversion": "customer",
            "fixed_time_zone": None,
            "expires_at": _iso(datetime.now(UTC) + timedelta(days=30)),
            "slots": [
                {"start": _iso(s), "end": _iso(s + timedelta(minutes=30)), "resources": ["ann"]}
                for s in (start, start + timedelta(hours=1))
            ],
            "promoted": [_iso(start)],
        }
        response = self.organizer.put(f"/api/v1/offers/{invitation_id}", json=body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    def opened(self) -> set[str]:
        feed = self.organizer.get("/api/v1/bookings")
        assert feed.status_code == 200, feed.text
        return {entry["invitation_id"] for entry in feed.json()["opened"]}


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Relay]:
    path: Path = tmp_path_factory.mktemp("relay") / "relay.sqlite3"
    # No re-check at pick time: reading the feed (``opened``) makes the organizer's desktop
    # look connected, and a pick would be held for an answer that never comes, the page
    # waiting out the 4 s deadline (test_pick_recheck.py is about that wait).
    settings = RelaySettings(bookings_per_minute=0, recheck_seconds=0)
    embedded = EmbeddedRelay(f"sqlite:///{path}", settings=settings)
    key = embedded.create_organizer("Ann")
    with (
        embedded,
        httpx.Client(
            base_url=embedded.base_url, headers={"Authorization": f"Bearer {key}"}
        ) as client,
    ):
        yield Relay(embedded.base_url, client)


def test_the_customers_browser_showing_the_link_marks_it_opened(
    relay: Relay, browser_pages: BrowserPages
) -> None:
    published = relay.publish("in-chromium")
    page = browser_pages.page(locale="en-US")
    with page.expect_response(re.compile(r"/opened$")) as reported:
        page.goto(published["url"])
    assert reported.value.status == 204
    expect(page.locator(".slot").first).to_be_visible()
    assert "in-chromium" in relay.opened()


def test_scanners_fetching_the_link_do_not_mark_it_opened(relay: Relay) -> None:
    published = relay.publish("scanned")
    urls = [published["url"], *published["promoted_urls"].values()]
    for url in urls:
        assert httpx.get(url).status_code == 200
        assert httpx.get(url, headers=BROWSER_HEADERS).status_code == 200
        assert httpx.head(url, headers=BROWSER_HEADERS).status_code in (200, 405)
        assert httpx.get(url, headers={**BROWSER_HEADERS, "sec-purpose": "prefetch"}).is_success
    forged = httpx.post(
        f"{published['url']}/opened", data={"proof": "0" * 32}, headers=BROWSER_HEADERS
    )
    assert httpx.get(published["url"], params={"seen": "0" * 32}).status_code == 200
    cross_site = httpx.post(
        f"{published['url']}/opened",
        data={"proof": _proof(httpx.get(published["url"]).text)},
        headers={**BROWSER_HEADERS, "sec-fetch-site": "cross-site"},
    )

    not_ascii = httpx.post(
        f"{published['url']}/opened", data={"proof": "é" * 32}, headers=BROWSER_HEADERS
    )

    assert (forged.status_code, cross_site.status_code) == (403, 403)
    assert not_ascii.status_code in (400, 403)  # refused, never a 500
    assert "scanned" not in relay.opened()


def test_without_scripts_the_time_zone_form_marks_it_opened(
    relay: Relay, browser_pages: BrowserPages
) -> None:
    published = relay.publish("zone-form")
    page = browser_pages.page(locale="en-US", java_script_enabled=False)
    page.goto(published["url"])
    page.locator(".day.open").first.click()
    assert "zone-form" not in relay.opened()
    page.locator("#tz").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Show times").click()
    page.wait_for_url(re.compile(r"seen="))
    assert "zone-form" in relay.opened()


def test_without_scripts_the_booking_form_marks_it_opened(
    relay: Relay, browser_pages: BrowserPages
) -> None:
    published = relay.publish("no-scripts")
    page = browser_pages.page(locale="en-US", java_script_enabled=False)
    page.goto(published["url"])
    page.locator(".slot").first.click()
    assert "no-scripts" not in relay.opened()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    assert "no-scripts" in relay.opened()


def _proof(html: str) -> str:
    found = re.search(r'data-open-proof="([0-9a-f]+)"', html)
    assert found is not None
    return found.group(1)
