"""A slot that becomes busy after the invitation went out leaves the customer's page.

The invitation is published to the standalone relay; an event is then written to
the member's Radicale calendar; one refresh republishes the offer, Chromium no
longer sees the slot, and a POST for it is refused.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.invitation import SendMode
from inviteonce_desktop.core.timeframe import TimeFrame
from tests.e2e.browser_pages import BrowserPages
from tests.integration.loop.parts import (
    Desktop,
    RadicaleCalendar,
    clock,
    desktop,
    invitation,
    mailbox,
    radicale_calendar,
)

__all__ = ["clock", "desktop", "mailbox", "radicale_calendar"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

T = TypeVar("T")
BERLIN = ZoneInfo("Europe/Berlin")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def starts(wall: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{wall}")


def next_weekday(after: date) -> date:
    day = after + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_a_new_busy_event_leaves_the_page_after_one_refresh(
    desktop: Desktop, radicale_calendar: RadicaleCalendar, browser_pages: BrowserPages
) -> None:
    app = desktop.app
    server = radicale_calendar.server
    account = run(
        app.calendars.connect_caldav(
            server.url, "olivia", server.users["olivia"], email="maria@example.com"
        )
    )
    chosen = run(app.calendars.choose_calendar(account.id, radicale_calendar.calendar_id))
    assert chosen.url.endswith(radicale_calendar.calendar_id)
    assert run(app.calendars.refresh()).problems == []
    day = next_weekday(desktop.clock.now().date())
    frame = TimeFrame(
        "Europe/Berlin",
        WeeklyHours.business(),
        start_date=day,
        end_date=day,
        minimum_notice=timedelta(0),
    )
    created = run(app.create_invitation(invitation(desktop, send=SendMode.LINKS, time_frame=frame)))
    url = created.links.url
    token = created.invitation.token
    assert url is not None and token is not None

    page = browser_pages.page(timezone_id="Europe/Berlin")
    page.goto(url)
    expect(page.locator(".slot")).to_have_count(16)
    expect(page.locator(".slot", has_text=starts("10:00"))).to_have_count(1)

    ten = datetime.combine(day, datetime.min.time(), BERLIN).replace(hour=10)
    radicale_calendar.add_busy("new@t", day, "100000", "110000")
    assert run(app.calendars.refresh()).problems == []
    run(app.worker.run_due())

    page.reload()
    expect(page.locator(".slot")).to_have_count(14)
    expect(page.locator(".slot", has_text=starts("10:00"))).to_have_count(0)
    expect(page.locator(".slot", has_text=starts("10:30"))).to_have_count(0)

    refused = httpx.post(
        f"{desktop.relay.url}/api/v1/i/{token}/book",
        json={"start": ten.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")},
    )
    assert refused.status_code in (404, 409, 410, 422), refused.text
    assert run(app.republisher.republish_changed()) == []
