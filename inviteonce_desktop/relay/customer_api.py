"""JSON twins of the customer pages under ``/api/v1/i/{token}``."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.relay_contract import (
    BookingRequest,
    CustomerBooking,
    LinkState,
    SlotOut,
)

from .booking_record import Booking
from .customer_view import LinkView, load_view
from .errors import AlreadyScheduled, CalendarBusy, LinkGone, LinkNotFound, SlotTaken
from .offer import Slot
from .offer_parsing import instant
from .parts import parts_of
from .responses import contract_json, json_body, no_store, problem


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _slot(slot: Slot) -> SlotOut:
    return SlotOut(id=slot.id, start=_at(slot.start), end=_at(slot.end))


def _booking(booking: Booking, token: str, base_url: str) -> CustomerBooking:
    return CustomerBooking(
        status="scheduled",
        start=_at(booking.start),
        end=_at(booking.end),
        time_zone=booking.customer_time_zone,
        ics_url=f"{base_url}/i/{token}/event.ics",
    )


def _view_body(view: LinkView, base_url: str) -> LinkState:
    offer = view.offer
    booking = view.record.booking
    return LinkState(
        status="open" if booking is None else "checking" if view.checking else "scheduled",
        subject=offer.subject,
        duration_minutes=offer.duration_minutes,
        organizer_name=offer.organizer_name,
        meeting_type=offer.meeting_type,
        location=offer.location,
        time_zone=view.zone_name,
        time_zone_conversion=offer.time_zone_conversion,
        expires_at=_at(offer.expires_at),
        slots=[_slot(slot) for slot in view.free],
        booking=None if booking is None else _booking(booking, view.token, base_url),
    )


def _gone(gone: LinkGone) -> Response:
    return problem(410, gone.reason, str(gone))


def _not_found() -> Response:
    return problem(404, "not_found", str(LinkNotFound()))


async def get_link(request: Request) -> Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    try:
        view = await run_in_threadpool(load_view, parts, token, request.query_params.get("tz"))
    except LinkNotFound:
        return _not_found()
    except LinkGone as gone:
        return _gone(gone)
    return no_store(contract_json(_view_body(view, parts.settings.base_url)))


def _book_params(body: BookingRequest) -> tuple[str | None, int | None, str | None]:
    if body.slot_id is not None:
        return body.slot_id, None, body.time_zone
    if body.start is not None:
        return None, instant(body.start, "start"), body.time_zone
    raise ValidationError("Send the 'slot_id' or the 'start' of the time to book.")


def _scheduled(booking: Booking, token: str, base_url: str) -> Response:
    return problem(
        409,
        "already_scheduled",
        "This meeting is already scheduled.",
        booking=_booking(booking, token, base_url),
    )


async def book(request: Request) -> Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    client = request.client.host if request.client else "unknown"
    wait = parts.limiter.retry_after(client)
    if wait > 0:
        response = problem(429, "rate_limited", "Too many booking attempts; try again later.")
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    try:
        slot_id, start, zone_name = _book_params(await json_body(request, BookingRequest))
        booking, held = await run_in_threadpool(
            lambda: parts.rechecks.book(token, slot_id=slot_id, start=start, time_zone=zone_name)
        )
        if held:  # The organizer's desktop re-checks its calendars: answer with its verdict.
            parts.written()
            standing = await parts.rechecks.wait(token, parts.settings.recheck_seconds + 1)
            if standing.status == "conflict":
                raise CalendarBusy()
    except LinkNotFound:
        return _not_found()
    except LinkGone as gone:
        return _gone(gone)
    except AlreadyScheduled as scheduled:
        return _scheduled(scheduled.booking, token, parts.settings.base_url)
    except (SlotTaken, CalendarBusy) as taken:
        try:
            fresh = await run_in_threadpool(load_view, parts, token, None)
        except LinkNotFound:
            return _not_found()
        except LinkGone as gone:
            return _gone(gone)
        if fresh.record.booking is not None:
            return _scheduled(fresh.record.booking, token, parts.settings.base_url)
        code = "calendar_busy" if isinstance(taken, CalendarBusy) else "slot_taken"
        return problem(409, code, str(taken), slots=[_slot(s) for s in fresh.free])
    except ValidationError as error:
        return problem(400, "invalid_booking", str(error))
    parts.written()
    return contract_json(_booking(booking, token, parts.settings.base_url), 201)


routes = [
    Route("/api/v1/i/{token}", get_link, methods=["GET"]),
    Route("/api/v1/i/{token}/book", book, methods=["POST"]),
]
