"""How fast a new busy event leaves the customer's page, and how fast offers are republished.

A throwaway workspace whose team member reads a real Radicale calendar (a
subprocess on loopback), with the embedded relay. ``sync.run_forever`` runs as
in the desktop app, with a 2 s refresh interval.

- busy_to_page_ms: an event is written to Radicale over one of the invitation's
  slots; the relay's view of the link (the JSON twin of the customer's page) is
  polled every 20 ms until that slot is gone. Median and p95 over 20 trials.
- republish_ms: 50 open invitations share the member; one new event changes
  all of them. From the refresh that reads it until every one of the 50 offers
  is republished (the outbox drained), median of 3 rounds.
- recheck_ms: the two-phase booking (hold, live re-check by the desktop,
  verdict) is not part of this version, so it is reported as null.

Targets: busy_to_page_ms p95 <= refresh interval + 1 s, republish_ms <= 2000.
Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import caldav
import httpx
import keyring

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inviteonce_desktop.application.facade import InviteOnce  # noqa: E402
from inviteonce_desktop.core.hours import WeeklyHours  # noqa: E402
from inviteonce_desktop.core.invitation import (  # noqa: E402
    Invitation,
    MeetingDetails,
    Notifications,
    Participant,
    SendMode,
)
from inviteonce_desktop.core.timeframe import TimeFrame  # noqa: E402
from inviteonce_desktop.services.memory_keyring import MemoryKeyring  # noqa: E402
from inviteonce_desktop.store.outbox import Outbox  # noqa: E402
from tests.integration.calendars.fakes.radicale import radicale_server  # noqa: E402

TRIALS = 20
INVITATIONS = 50
ROUNDS = 3
REFRESH_SECONDS = 2.0
POLL_SECONDS = 0.02
TIMEOUT_SECONDS = 30.0
PASSWORD = "olivia-app-password"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def weekdays(after: date, count: int) -> list[date]:
    days, day = [], after + timedelta(days=1)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def draft(app: InviteOnce, number: int, first: date, last: date) -> Invitation:
    return Invitation(
        Participant(f"Customer {number}", f"customer{number}@example.org"),
        MeetingDetails("Intro call", timedelta(minutes=30), (app.members()[0].id or 0,)),
        TimeFrame(
            "UTC",
            WeeklyHours.business(),
            start_date=first,
            end_date=last,
            minimum_notice=timedelta(0),
        ),
        Notifications(send_mode=SendMode.LINKS),
    )


def event(uid: str, start: datetime, minutes: int = 30) -> str:
    end = start + timedelta(minutes=minutes)
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//bench//EN\nBEGIN:VEVENT\n"
        f"UID:{uid}\nDTSTART:{start:%Y%m%dT%H%M%SZ}\nDTEND:{end:%Y%m%dT%H%M%SZ}\n"
        "SUMMARY:Busy\nEND:VEVENT\nEND:VCALENDAR\n"
    )


def offered(http: httpx.Client, token: str) -> set[str]:
    answer = http.get(f"/api/v1/i/{token}")
    answer.raise_for_status()
    return {slot["start"] for slot in answer.json()["slots"]}


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def republish_waiting(app: InviteOnce) -> int:
    with app.workspace.session() as session:
        return sum(
            1
            for item in Outbox(session).due(datetime.max.replace(tzinfo=UTC), 1000)
            if item.kind == "republish"
        )


async def busy_to_page(app: InviteOnce, calendar: caldav.Calendar, days: list[date]) -> list[float]:
    created = await app.create_invitation(draft(app, 0, days[0], days[-1]))
    token = created.invitation.token or ""
    sync = asyncio.create_task(app.sync.run_forever(lambda meeting: None, lambda online: None))
    results: list[float] = []
    try:
        await asyncio.sleep(0.5)
        with httpx.Client(base_url=app.relay.client()._http.base_url) as http:
            for trial, day in enumerate(days[:TRIALS]):
                start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
                if iso(start) not in await asyncio.to_thread(offered, http, token):
                    raise RuntimeError("The slot to make busy is not offered.")
                began = time.perf_counter()
                await asyncio.to_thread(calendar.save_event, event(f"trial-{trial}", start))
                while iso(start) in await asyncio.to_thread(offered, http, token):
                    if time.perf_counter() - began > TIMEOUT_SECONDS:
                        raise RuntimeError("The busy slot never left the page.")
                    await asyncio.sleep(POLL_SECONDS)
                results.append((time.perf_counter() - began) * 1000)
    finally:
        sync.cancel()
        await asyncio.gather(sync, return_exceptions=True)
    return results


async def republish(app: InviteOnce, calendar: caldav.Calendar, days: list[date]) -> list[float]:
    window = days[TRIALS:]
    for number in range(INVITATIONS):
        await app.create_invitation(draft(app, number + 1, window[0], window[-1]))
    rounds = []
    for round_number, day in enumerate(window[:ROUNDS]):
        start = datetime(day.year, day.month, day.day, 14, tzinfo=UTC)
        await asyncio.to_thread(calendar.save_event, event(f"round-{round_number}", start))
        began = time.perf_counter()
        report = await app.calendars.refresh()
        if report.problems:
            raise RuntimeError(" ".join(report.problems))
        while republish_waiting(app):
            await app.worker.run_due()
        rounds.append((time.perf_counter() - began) * 1000)
    return rounds


async def run(app: InviteOnce, url: str) -> dict[str, object]:
    client = caldav.DAVClient(url=url, username="olivia", password=PASSWORD)
    calendar = client.principal().make_calendar(name="work", cal_id="work")
    account = await app.calendars.connect_caldav(url, "olivia", PASSWORD, "maria@example.com")
    await app.calendars.choose_calendar(account.id, "work")
    app.calendars.set_refresh_interval(timedelta(seconds=REFRESH_SECONDS))
    await app.calendars.refresh()
    await app.relay.start_async()
    days = weekdays(app.clock.now().date(), TRIALS + ROUNDS + 2)
    page = await busy_to_page(app, calendar, days)
    rounds = await republish(app, calendar, days)
    await app.calendars.aclose()
    return {
        "refresh_interval_ms": REFRESH_SECONDS * 1000,
        "busy_to_page_ms": {
            "median": round(statistics.median(page), 1),
            "p95": round(percentile(page, 0.95), 1),
        },
        "republish_ms": round(statistics.median(rounds), 1),
        "republished_offers": INVITATIONS,
        "recheck_ms": None,
    }


def main() -> None:
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "radicale").mkdir()
        with radicale_server(base / "radicale", {"olivia": PASSWORD}) as server:
            app = InviteOnce.open(base / "workspace")
            try:
                app.set_profile("Olivia Organizer", "olivia@example.com", "UTC")
                app.add_member("Maria Keller", "maria@example.com")
                figures = asyncio.run(run(app, server.url))
            finally:
                app.close()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
