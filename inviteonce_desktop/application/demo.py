"""The demo workspace: an organizer, four team members in two zones, rooms, a pool
and two weeks of realistic busy time, so that a newcomer sees slots at once."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select

from ..core.hours import WeeklyHours
from ..core.timezones import zone
from ..store.calendar_data import LocalAttendee, LocalEvent, LocalEvents
from ..store.models import LocalEventRow
from ..store.settings import Settings
from .facade import InviteOnce

DEMO_MARK = "demo_seeded_on"
_PREFIX = "demo-"
_MEMBERS = [
    ("Maria Keller", "maria.keller@example.com", "Europe/Berlin"),
    ("Jonas Weber", "jonas.weber@example.com", "Europe/Berlin"),
    ("Olivia Brooks", "olivia.brooks@example.com", "America/New_York"),
    ("Ethan Park", "ethan.park@example.com", "America/New_York"),
]
_ROOMS = [("Alder", 4), ("Birch", 8), ("Cedar", 12)]
_TITLES = ["Customer call", "Team sync", "1:1", "Planning", "Review", "Interview", "Focus time"]


def seed_demo(app: InviteOnce, seed: int = 7) -> bool:
    """Fill an empty workspace with the demo; refresh its busy time if it has aged.

    Returns True when anything was written.
    """
    today = app.clock.now().astimezone(zone("Europe/Berlin")).date()
    with app.workspace.session() as session:
        settings = Settings(session)
        mark = settings.get(DEMO_MARK)
        if mark is not None and mark.get("date") == today.isoformat():
            return False
    if not app.members():
        _seed_directory(app)
    _seed_busy(app, today, random.Random(seed))
    with app.workspace.session() as session:
        Settings(session).put(DEMO_MARK, {"date": today.isoformat()})
    return True


def _seed_directory(app: InviteOnce) -> None:
    app.set_profile("Alex Organizer", "alex.organizer@example.com", "Europe/Berlin")
    for name, email, tz in _MEMBERS:
        app.add_member(name, email, tz, WeeklyHours.business("08:30", "17:30"))
    for name, capacity in _ROOMS:
        app.add_room(name, f"{name.lower()}@rooms.example.com", capacity)
    app.add_pool("Any meeting room", [name for name, _ in _ROOMS])


def _seed_busy(app: InviteOnce, today: date, rng: random.Random) -> None:
    members = app.members()
    rooms = app.rooms()
    with app.workspace.session() as session:
        session.execute(delete(LocalEventRow).where(LocalEventRow.uid.startswith(_PREFIX)))
        existing = set(session.scalars(select(LocalEventRow.uid)))
        new: list[LocalEvent] = []
        for offset in range(15):
            day = today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for member in members:
                for event in _member_day(member.key, member.time_zone or "UTC", day, rng):
                    if event.uid not in existing:
                        new.append(event)
            for room in rooms:
                new.extend(_member_day(room.key, "Europe/Berlin", day, rng, busy_share=0.35))
        # One flush for the two weeks (about 260 events), not one per event.
        LocalEvents(session).add_new(new)


def _member_day(
    key: str, tz_name: str, day: date, rng: random.Random, busy_share: float = 0.45
) -> list[LocalEvent]:
    tz = zone(tz_name)
    result: list[LocalEvent] = []
    minute = 9 * 60
    while minute < 17 * 60:
        length = rng.choice([30, 30, 45, 60, 60, 90])
        if rng.random() < busy_share and minute + length <= 18 * 60:
            start = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
            result.append(
                LocalEvent(
                    uid=f"{_PREFIX}{key}-{day.isoformat()}-{minute}",
                    title=rng.choice(_TITLES),
                    start=start,
                    end=start + timedelta(minutes=length),
                    time_zone=tz_name,
                    transparent=rng.random() < 0.05,
                    attendees=(LocalAttendee(key),),
                )
            )
        minute += length + rng.choice([0, 0, 15, 30])
    return result
