"""Availability engine speed: a 90-day frame over a busy team, and ten times the busy time.

Prints one JSON object: base_median_ms (target 10 ms or less), x10_median_ms,
growth_10x (target 12 or less), sort_floor_ms, slots_count; base_cpu_ms, x10_cpu_ms
and growth_10x_cpu are the same medians in CPU time, which a machine shared with
other work does not inflate (the two workloads run in turn, so a change of load
falls on both); and for the import of a 100,000-event .ics file into a fresh
workspace import_100k_s (wall time; target 10 s or less; import_100k_cpu_s is its
CPU time, steady on a shared machine) and import_peak_mib (the
peak resident memory of the process that imports it; target 200 MiB or less).
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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


def medians_in_turn(*queries: AvailabilityQuery) -> list[tuple[float, float]]:
    """Median wall and CPU milliseconds of counting each query, the queries run in turn."""
    wall: list[list[float]] = [[] for _ in queries]
    cpu: list[list[float]] = [[] for _ in queries]
    for _ in range(RUNS):
        for index, query in enumerate(queries):
            began, began_cpu = time.perf_counter(), time.process_time()
            count_slots(query)
            wall[index].append((time.perf_counter() - began) * 1000)
            cpu[index].append((time.process_time() - began_cpu) * 1000)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]


def sort_busy(query: AvailabilityQuery) -> None:
    intervals = [i for r in query.required for i in r.busy]
    intervals += [i for p in query.pools for m in p.members for i in m.busy]
    sorted(intervals)


IMPORT_EVENTS = 100_000


def write_big_ics(path: Path, events: int = IMPORT_EVENTS) -> None:
    """*events* one-hour events over the import window, a few of them recurring weekly."""
    rng = random.Random(7)
    origin = datetime(2027, 1, 4, 6, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="\r\n") as out:
        out.write("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//benchmark//EN\n")
        for i in range(events):
            start = origin + timedelta(minutes=15 * rng.randrange(0, 300 * 96))
            end = start + timedelta(minutes=rng.choice([15, 30, 60, 90]))
            out.write(
                f"BEGIN:VEVENT\nUID:bench-{i}@example.com\nDTSTAMP:20261201T000000Z\n"
                f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}\n"
                f"DTEND;TZID=Europe/Berlin:{end:%Y%m%dT%H%M%S}\n"
                f"SUMMARY:Meeting {i}\nDESCRIPTION:Agenda item {i}\\nand notes\n"
                + ("RRULE:FREQ=WEEKLY;COUNT=10\n" if i % 1000 == 0 else "")
                + "END:VEVENT\n"
            )
        out.write("END:VCALENDAR\n")


_IMPORT_CHILD = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
app = InviteOnce.open(Path(sys.argv[1]), FixedClock(datetime(2026, 12, 1, tzinfo=UTC)))
app.set_profile("Org", "org@example.com", "Europe/Berlin")
app.add_member("Ann", "ann@example.com", "Europe/Berlin")
began, cpu = time.perf_counter(), time.process_time()
result = app.import_busy("Ann", Path(sys.argv[2]))
print(time.perf_counter() - began, time.process_time() - cpu, result.report.occurrences)
app.close()
"""


def import_figures() -> dict[str, float]:
    """Import a 100,000-event file in a fresh process: seconds (wall, and CPU, which a
    busy machine does not inflate) and peak resident MiB."""
    with tempfile.TemporaryDirectory() as folder:
        ics = Path(folder) / "big.ics"
        write_big_ics(ics)
        child = subprocess.run(
            [sys.executable, "-c", _IMPORT_CHILD, str(Path(folder) / "ws"), str(ics)],
            capture_output=True,
            text=True,
            check=True,
        )
    seconds, cpu_seconds, occurrences = child.stdout.split()
    assert int(occurrences) >= IMPORT_EVENTS, child.stdout
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "import_100k_s": round(float(seconds), 2),
        "import_100k_cpu_s": round(float(cpu_seconds), 2),
        "import_peak_mib": round(peak_kib / 1024, 1),
    }


def main() -> None:
    base, x10 = workload(1), workload(10)
    count = count_slots(base)
    (base_ms, base_cpu), (x10_ms, x10_cpu) = medians_in_turn(base, x10)
    figures = {
        "base_median_ms": round(base_ms, 2),
        "x10_median_ms": round(x10_ms, 2),
        "growth_10x": round(x10_ms / base_ms, 2),
        "sort_floor_ms": round(median_ms(sort_busy, base), 2),
        "slots_count": count,
        "base_cpu_ms": round(base_cpu, 2),
        "x10_cpu_ms": round(x10_cpu, 2),
        "growth_10x_cpu": round(x10_cpu / base_cpu, 2),
        **import_figures(),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
