"""The customer's pages: the link, a promoted slot's confirm page, booking, .ics."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .csrf import csrf_value, form_is_genuine, remember
from .customer_view import LinkView, load_view
from .errors import AlreadyScheduled, LinkGone, LinkNotFound, SlotTaken
from .ics import event_ics
from .parts import RelayParts, parts_of
from .presentation import by_day, when

_GONE = {
    "cancelled": ("Invitation cancelled", "This invitation was cancelled by the organizer."),
    "expired": ("Invitation expired", "This invitation has expired. Please ask for a new one."),
}


def not_found(parts: RelayParts) -> Response:
    return parts.pages.render(
        "message.html",
        404,
        title="Link not found",
        message="This link is not known. Please check that you copied all of it.",
    )


def _common(view: LinkView, parts: RelayParts) -> dict[str, Any]:
    return {
        "title": view.offer.subject,
        "offer": view.offer,
        "token": view.token,
        "zone_name": view.zone_name,
        "zone_chosen": view.zone_chosen,
        "fixed": view.offer.fixed_zone is not None,
        "zone_options": parts.pages.zone_options(view.zone_name),
        "tz_query": view.tz_query,
    }


async def _view(request: Request, zone_name: str | None = None) -> LinkView | Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    requested = zone_name or request.query_params.get("tz")
    try:
        return await run_in_threadpool(load_view, parts, token, requested)
    except LinkNotFound:
        return not_found(parts)
    except LinkGone as gone:
        title, message = _GONE[gone.reason]
        return parts.pages.render("message.html", 410, title=title, message=message)


def _booked_page(view: LinkView, parts: RelayParts, *, just_booked: bool) -> Response:
    booking = view.record.booking
    assert booking is not None
    zone_name = view.zone_name if view.zone_chosen else booking.customer_time_zone
    return parts.pages.render(
        "booked.html",
        **_common(view, parts),
        just_booked=just_booked,
        when=when(booking.start, booking.end, zone_name),
    )


def _offer_page(
    view: LinkView, parts: RelayParts, *, notice: str = "", status: int = 200
) -> Response:
    return parts.pages.render(
        "offer.html",
        status,
        **_common(view, parts),
        days=by_day(view.free, view.zone_name),
        notice=notice,
    )


async def link_page(request: Request) -> Response:
    parts = parts_of(request)
    key = (request.path_params["token"], request.query_params.get("tz", "")[:64])
    version = -1
    if parts.page_cache.enabled:
        version = await parts.changes.current()
        cached = parts.page_cache.get(key, version, parts.clock())
        if cached is not None:
            return HTMLResponse(cached, headers={"cache-control": "no-store"})
    view = await _view(request)
    if isinstance(view, Response):
        return view
    if view.record.booking is not None:
        response = _booked_page(view, parts, just_booked=False)
    else:
        response = _offer_page(view, parts)
    parts.page_cache.put(key, bytes(response.body), version, view.fresh_until)
    return response


async def confirmed_page(request: Request) -> Response:
    view = await _view(request)
    if isinstance(view, Response):
        return view
    if view.record.booking is None:
        return RedirectResponse(f"/i/{view.token}{view.tz_query}", status_code=303)
    return _booked_page(view, parts_of(request), just_booked=True)


async def slot_page(request: Request) -> Response:
    view = await _view(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if view.record.booking is not None:
        return _booked_page(view, parts, just_booked=False)
    wanted: str = request.path_params["slot_id"]
    slot = next((s for s in view.free if s.id == wanted), None)
    if slot is None:
        return _offer_page(
            view, parts, notice="That time is no longer available. Please pick another."
        )
    csrf = csrf_value(request)
    response = parts.pages.render(
        "confirm.html",
        **_common(view, parts),
        slot_id=slot.id,
        csrf=csrf,
        when=when(slot.start, slot.end, view.zone_name),
    )
    remember(response, csrf, secure=parts.settings.secure_cookies)
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def book(request: Request) -> Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    wait = parts.limiter.retry_after(_client(request))
    if wait > 0:
        response = parts.pages.render(
            "message.html",
            429,
            title="Please wait",
            message="Too many booking attempts from here. Please try again in a minute.",
        )
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    form = await request.form(max_files=0, max_fields=10, max_part_size=1024)
    slot_id, csrf, zone_field = (
        str(form.get(name, ""))[:64] for name in ("slot_id", "csrf", "time_zone")
    )
    if not form_is_genuine(request, csrf, parts.settings.base_url):
        return parts.pages.render(
            "message.html",
            403,
            title="Please try again",
            message="This form has expired. Please open your invitation link again.",
        )
    view = await _view(request, zone_field)
    if isinstance(view, Response):
        return view
    zone_name = view.zone_name
    try:
        await run_in_threadpool(
            lambda: parts.desk.book(token, slot_id=slot_id, time_zone=zone_name)
        )
    except LinkNotFound:
        return not_found(parts)
    except LinkGone as gone:
        title, message = _GONE[gone.reason]
        return parts.pages.render("message.html", 410, title=title, message=message)
    except AlreadyScheduled:
        return RedirectResponse(f"/i/{token}", status_code=303)
    except SlotTaken:
        fresh = await _view(request, zone_name)
        if isinstance(fresh, Response):
            return fresh
        if fresh.record.booking is not None:
            return RedirectResponse(f"/i/{token}", status_code=303)
        return _offer_page(
            fresh,
            parts,
            status=409,
            notice="Sorry, that time was just taken. Please pick another one.",
        )
    parts.written()
    query = "" if view.offer.fixed_zone else "?tz=" + zone_name
    return RedirectResponse(f"/i/{token}/confirmed{query}", status_code=303)


async def event_file(request: Request) -> Response:
    view = await _view(request)
    if isinstance(view, Response):
        return view
    booking = view.record.booking
    parts = parts_of(request)
    if booking is None:
        return not_found(parts)
    host = parts.settings.base_url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return Response(
        event_ics(view.offer, booking, host),
        media_type="text/calendar",
        headers={
            "content-disposition": 'attachment; filename="meeting.ics"',
            "cache-control": "no-store",
        },
    )


routes = [
    Route("/i/{token}", link_page, methods=["GET"]),
    Route("/i/{token}/slot/{slot_id}", slot_page, methods=["GET"]),
    Route("/i/{token}/confirmed", confirmed_page, methods=["GET"]),
    Route("/i/{token}/book", book, methods=["POST"]),
    Route("/i/{token}/event.ics", event_file, methods=["GET"]),
]
