"""Free/busy refresh: 10 team members over 90 days, from the fake Google and Graph servers.

Each fake server adds 50 ms to every request. The providers split the question
(Google freeBusy: 50 calendars and 60 days per request; Graph getSchedule: 20
mailboxes and 62 days) and ask the pieces concurrently, so a refresh should
cost about one request's latency, not one per piece.

Prints one JSON object: latency_ms, google_refresh_ms, graph_refresh_ms,
round_trips (the slower refresh divided by the latency; target <= 3),
google_requests and graph_requests (requests per refresh).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from google.oauth2.credentials import Credentials  # noqa: E402

from inviteonce_desktop.services.calendars.base import CalendarProvider  # noqa: E402
from inviteonce_desktop.services.calendars.google import GoogleCalendarProvider  # noqa: E402
from inviteonce_desktop.services.calendars.microsoft import MicrosoftGraphProvider  # noqa: E402
from tests.integration.calendars.fakes.google import FakeGoogle  # noqa: E402
from tests.integration.calendars.fakes.graph import FakeMicrosoft, ScheduleItem  # noqa: E402
from tests.integration.calendars.fakes.server import serve  # noqa: E402

LATENCY_MS = 50.0
MEMBERS = [f"member{i}@example.com" for i in range(10)]
START = datetime(2027, 1, 4, tzinfo=UTC)
END = START + timedelta(days=90)
RUNS = 7


def _meetings(index: int) -> list[tuple[datetime, datetime]]:
    """Two meetings a working day for team member *index*."""
    result = []
    for day in range(90):
        for hour in (9 + index % 3, 14):
            begin = START + timedelta(days=day, hours=hour)
            result.append((begin, begin + timedelta(minutes=45)))
    return result


def _seed_google(fake: FakeGoogle) -> None:
    for index, member in enumerate(MEMBERS):
        for begin, finish in _meetings(index):
            fake.add_event(
                member,
                {"start": {"dateTime": begin.isoformat()}, "end": {"dateTime": finish.isoformat()}},
            )


def _seed_graph(fake: FakeMicrosoft) -> None:
    for index, member in enumerate(MEMBERS):
        for begin, finish in _meetings(index):
            fake.add_item(member, ScheduleItem(begin, finish))


async def _timed(provider: CalendarProvider) -> float:
    began = time.perf_counter()
    answer = await provider.free_busy(MEMBERS, START, END)
    elapsed = (time.perf_counter() - began) * 1000
    if sorted(answer) != sorted(MEMBERS) or not all(answer.values()):
        raise RuntimeError("The refresh did not return every team member's busy time.")
    return elapsed


async def _median_refresh(make: Callable[[], CalendarProvider]) -> float:
    provider = make()
    try:
        await _timed(provider)
        timings = [await _timed(provider) for _ in range(RUNS)]
    finally:
        await provider.aclose()
    return statistics.median(timings)


def _measure(
    make: Callable[[], CalendarProvider], requests: Callable[[], int]
) -> tuple[float, int]:
    before = requests()
    median = asyncio.run(_median_refresh(make))
    return median, (requests() - before) // (RUNS + 1)


def google_refresh() -> tuple[float, int]:
    fake = FakeGoogle()
    _seed_google(fake)
    with serve(fake.app(), latency_ms=LATENCY_MS) as url:
        credentials = Credentials(
            token=fake.tokens.new_access(),
            expiry=datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1),
        )

        def make() -> CalendarProvider:
            return GoogleCalendarProvider(
                account_name="Benchmark",
                credentials=credentials,
                api_endpoint=f"{url}/calendar/v3/",
            )

        return _measure(make, lambda: len(fake.requests))


def graph_refresh() -> tuple[float, int]:
    fake = FakeMicrosoft()
    _seed_graph(fake)
    with serve(fake.graph_app(), latency_ms=LATENCY_MS) as url:
        token = fake.tokens.new_access()

        async def access_token(fresh: bool) -> str:
            return token

        def make() -> CalendarProvider:
            return MicrosoftGraphProvider(
                account_name="Benchmark", access_token=access_token, graph_url=f"{url}/v1.0"
            )

        return _measure(make, lambda: len(fake.requests))


def main() -> None:
    google_ms, google_requests = google_refresh()
    graph_ms, graph_requests = graph_refresh()
    figures: dict[str, float | int] = {
        "latency_ms": LATENCY_MS,
        "google_refresh_ms": round(google_ms, 1),
        "graph_refresh_ms": round(graph_ms, 1),
        "round_trips": round(max(google_ms, graph_ms) / LATENCY_MS, 2),
        "google_requests": google_requests,
        "graph_requests": graph_requests,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
