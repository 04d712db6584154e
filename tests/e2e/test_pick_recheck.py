"""The re-check at pick time, in Chromium: the relay holds the customer's pick, the
organizer's desktop reads the calendars live, and the page shows the verdict.

The relay is the standalone ``inviteonce-relay`` (re-check timeout 4 s by default); the
desktop's sync loop runs on a thread of its own, as in the window. Three outcomes:
the time is still free (booked), it has just become busy in the member's Radicale
calendar (back to the remaining times), and the desktop does not answer (the relay
confirms on its own data, with and without JavaScript).
"""

from __future__ import annotations

import asyncio
import gc
import re
import threading
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from types import ModuleType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from inviteonce_desktop.application.calendars import RefreshReport
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.invitation import SendMode
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.relay.database import create_relay_engine
from inviteonce_desktop.relay.schema import booking_rechecks, organizers
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


@pytest.fixture(autouse=True)
def collected_first() -> None:
    """What earlier tests left (a window's Qt timers) is collected here, on the main
    thread, rather than by a garbage collection on one of this test's threads."""
    gc.collect()


T = TypeVar("T")
BERLIN = ZoneInfo("Europe/Berlin")
WAITING = "Confirming with the organizer's calendar…"
BUSY = "That time has just become busy in the organizer's calendar; please pick another."


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


def eventually(check: Any, what: str, seconds: float = 30, every: float = 0.05) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(what)
        time.sleep(every)


@contextmanager
def sync_running(app: InviteOnce) -> Iterator[threading.Event]:
    """The desktop's sync loop on a thread; yields an event set after each calendar refresh."""
    refreshed = threading.Event()
    loop = asyncio.new_event_loop()

    async def note(_report: RefreshReport) -> None:
        refreshed.set()

    app.calendars.refreshed_listeners.append(note)
    task = loop.create_task(app.sync.run_forever(lambda _m: None, lambda _o: None))
    thread = threading.Thread(target=lambda: loop.run_until_complete(asyncio.wait([task])))
    thread.start()
    try:
        yield refreshed
    finally:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=30)
        loop.close()
        app.calendars.refreshed_listeners.remove(note)


def connected(desktop: Desktop) -> None:
    """Waits until the desktop's sync loop has asked the relay for bookings."""
    engine = create_relay_engine(desktop.relay.database_url, pool_size=1)

    def seen() -> bool:
        with engine.connect() as connection:
            return (
                connection.execute(
                    select(organizers.c.seen_at).where(organizers.c.name == desktop.organizer)
                ).scalar_one_or_none()
                is not None
            )

    try:
        eventually(seen, "the desktop never asked the relay for bookings")
    finally:
        engine.dispose()


def one_day_invitation(desktop: Desktop) -> tuple[str, date]:
    day = next_weekday(desktop.clock.now().date())
    frame = TimeFrame(
        "Europe/Berlin",
        WeeklyHours.business(),
        start_date=day,
        end_date=day,
        minimum_notice=timedelta(0),
    )
    created = run(
        desktop.app.create_invitation(invitation(desktop, send=SendMode.LINKS, time_frame=frame))
    )
    assert created.links.url is not None
    return created.links.url, day


def verdicts(desktop: Desktop) -> list[str]:
    engine = create_relay_engine(desktop.relay.database_url, pool_size=1)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(booking_rechecks.c.verdict)
                .join(organizers, organizers.c.id == booking_rechecks.c.organizer_id)
                .where(organizers.c.name == desktop.organizer)
            ).all()
    finally:
        engine.dispose()
    return [str(row.verdict) for row in rows]


def pick(page: Page, url: str, wall: str) -> None:
    page.goto(url)
    page.locator(".slot", has_text=starts(wall)).click()
    page.get_by_role("button", name="Confirm booking").click()


async def poll_feed_once(desktop: Desktop) -> None:
    """The organizer's desktop asks for bookings once, then goes quiet (it never answers)."""
    async with desktop.app.relay.client() as client:
        page = await client.bookings(after=0, wait=0)
    assert page.bookings == ()


def test_a_time_still_free_is_booked_after_the_live_recheck(
    desktop: Desktop, browser_pages: BrowserPages
) -> None:
    url, day = one_day_invitation(desktop)
    page = browser_pages.page(timezone_id="Europe/Berlin")
    with sync_running(desktop.app):
        connected(desktop)
        pick(page, url, "10:00")
        expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
        eventually(lambda: len(desktop.app.meetings()) == 1, "no meeting on the desktop")
    (meeting,) = desktop.app.meetings()
    assert meeting.start == datetime.combine(day, datetime.min.time(), BERLIN).replace(hour=10)
    assert meeting.conflict is None
    assert verdicts(desktop) == ["confirmed"]  # The desktop's answer, not the deadline.


def test_a_time_just_busy_in_radicale_sends_the_customer_back_with_one_sentence(
    desktop: Desktop, radicale_calendar: RadicaleCalendar, browser_pages: BrowserPages
) -> None:
    app = desktop.app
    server = radicale_calendar.server
    account = run(
        app.calendars.connect_caldav(
            server.url, "olivia", server.users["olivia"], email="maria@example.com"
        )
    )
    run(app.calendars.choose_calendar(account.id, radicale_calendar.calendar_id))
    assert run(app.calendars.refresh()).problems == []
    url, day = one_day_invitation(desktop)
    page = browser_pages.page(timezone_id="Europe/Berlin")
    with sync_running(app) as refreshed:
        assert refreshed.wait(30), "the sync loop never refreshed the calendars"
        refreshed.clear()
        connected(desktop)
        # Written after the last refresh: only a live read can know of it.
        radicale_calendar.add_busy("late@t", day, "100000", "110000")
        page.goto(url)
        expect(page.locator(".slot", has_text=starts("10:00"))).to_have_count(1)
        pick(page, url, "10:00")
        expect(page.get_by_role("alert")).to_have_text(BUSY)
        expect(page.locator(".slot", has_text=starts("10:00"))).to_have_count(0)
        expect(page.locator(".slot", has_text=starts("11:00"))).to_have_count(1)
        # The busy verdict makes the desktop read the calendars again at once.
        assert refreshed.wait(30), "no refresh after the busy verdict"

        def republished() -> bool:  # The whole event leaves the offer (10:30 too).
            page.reload()
            return page.locator(".slot", has_text=starts("10:30")).count() == 0

        # A reload costs Chromium far more than a check of the desktop: a few a second.
        eventually(republished, "the offer was not republished after the refresh", every=0.4)
    assert app.meetings() == []
    assert verdicts(desktop) == ["conflict"]


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_without_an_answer_the_relay_confirms_after_the_waiting_page(
    script: bool,
    desktop: Desktop,
    browser_pages: BrowserPages,
    axe_source: str,
    relay_pages: ModuleType,
) -> None:
    url, _day = one_day_invitation(desktop)
    run(poll_feed_once(desktop))
    page = browser_pages.page(timezone_id="Europe/Berlin", java_script_enabled=script)
    pick(page, url, "14:00")
    expect(page.get_by_role("status")).to_have_text(WAITING)
    assert "/checking" in page.url
    if script:
        assert relay_pages.axe_serious(page, axe_source) == []
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible(timeout=15_000)
    run(desktop.app.sync.run_once())
    (meeting,) = desktop.app.meetings()
    assert meeting.conflict is None
    assert verdicts(desktop) == ["timeout"]
