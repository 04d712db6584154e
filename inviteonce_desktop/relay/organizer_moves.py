"""The organizer moves a booked meeting: ``POST /api/v1/bookings/{id}/move``.

The same atomic move as the customer's reschedule (see :mod:`.manage`),
without the customer's lead time; the answer is the meeting's new row as the
feed hands it over, and the feed carries it too.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.relay_contract import MAX_ID, MoveOptions, MoveRequest, SlotOut

from .errors import LinkGone, LinkNotFound, SlotTaken
from .feed import FeedEntry
from .ics import uid_host
from .manage import ManageDesk, MeetingCancelled, TooLate
from .manage_links import remember_all
from .offer_parsing import instant
from .organizer_api import _at, _entry, _organizer, _unauthorized
from .parts import parts_of
from .responses import MalformedBody, contract_json, json_body, no_store, problem


def _booking_id(request: Request) -> int:
    value: str = request.path_params["booking_id"]
    if not value.isdigit() or int(value) > MAX_ID:
        raise MalformedBody("The booking id must be a whole number.")
    return int(value)


async def move_booking(request: Request) -> Response:
    who = await _organizer(request)
    if who is None:
        return _unauthorized()
    parts = parts_of(request)
    try:
        booking_id = _booking_id(request)
        start = instant((await json_body(request, MoveRequest)).start, "start")
    except ValidationError as error:
        return problem(400, "invalid_move", str(error))
    desk = ManageDesk(parts.engine, parts.offers, parts.clock)
    origin = await run_in_threadpool(desk.origin, who[0], booking_id)
    if origin is None:
        return problem(404, "not_found", "There is no booking with this id.")
    try:
        moved = await run_in_threadpool(
            lambda: desk.move(origin, start, expected=None, by_customer=False)
        )
    except SlotTaken:
        slots = await run_in_threadpool(_free, desk, origin)
        return problem(409, "slot_taken", "That time is not free.", slots=slots)
    except (MeetingCancelled, LinkGone, LinkNotFound):
        return problem(409, "cancelled", "This meeting was cancelled.")
    except TooLate:
        return problem(409, "started", "This meeting has already started.")
    parts.written()
    meeting = await run_in_threadpool(desk.find_origin, origin)
    entry = FeedEntry(
        id=moved.id,
        invitation_id=meeting.invitation_id,
        salt=meeting.salt,
        start=moved.start,
        end=moved.end,
        resource_keys=moved.resource_keys,
        customer_time_zone=moved.customer_time_zone,
        booked_at=moved.booked_at,
        origin=origin,
        change="moved",
    )
    body, token = _entry(entry, who[1], uid_host(parts.settings.base_url), parts.settings.base_url)
    await run_in_threadpool(remember_all, parts.engine, [(token, origin)], int(parts.clock()))
    return no_store(contract_json(body))


def _free(desk: ManageDesk, origin: int) -> list[SlotOut]:
    free = desk.free(desk.find_origin(origin))
    return [SlotOut(id=s.id, start=_at(s.start), end=_at(s.end)) for s in free]


async def move_options(request: Request) -> Response:
    who = await _organizer(request)
    if who is None:
        return _unauthorized()
    parts = parts_of(request)
    try:
        booking_id = _booking_id(request)
    except ValidationError as error:
        return problem(400, "invalid_move", str(error))
    desk = ManageDesk(parts.engine, parts.offers, parts.clock)
    origin = await run_in_threadpool(desk.origin, who[0], booking_id)
    if origin is None:
        return problem(404, "not_found", "There is no booking with this id.")
    try:
        slots = await run_in_threadpool(_free, desk, origin)
    except (LinkGone, LinkNotFound):
        slots = []
    return no_store(contract_json(MoveOptions(slots=slots)))


routes = [
    Route("/api/v1/bookings/{booking_id}/move", move_options, methods=["GET"]),
    Route("/api/v1/bookings/{booking_id}/move", move_booking, methods=["POST"]),
]
