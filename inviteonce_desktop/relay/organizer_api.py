"""The organizer API under ``/api/v1``: publish, cancel, bookings feed, acknowledge."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.relay_contract import (
    MAX_ID,
    MAX_WAIT_SECONDS,
    Acknowledged,
    AckRequest,
    BookingsPage,
    Cancelled,
    FeedBooking,
    OfferIn,
    OpenedLink,
    Published,
    RecheckAnswer,
    RecheckAsk,
    RecheckOutcome,
)

from .feed import FeedEntry, OpenedLinks
from .ics import booking_uid, uid_host
from .keys import link_token
from .manage_links import manage_path, manage_token, remember_all
from .offer import iso_utc, slot_id
from .offer_parsing import to_offer
from .parts import RelayParts, parts_of
from .recheck import Ask, RecheckNotFound, TooLate
from .responses import MalformedBody, contract_json, json_body, no_store, problem

MAX_WAIT = float(MAX_WAIT_SECONDS)


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


async def _organizer(request: Request) -> tuple[int, str] | None:
    key = _bearer(request)
    organizer_id = await run_in_threadpool(parts_of(request).organizers.authenticate, key)
    return None if organizer_id is None else (organizer_id, key)


def _unauthorized() -> Response:
    response = problem(401, "unauthorized", "A valid organizer key is needed.")
    response.headers["www-authenticate"] = 'Bearer realm="inviteonce-relay"'
    return response


def _invitation_id(request: Request) -> str:
    value: str = request.path_params["invitation_id"]
    if not 1 <= len(value) <= 200 or not value.isprintable() or value != value.strip():
        raise ValidationError("The invitation id must be 1 to 200 printable characters.")
    return value


async def put_offer(request: Request) -> Response:
    who = await _organizer(request)
    if who is None:
        return _unauthorized()
    parts = parts_of(request)
    try:
        invitation_id = _invitation_id(request)
        offer = to_offer(await json_body(request, OfferIn))
    except ValidationError as error:
        status = 400 if isinstance(error, MalformedBody) else 422
        return problem(status, "invalid_offer", str(error))
    published = await run_in_threadpool(parts.offers.publish, who[0], who[1], invitation_id, offer)
    parts.written()
    base = f"{parts.settings.base_url}/i/{published.token}"
    body = Published(
        token=published.token,
        url=base,
        promoted_urls={iso_utc(start): f"{base}/slot/{slot_id(start)}" for start in offer.promoted},
    )
    return no_store(contract_json(body, 201 if published.created else 200))


async def delete_offer(request: Request) -> Response:
    who = await _organizer(request)
    if who is None:
        return _unauthorized()
    try:
        invitation_id = _invitation_id(request)
    except ValidationError as error:
        return problem(422, "invalid_invitation_id", str(error))
    found = await run_in_threadpool(parts_of(request).offers.cancel, who[0], invitation_id)
    parts_of(request).written()
    if not found:
        return problem(404, "not_found", "There is no offer with this invitation id.")
    return contract_json(Cancelled(invitation_id=invitation_id, cancelled=True))


OPENED_FOR_SECONDS = 2 * 86400
"""How long the feed keeps saying a link was opened (the desktop records it once)."""


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _entry(entry: FeedEntry, key: str, host: str, base_url: str) -> tuple[FeedBooking, str]:
    """The feed's entry, and the meeting's manage token (which the relay stores hashed)."""
    token = link_token(key, entry.salt, entry.invitation_id)
    manage = manage_token(token, entry.salt, entry.origin)
    return FeedBooking(
        id=entry.id,
        cursor=entry.id,
        invitation_id=entry.invitation_id,
        token=token,
        start=_at(entry.start),
        end=_at(entry.end),
        resource_keys=list(entry.resource_keys),
        customer_time_zone=entry.customer_time_zone,
        booked_at=_at(entry.booked_at),
        uid=booking_uid(entry.salt, entry.origin, host),
        change=entry.change,  # type: ignore[arg-type]
        manage_url=base_url + manage_path(manage),
    ), manage


def recheck_ask(ask: Ask) -> RecheckAsk:
    return RecheckAsk(
        id=ask.id,
        invitation_id=ask.invitation_id,
        start=_at(ask.start),
        end=_at(ask.end),
        resource_keys=list(ask.resource_keys),
        answer_by=datetime.fromtimestamp(ask.deadline_ms / 1000, UTC),
    )


def _feed_params(request: Request) -> tuple[int, float]:
    try:
        after = int(request.query_params.get("after", "0"))
        wait = float(request.query_params.get("wait", "0"))
    except ValueError:
        raise ValidationError("'after' must be a whole number and 'wait' a number.") from None
    if not 0 <= after <= MAX_ID or not 0 <= wait <= MAX_WAIT:
        raise ValidationError("'after' must be 0 or more and 'wait' between 0 and 30.")
    return after, wait


async def get_bookings(request: Request) -> Response:
    who = await _organizer(request)
    if who is None:
        return _unauthorized()
    try:
        after, wait = _feed_params(request)
    except ValidationError as error:
        return problem(400, "invalid_query", str(error))
    parts = parts_of(request)
    await run_in_threadpool(parts.organizers.seen, who[0])
    entries, asks = await _poll(parts, who[0], after, wait, request)
    cursor = max((e.id for e in entries), default=after)
    host = uid_host(parts.settings.base_url)
    since = int(parts.clock()) - OPENED_FOR_SECONDS
    opened = await run_in_threadpool(OpenedLinks(parts.engine).of, who[0], since)
    built = [_entry(e, who[1], host, parts.settings.base_url) for e in entries]
    manage = [(token, e.origin) for (_b, token), e in zip(built, entries, strict=True)]
    await run_in_threadpool(remember_all, parts.engine, manage, int(parts.clock()))
    body = BookingsPage(
        bookings=[b for b, _token in built],
        cursor=cursor,
        opened=[OpenedLink(invitation_id=i, at=_at(at)) for i, at in opened],
        rechecks=[recheck_ask(ask) for ask in asks],
    )
    return no_store(contract_json(body))


async def _poll(
    parts: RelayParts, organizer_id: int, after: int, wait: float, request: Request
) -> tuple[list[FeedEntry], list[Ask]]:
    """New bookings and re-check asks, waiting up to *wait* s for one; a client that left
    stops the wait. Asks come first: a hold past its deadline joins the bookings."""
    deadline = time.monotonic() + wait
    while True:
        asks = await run_in_threadpool(parts.rechecks.asks, organizer_id)
        entries = await run_in_threadpool(parts.feed.after, organizer_id, after)
        left = deadline - time.monotonic()
        if entries or asks or left <= 0 or await request.is_disconnected():
            return entries, asks
        await parts.signal.wait(min(left, parts.settings.long_poll_interval))


def _ack_params(body: AckRequest) -> tuple[int | None, list[int]]:
    if body.cursor is not None and body.ids is None:
        return body.cursor, []
    if body.ids is not None and body.cursor is None:
        return None, body.ids
    raise MalformedBody('Send {"cursor": n} or {"ids": [...]}.')


async def ack_bookings(request: Request) -> Response:
    who = await _organizer(request)
    if who is None:
        return _unauthorized()
    try:
        cursor, ids = _ack_params(await json_body(request, AckRequest))
    except ValidationError as error:
        return problem(400, "invalid_ack", str(error))
    count = await run_in_threadpool(
        lambda: parts_of(request).feed.acknowledge(who[0], cursor=cursor, ids=ids)
    )
    return contract_json(Acknowledged(acknowledged=count))


async def answer_recheck(request: Request) -> Response:
    """The desktop's verdict on a held pick: it stands, or it is released."""
    who = await _organizer(request)
    if who is None:
        return _unauthorized()
    try:
        recheck_id = int(request.path_params["recheck_id"])
        if recheck_id > MAX_ID:
            return problem(404, "not_found", "There is no re-check with this id.")
        answer = await json_body(request, RecheckAnswer)
    except (ValueError, ValidationError) as error:
        return problem(400, "invalid_answer", str(error) or "Send a verdict for a re-check id.")
    parts = parts_of(request)
    try:
        outcome = await run_in_threadpool(parts.rechecks.answer, who[0], recheck_id, answer.verdict)
    except RecheckNotFound:
        return problem(404, "not_found", "There is no re-check with this id.")
    except TooLate as late:
        return problem(409, "too_late", str(late))
    parts.written()
    body = RecheckOutcome(
        id=recheck_id, outcome="released" if outcome == "released" else "confirmed"
    )
    return no_store(contract_json(body))


routes = [
    Route("/api/v1/offers/{invitation_id:path}", put_offer, methods=["PUT"]),
    Route("/api/v1/offers/{invitation_id:path}", delete_offer, methods=["DELETE"]),
    Route("/api/v1/bookings", get_bookings, methods=["GET"]),
    Route("/api/v1/bookings/ack", ack_bookings, methods=["POST"]),
    Route("/api/v1/rechecks/{recheck_id:int}", answer_recheck, methods=["POST"]),
]
