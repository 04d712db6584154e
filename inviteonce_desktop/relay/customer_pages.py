"""The customer's pages: the link, a promoted slot's confirm page, booking, .ics."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .calendar_links import google_url, outlook_url
from .calendar_view import WEEKDAYS, pick
from .csrf import csrf_value, form_is_genuine, remember
from .customer_view import LinkView, load_view
from .errors import AlreadyScheduled, LinkGone, LinkNotFound, SlotTaken
from .ics import booking_uid, event_ics, uid_host
from .manage_links import changes_of, manage_path, manage_token
from .opened import note_form_open, note_opened, open_proof
from .parts import RelayParts, parts_of
from .presentation import by_day, when_parts
from .zone_labels import ZoneChoice, region_of, zone_choices, zone_label

_GONE = {
    "cancelled": (
        "Invitation cancelled",
        "This invitation was cancelled by the organizer.",
        "If you still want to meet, please ask the organizer for a new invitation.",
    ),
    "expired": (
        "Invitation expired",
        "This invitation has expired. Please ask for a new one.",
        "Invitations are open for a limited time, so the times offered stay true.",
    ),
}


def message(
    parts: RelayParts, status: int, title: str, text: str, hint: str = "", kind: str = ""
) -> Response:
    return parts.pages.render(
        "message.html", status, title=title, message=text, hint=hint, kind=kind
    )


def not_found(parts: RelayParts) -> Response:
    return message(
        parts,
        404,
        "Link not found",
        "This link is not known. Please check that you copied all of it.",
        "Links from an invitation email work as they are; a link cut in two does not.",
        "unknown",
    )


def _gone(parts: RelayParts, reason: str) -> Response:
    title, text, hint = _GONE[reason]
    return message(parts, 410, title, text, hint, reason)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _branding(view: LinkView) -> dict[str, str]:
    branding = view.offer.branding
    found: dict[str, str] = {}
    if branding is None:
        return found
    base = f"/i/{view.token}"
    if branding.accent_color:
        found["brand_css"] = f"{base}/brand.css?v={branding.accent_color[1:]}"
    if branding.logo:
        found["logo_url"] = f"{base}/logo?v={branding.logo.version}"
    if branding.photo:
        found["photo_url"] = f"{base}/photo?v={branding.photo.version}"
    return found


def _zones_url(base: str, params: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(params))
    return f"{base}/zones?{query}" if query else f"{base}/zones"


def _common(view: LinkView, parts: RelayParts) -> dict[str, Any]:
    now = parts.clock()
    base = f"/i/{view.token}"
    tz = () if view.offer.fixed_zone or not view.zone_chosen else (("tz", view.zone_name),)

    def link(**params: str) -> str:
        query = urlencode([*tz, *params.items()])
        return f"{base}?{query}" if query else base

    return {
        "title": view.offer.subject,
        "offer": view.offer,
        "token": view.token,
        "zone_name": view.zone_name,
        "zone_label": zone_label(view.zone_name, datetime.fromtimestamp(now, UTC)),
        "zone_chosen": view.zone_chosen,
        "fixed": view.offer.fixed_zone is not None,
        "zone_options": parts.pages.zone_options(view.zone_name, now),
        "tz_query": view.tz_query,
        "duration": _duration(view.offer.duration_minutes),
        "link": link,
        "zones_url": _zones_url(base, tz),
        "keep": (),
        "chosen": None,
        "open_proof": open_proof(view.record.salt, view.token),
        **_branding(view),
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
        return _gone(parts, gone.reason)


def _booked_page(view: LinkView, parts: RelayParts, *, just_booked: bool) -> Response:
    booking = view.record.booking
    assert booking is not None
    zone_name = view.zone_name if view.zone_chosen else booking.customer_time_zone
    common = _common(view, parts)
    if zone_name != view.zone_name:
        now = parts.clock()
        common["zone_name"] = zone_name
        common["zone_label"] = zone_label(zone_name, datetime.fromtimestamp(now, UTC))
        common["zone_options"] = parts.pages.zone_options(zone_name, now)
    here = f"/i/{view.token}/confirmed" if just_booked else f"/i/{view.token}"
    chosen = when_parts(booking.start, booking.end, zone_name)
    return parts.pages.render(
        "booked.html",
        **{**common, "title": f"Booked: {view.offer.subject}", "chosen": chosen},
        here=here,
        just_booked=just_booked,
        organizer_online=view.organizer_online,
        receipt_to=view.offer.customer_email if parts.receipts is not None else None,
        google_url=google_url(view.offer, booking),
        outlook_url=outlook_url(view.offer, booking),
        office_url=outlook_url(view.offer, booking, work=True),
        manage_url=manage_path(manage_token(view.token, view.record.salt, booking.origin)),
    )


def _offer_page(
    view: LinkView,
    parts: RelayParts,
    *,
    notice: str = "",
    status: int = 200,
    day: str = "",
    month: str = "",
) -> Response:
    picked = pick(by_day(view.free, view.zone_name), day, month)
    common = _common(view, parts)
    tz = [("tz", view.zone_name)] if view.zone_chosen and not view.offer.fixed_zone else []
    keep: tuple[tuple[str, str], ...] = ()
    if picked is not None and picked.day is not None:
        keep = (("day", picked.day.date.isoformat()),)
    return parts.pages.render(
        "offer.html",
        status,
        **{**common, "keep": keep, "zones_url": _zones_url(f"/i/{view.token}", [*tz, *keep])},
        here=f"/i/{view.token}",
        picked=picked,
        month=picked.month if picked else None,
        weekdays=WEEKDAYS,
        notice=notice,
    )


def _to_checking(view: LinkView) -> Response:
    """The pick is held while the organizer's calendars are re-checked: the waiting page."""
    return RedirectResponse(f"/i/{view.token}/checking{view.tz_query}", status_code=303)


