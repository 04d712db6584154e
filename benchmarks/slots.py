"""Availability engine speed: a 90-day frame over a busy team, and ten times the busy time.

Prints one JSON object: base_median_ms, x10_median_ms, growth_10x, sort_floor_ms,
slots_count.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from inviteonce_desktop.core.availability import (
    AvailabilityQuery,
    PoolSchedule,
    ResourceSchedule,
    count_slots,
)
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.core.timeframe import TimeFrame

START = date(2027, 1, 4)
NOW = datetime(2027, 1, 1, tzinfo=UTC)
RUNS = 15


def busy(rng: random.Random, count: int) -> list[Interval]:
    """*count* meetings of 15-120 minutes on quarter hours, spread over the 90 days."""
    origin = datetime(2027, 1, 4, 6, tzinfo=UTC)
    result = []
    for _ in range(count):
        day = rng.randrange(90)
        minute = rng.randrange(0, 12 * 60, 15)
        start = origin + timedelta(days=day, minutes=minute)
        result.append(Interval(start, start + timedelta(minutes=rng.choice([15, 30, 45, 60, 120]))))
    return result


def workload(scale: int) -> AvailabilityQuery:
    rng = random.Random(42)
    frame = TimeFrame(
        time_zone="Europe/Berlin",
        weekly_hours=WeeklyHours.business("08:00", "18:00"),
        start_date=START,
        end_date=START + timedelta(days=89),
        slot_interval=timedelta(minutes=15),
        minimum_notice=timedelta(0),
    )
    members = [ResourceSchedule(f"member:{i}", f"M{i}", busy(rng, 500 * scale)) for i in range(10)]
    rooms = [ResourceSchedule(f"room:{i}", f"R{i}", busy(rng, 200 * scale)) for i in range(3)]
    pool = PoolSchedule(
        "pool:1",
        "Pool",
        [ResourceSchedule(f"room:p{i}", f"P{i}", busy(rng, 200 * scale)) for i in range(5)],
    )
    return AvailabilityQuery(frame, timedelta(minutes=30), NOW, members + rooms, [pool])


def median_ms(func: object, *args: object) -> float:
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        func(*args)  # type: ignore[operator]
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def sort_busy(query: AvailabilityQuery) -> None:
    intervals = [i for r in query.required for i in r.busy]
    intervals += [i for p in query.pools for m in p.members for i in m.busy]
    sorted(intervals)


def main() -> None:
    base, x10 = workload(1), workload(10)
    count = count_slots(base)
    base_ms = median_ms(count_slots, base)
    x10_ms = median_ms(count_slots, x10)
    figures = {
        "base_median_ms": round(base_ms, 2),
        "x10_median_ms": round(x10_ms, 2),
        "growth_10x": round(x10_ms / base_ms, 2),
        "sort_floor_ms": round(median_ms(sort_busy, base), 2),
        "slots_count": count,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
