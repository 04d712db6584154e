"""A customer who has the page open sees an edited invitation's new times when it loads again.

The invitation is published to the standalone relay and opened in Chromium; the
organizer edits it (the same request the wizard and the command line fill);
the same link, reloaded, offers the new times only.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

import pytest
from playwright.sync_api import expect

from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.invitation import SendMode
from inviteonce_desktop.core.timeframe import TimeFrame
from tests.e2e.browser_pages import BrowserPages
from tests.integration.loop.parts import (
    Desktop,
    clock,
    desktop,
    invitation,
    mailbox,
)

__all__ = ["clock", "desktop", "mailbox"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

T = TypeVar("T")


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


def test_the_open_page_shows_the_edited_times_on_the_same_link(
    desktop: Desktop, browser_pages: BrowserPages
) -> None:
    app = desktop.app
    day = next_weekday(desktop.clock.now().date())
    frame = TimeFrame("Europe/Berlin", WeeklyHours.business(), start_date=day, end_date=day)
    created = run(app.create_invitation(invitation(desktop, send=SendMode.LINKS, time_frame=frame)))
    ident, url = created.invitation.id or 0, created.links.url
    assert url is not None

    page = browser_pages.page(timezone_id="Europe/Berlin")
    page.goto(url)
    expect(page.locator(".slot")).to_have_count(16)
    expect(page.locator(".slot", has_text=starts("10:00"))).to_have_count(1)

    request = replace(app.editable(ident), weekly_hours="Mon-Fri 14:00-17:00", duration_minutes=60)
    edited = run(app.edit_invitation(ident, request.invitation()))
    assert edited.links.url == url and not edited.queued

    page.reload()
    expect(page.locator(".slot")).to_have_count(5)
    expect(page.locator(".slot", has_text=starts("10:00"))).to_have_count(0)
    expect(page.locator(".slot", has_text=starts("14:00"))).to_have_count(1)
