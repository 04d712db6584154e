"""401, 429 with Retry-After, 500, timeouts and malformed answers, per provider."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from inviteonce_desktop.services.calendars.base import CalendarProvider
from inviteonce_desktop.services.calendars.caldav_provider import CalDavProvider
from inviteonce_desktop.services.calendars.errors import (
    CalendarUnavailable,
    MalformedResponse,
    RateLimited,
    ReconnectRequired,
)
from inviteonce_desktop.services.calendars.retry import RetryPolicy

from .conftest import ExchangeServer, GoogleServer, GraphServer
from .fakes.common import Fault, FaultQueue
from .fakes.ews import BusyBlock, server_busy_fault
from .fakes.google import rate_limit_fault
from .fakes.graph import throttle_fault
from .fakes.server import serve
from .support import run_then_close as _run

T = TypeVar("T")
DAY = (datetime(2025, 3, 3, tzinfo=UTC), datetime(2025, 3, 4, tzinfo=UTC))
MEMBER = "member@example.com"
QUICK = RetryPolicy(attempts=3, base_delay=0.01, max_delay=2)


def _busy(provider: CalendarProvider, calendar_id: str = MEMBER) -> Any:
    return _run(provider, provider.free_busy([calendar_id], *DAY))


# -- Google ---------------------------------------------------------------


def test_google_429_is_retried_after_retry_after(google: GoogleServer) -> None:
    google.fake.add_calendar(MEMBER)
    google.fake.faults.add(rate_limit_fault("0"), rate_limit_fault(None))
    assert _busy(google.provider()) == {MEMBER: []}
    assert len(google.fake.requests) == 3


def test_google_403_rate_limit_exceeded_is_a_rate_limit(google: GoogleServer) -> None:
    google.fake.faults.add(*[Fault(403, rate_limit_fault().body, {"Retry-After": "0"})] * 3)
    with pytest.raises(RateLimited, match="slow down"):
        _busy(google.provider())


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(500, {"error": {"code": 500, "message": "Backend Error"}}), CalendarUnavailable),
        (Fault(503, {"error": {"code": 503, "message": "Unavailable"}}), CalendarUnavailable),
        (Fault(200, raw=b'{"kind": "calendar#freeBusy", "calendars": '), MalformedResponse),
        (Fault(200, {"kind": "calendar#freeBusy"}), MalformedResponse),
        (Fault(200, {"calendars": []}), MalformedResponse),
        (Fault(200, {}, delay=1.5), CalendarUnavailable),
    ],
)
def test_google_faults(google: GoogleServer, fault: Fault, error: type[Exception]) -> None:
    google.fake.faults.add(fault)
    with pytest.raises(error, match="'Work Google'"):
        _busy(google.provider(timeout=0.5))


# -- Microsoft Graph --------------------------------------------------------


def test_graph_429_is_retried_after_retry_after(graph: GraphServer) -> None:
    graph.fake.schedules[MEMBER] = []
    graph.fake.faults.add(throttle_fault("0"), throttle_fault(None))
    assert _busy(graph.provider()) == {MEMBER: []}


def test_graph_keeps_throttling(graph: GraphServer) -> None:
    graph.fake.faults.add(*[throttle_fault("0")] * 3)
    with pytest.raises(RateLimited):
        _busy(graph.provider())


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(500, {"error": {"code": "generalException"}}), CalendarUnavailable),
        (Fault(200, raw=b"<html>proxy login</html>"), MalformedResponse),
        (Fault(200, {"value": [{"scheduleItems": []}]}), MalformedResponse),
        (
            Fault(
                200,
                {
                    "value": [
                        {
                            "scheduleId": MEMBER,
                            "scheduleItems": [
                                {"status": "busy", "start": {"dateTime": "yesterday"}}
                            ],
                        }
                    ]
                },
            ),
            MalformedResponse,
        ),
        (Fault(200, {}, delay=1.5), CalendarUnavailable),
    ],
)
def test_graph_faults(graph: GraphServer, fault: Fault, error: type[Exception]) -> None:
    graph.fake.faults.add(fault)
    with pytest.raises(error, match="'Contoso'"):
        _busy(graph.provider(timeout=0.5))


# -- Exchange ---------------------------------------------------------------


def test_ews_503_means_busy(exchange: ExchangeServer) -> None:
    exchange.fake.faults.add(*[Fault(503, raw=b"Service Unavailable")] * 3)
    with pytest.raises(RateLimited, match="slow down"):
        _busy(exchange.provider())


def test_ews_server_busy_is_retried_after_its_back_off(exchange: ExchangeServer) -> None:
    exchange.fake.add_block(MEMBER, _block())
    exchange.fake.faults.add(Fault(500, raw=server_busy_fault(10)))
    busy = _busy(exchange.provider())
    assert len(busy[MEMBER]) == 1


def _block() -> BusyBlock:
    return BusyBlock(datetime(2025, 3, 3, 9, tzinfo=UTC), datetime(2025, 3, 3, 10, tzinfo=UTC))


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(500, raw=server_busy_fault(600_000)), RateLimited),
        (Fault(500, raw=b"Internal Server Error"), MalformedResponse),
        (Fault(200, raw=b"<s:Envelope xmlns:s='x'><broken"), MalformedResponse),
        (Fault(200, raw=b"", delay=1.5), CalendarUnavailable),
    ],
)
def test_ews_faults(exchange: ExchangeServer, fault: Fault, error: type[Exception]) -> None:
    exchange.fake.faults.add(fault)
    with pytest.raises(error, match="'Contoso Exchange'"):
        _busy(exchange.provider(timeout=0.5))


# -- CalDAV -----------------------------------------------------------------


@pytest.fixture()
def faulty_dav() -> Iterator[tuple[FaultQueue, str]]:
    faults = FaultQueue()

    async def answer(request: Request) -> Response:
        response = await faults.next_response()
        return response if response is not None else Response(b"", 404)

    app = Starlette(routes=[Route("/{path:path}", answer, methods=["PROPFIND", "REPORT", "GET"])])
    with serve(app) as url:
        yield faults, url


def _dav(url: str) -> CalDavProvider:
    return CalDavProvider(
        account_name="Fastmail",
        url=url,
        username="u",
        password="app-pw",
        time_zone=ZoneInfo("UTC"),
        timeout=0.5,
        retry=QUICK,
    )


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(401, raw=b"", headers={"WWW-Authenticate": 'Basic realm="x"'}), ReconnectRequired),
        (Fault(500, raw=b"oops"), CalendarUnavailable),
        (Fault(200, raw=b"", delay=1.5), CalendarUnavailable),
    ],
)
def test_caldav_faults(
    faulty_dav: tuple[FaultQueue, str], fault: Fault, error: type[Exception]
) -> None:
    faults, url = faulty_dav
    faults.add(fault)
    with pytest.raises(error, match="'Fastmail'"):
        provider = _dav(url)
        _run(provider, provider.check_connection())


def test_caldav_429_is_retried(faulty_dav: tuple[FaultQueue, str]) -> None:
    faults, url = faulty_dav
    faults.add(Fault(429, raw=b"", headers={"Retry-After": "0"}), *[Fault(429, raw=b"")] * 2)
    provider = _dav(url)
    with pytest.raises(RateLimited):
        _run(provider, provider.check_connection())


# -- one account failing does not stop the others ---------------------------


def test_a_timeout_is_reported_for_its_account_while_the_others_answer(
    google: GoogleServer, graph: GraphServer
) -> None:
    google.fake.faults.add(Fault(200, {}, delay=1.5))
    graph.fake.schedules[MEMBER] = []
    slow, fine = google.provider(timeout=0.5), graph.provider()

    async def refresh() -> list[object]:
        try:
            return await asyncio.gather(
                slow.free_busy([MEMBER], *DAY),
                fine.free_busy([MEMBER], *DAY),
                return_exceptions=True,
            )
        finally:
            await slow.aclose()
            await fine.aclose()

    google_result, graph_result = asyncio.run(refresh())
    assert isinstance(google_result, CalendarUnavailable)
    assert "did not answer in time" in str(google_result)
    assert graph_result == {MEMBER: []}