async def link_page(request: Request) -> Response:
    parts = parts_of(request)
    await note_form_open(request, parts)
    query = request.query_params
    day, month = query.get("day", "")[:10], query.get("month", "")[:7]
    key = (request.path_params["token"], f"{query.get('tz', '')[:64]}|{day}|{month}")
    version = -1
    if parts.page_cache.enabled:
        version = await parts.changes.current()
        cached = parts.page_cache.get(key, version, parts.clock())
        if cached is not None:
            return HTMLResponse(cached, headers={"cache-control": "no-store"})
    view = await _view(request)
    if isinstance(view, Response):
        return view
    if view.checking:
        return _to_checking(view)
    if view.record.booking is not None:
        response = _booked_page(view, parts, just_booked=False)
    else:
        response = _offer_page(view, parts, day=day, month=month)
    parts.page_cache.put(key, bytes(response.body), version, view.fresh_until)
    return response


async def confirmed_page(request: Request) -> Response:
    view = await _view(request)
    if isinstance(view, Response):
        return view
    if view.checking:
        return _to_checking(view)
    if view.record.booking is None:
        return RedirectResponse(f"/i/{view.token}{view.tz_query}", status_code=303)
    return _booked_page(view, parts_of(request), just_booked=True)


async def slot_page(request: Request) -> Response:
    await note_form_open(request, parts_of(request))
    view = await _view(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if view.checking:
        return _to_checking(view)
    if view.record.booking is not None:
        return _booked_page(view, parts, just_booked=False)
    wanted: str = request.path_params["slot_id"]
    slot = next((s for s in view.free if s.id == wanted), None)
    if slot is None:
        return _offer_page(
            view, parts, notice="That time is no longer available. Please pick another."
        )
    csrf = csrf_value(request)
    common = _common(view, parts)
    chosen = when_parts(slot.start, slot.end, view.zone_name)
    day = by_day([slot], view.zone_name)[0].date.isoformat()
    tz = [("tz", view.zone_name)] if view.zone_chosen and not view.offer.fixed_zone else []
    common["zones_url"] = _zones_url(f"/i/{view.token}", [*tz, ("slot", slot.id)])
    response = parts.pages.render(
        "confirm.html",
        **{**common, "title": f"Confirm: {view.offer.subject}", "chosen": chosen},
        here=f"/i/{view.token}/slot/{slot.id}",
        slot_id=slot.id,
        csrf=csrf,
        back=common["link"](day=day),
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
        response = message(
            parts,
            429,
            "Please wait",
            "Too many booking attempts from here. Please try again in a minute.",
        )
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    form = await request.form(max_files=0, max_fields=10, max_part_size=1024)
    slot_id, csrf, zone_field = (
        str(form.get(name, ""))[:64] for name in ("slot_id", "csrf", "time_zone")
    )
    if not form_is_genuine(request, csrf, parts.settings.base_url):
        return message(
            parts,
            403,
            "Please try again",
            "This form has expired. Please open your invitation link again.",
        )
    view = await _view(request, zone_field)
    if isinstance(view, Response):
        return view
    zone_name = view.zone_name
    try:
        _booking, held = await run_in_threadpool(
            lambda: parts.rechecks.book(token, slot_id=slot_id, time_zone=zone_name)
        )
    except LinkNotFound:
        return not_found(parts)
    except LinkGone as gone:
        return _gone(parts, gone.reason)
    except AlreadyScheduled:
        return RedirectResponse(f"/i/{token}", status_code=303)
    except SlotTaken:
        fresh = await _view(request, zone_name)
        if isinstance(fresh, Response):
            return fresh
        if fresh.record.booking is not None:
            return RedirectResponse(f"/i/{token}", status_code=303)
        wanted = fresh.offer.slot(slot_id)
        day = by_day([wanted], zone_name)[0].date.isoformat() if wanted else ""
        return _offer_page(
            fresh,
            parts,
            status=409,
            notice="Sorry, that time was just taken. Please pick another one.",
            day=day,
        )
    parts.written()
    await run_in_threadpool(note_opened, parts, token)  # without scripts, the form says it
    query = "" if view.offer.fixed_zone else "?tz=" + zone_name
    step = "checking" if held else "confirmed"
    return RedirectResponse(f"/i/{token}/{step}{query}", status_code=303)


async def event_file(request: Request) -> Response:
    view = await _view(request)
    if isinstance(view, Response):
        return view
    booking = view.record.booking
    parts = parts_of(request)
    if booking is None:
        return not_found(parts)
    uid = booking_uid(view.record.salt, booking.origin, uid_host(parts.settings.base_url))
    changes = await run_in_threadpool(changes_of, parts.engine, booking.origin)
    return Response(
        event_ics(view.offer, booking, uid, changes),
        media_type="text/calendar",
        headers={
            "content-disposition": 'attachment; filename="meeting.ics"',
            "cache-control": "no-store",
        },
    )


_SLOT_ID = re.compile(r"\d{8}T\d{6}Z")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


async def zones_page(request: Request) -> Response:
    """Every time zone as a link back to the page the customer came from: the
    full list, for browsers without scripts (the script searches it in place)."""
    view = await _view(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    base = f"/i/{view.token}"
    query = request.query_params
    slot, day = query.get("slot", "")[:20], query.get("day", "")[:10]
    if view.offer.fixed_zone:
        return RedirectResponse(base, status_code=303)
    if _SLOT_ID.fullmatch(slot):
        target, extra = f"{base}/slot/{slot}", []
    else:
        target, extra = base, [("day", day)] if _DAY.fullmatch(day) else []

    def back(name: str) -> str:
        return f"{target}?{urlencode([('tz', name), *extra])}"

    kept = [("tz", view.zone_name)] if view.zone_chosen else []
    regions: dict[str, list[ZoneChoice]] = {}
    for choice in zone_choices(datetime.fromtimestamp(parts.clock(), UTC)):
        regions.setdefault(region_of(choice.name), []).append(choice)
    common = _common(view, parts)
    return parts.pages.render(
        "zones.html",
        **{**common, "title": f"Time zones: {view.offer.subject}"},
        back=back,
        cancel=f"{target}?{urlencode([*kept, *extra])}",
        regions=sorted((r, sorted(c, key=lambda c: c.label)) for r, c in regions.items()),
    )


routes = [
    Route("/i/{token}", link_page, methods=["GET"]),
    Route("/i/{token}/slot/{slot_id}", slot_page, methods=["GET"]),
    Route("/i/{token}/confirmed", confirmed_page, methods=["GET"]),
    Route("/i/{token}/book", book, methods=["POST"]),
    Route("/i/{token}/event.ics", event_file, methods=["GET"]),
    Route("/i/{token}/zones", zones_page, methods=["GET"]),
]
