"""Property: no slot overlaps busy time or involves a member whose busy time is unknown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from inviteonce_desktop.core.availability import (
    AvailabilityQuery,
    PoolSchedule,
    ResourceSchedule,
    explain_no_slots,
    find_slots,
)
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.core.timeframe import TimeFrame

NOW = datetime(2026, 11, 30, 0, tzinfo=UTC)
FIRST = date(2026, 11, 30)
LAST = date(2026, 12, 4)
SPAN = Interval(NOW - timedelta(days=2), NOW + timedelta(days=8))
MINUTES = 7 * 24 * 60

busy_interval = st.tuples(st.integers(0, MINUTES), st.integers(5, 6 * 60)).map(
    lambda p: Interval(NOW + timedelta(minutes=p[0]), NOW + timedelta(minutes=sum(p)))
)
resource = st.tuples(st.lists(busy_interval, max_size=8), st.booleans())


def overlaps(a: Interval, b: Interval) -> bool:
    return a.start < b.end and b.start < a.end


def schedule(key: str, busy: list[Interval], unreadable: bool) -> ResourceSchedule:
    return ResourceSchedule(
        key,
        key,
        busy,
        unknown=[SPAN] if unreadable else [],
        unknown_reason=f"{key}'s calendar could not be read: gone." if unreadable else "",
    )


@settings(max_examples=75, deadline=None)
@given(
    required=st.lists(resource, min_size=1, max_size=3),
    pool=st.lists(resource, max_size=3),
    duration=st.sampled_from([15, 30, 45, 60]),
    buffer=st.sampled_from([0, 10, 15]),
)
def test_no_slot_overlaps_busy_time_or_involves_an_unreadable_member(
    required: list[tuple[list[Interval], bool]],
    pool: list[tuple[list[Interval], bool]],
    duration: int,
    buffer: int,
) -> None:
    frame = TimeFrame(
        "Europe/Zurich",
        WeeklyHours.business(),
        start_date=FIRST,
        end_date=LAST,
        slot_interval=timedelta(minutes=15),
        minimum_notice=timedelta(0),
        buffer_before=timedelta(minutes=buffer),
        buffer_after=timedelta(minutes=buffer),
    )
    members = [schedule(f"member:{i}", b, u) for i, (b, u) in enumerate(required)]
    pooled = [schedule(f"member:{10 + i}", b, u) for i, (b, u) in enumerate(pool)]
    pools = [PoolSchedule("pool:1", "Pool", pooled)] if pooled else []
    query = AvailabilityQuery(frame, timedelta(minutes=duration), NOW, members, pools)
    slots = find_slots(query)
    margin = timedelta(minutes=buffer)
    by_key = {s.key: s for s in [*members, *pooled]}
    for slot in slots:
        guarded = Interval(slot.start - margin, slot.end + margin)
        for member in members:
            assert not member.unknown_reason
            assert not any(overlaps(guarded, b) for b in member.busy)
        for chosen in slot.pool_choices.get("pool:1", ()):
            member = by_key[chosen]
            assert not member.unknown_reason
            assert not any(overlaps(guarded, b) for b in member.busy)
        if pooled:
            assert slot.pool_choices["pool:1"]
    unreadable = [m for m in members if m.unknown_reason]
    if unreadable:
        assert slots == []
        assert unreadable[0].unknown_reason in explain_no_slots(query)
    if pooled and all(m.unknown_reason for m in pooled):
        assert slots == []
