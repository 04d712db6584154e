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
from .calendar_view import pick
from .csrf import csrf_value, form_is_genuine, remember
from .customer_view import LinkView, load_view
from .errors import AlreadyScheduled, LinkGone, LinkNotFound, SlotTaken
from .ics import booking_uid, event_ics, uid_host
from .languages import N_, chosen_in_link, lang_params, language_of, switcher
from .manage_links import changes_of, manage_path, manage_token
from .opened import note_form_open, note_opened, open_proof
from .parts import parts_of
from .presentation import by_day, when_parts
from .zone_labels import ZoneChoice, region_of, zone_choices, zone_label

_GONE = {
    "cancelled": (
        N_("Invitation cancelled"),
        N_("This invitation was cancelled by the organizer."),
        N_("If you still want to meet, please ask the organizer for a new invitation."),
    ),
    "expired": (
        N_("Invitation expired"),
        N_("This invitation has expired. Please ask for a new one."),
        N_("Invitations are open for a limited time, so the times offered stay true."),
    ),
}
MEETING_TYPES = {
    "in_person": N_("In person"),
    "phone": N_("Phone call"),
    "video": N_("Video call"),
}


def message(
    request: Request, status: int, title: str, text: str, hint: str = "", kind: str = ""
) -> Response:
    """A page of one message; *title*, *text* and *hint* are catalog messages (``N_``)."""
    lang = language_of(request)
    return parts_of(request).pages.render(
        "message.html",
        status,
        request=request,
        title=lang.gettext(title),
        message=lang.gettext(text),
        hint=lang.gettext(hint) if hint else "",
        kind=kind,
    )


def not_found(request: Request) -> Response:
    return message(
        request,
        404,
        N_("Link not found"),
        N_("This link is not known. Please check that you copied all of it."),
        N_("Links from an invitation email work as they are; a link cut in two does not."),
        "unknown",
    )


def _gone(request: Request, reason: str) -> Response:
    title, text, hint = _GONE[reason]
    return message(request, 410, title, text, hint, reason)


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


def _tz(view: LinkView) -> tuple[tuple[str, str], ...]:
    return () if view.offer.fixed_zone or not view.zone_chosen else (("tz", view.zone_name),)


def _page(request: Request) -> str:
    """The page a language link leads to: this one, or for a form's POST its link page."""
    path = request.url.path
    return path if request.method == "GET" else path.rsplit("/", 1)[0]


def _common(view: LinkView, request: Request) -> dict[str, Any]:
    parts = parts_of(request)
    lang = language_of(request)
    now = parts.clock()
    base = f"/i/{view.token}"
    kept = (*_tz(view), *lang_params(request))

    def link(**params: str) -> str:
        query = urlencode([*kept, *params.items()])
        return f"{base}?{query}" if query else base

    return {
        "title": view.offer.subject,
        "offer": view.offer,
        "token": view.token,
        "zone_name": view.zone_name,
        "zone_label": zone_label(view.zone_name, datetime.fromtimestamp(now, UTC), lang),
        "zone_chosen": view.zone_chosen,
        "fixed": view.offer.fixed_zone is not None,
        "zone_options": parts.pages.zone_options(view.zone_name, now, lang),
        "tz_query": view.tz_query,
        "duration": lang.duration(view.offer.duration_minutes),
        "meeting_type": lang.gettext(MEETING_TYPES[view.offer.meeting_type.value]),
        "link": link,
        "zones_url": _zones_url(base, kept),
        "keep": lang_params(request),
        "chosen": None,
        "open_proof": open_proof(view.record.salt, view.token),
        "languages": switcher(request, _page(request), _tz(view), lang),
        **_branding(view),
    }


async def _view(request: Request, zone_name: str | None = None) -> LinkView | Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    requested = zone_name or request.query_params.get("tz")
    try:
        lang = chosen_in_link(request) or ""
        return await run_in_threadpool(load_view, parts, token, requested, lang)
    except LinkNotFound:
        return not_found(request)
    except LinkGone as gone:
        return _gone(request, gone.reason)


def _booked_page(view: LinkView, request: Request, *, just_booked: bool) -> Response:
    parts = parts_of(request)
    lang = language_of(request)
    booking = view.record.booking
    assert booking is not None
    zone_name = view.zone_name if view.zone_chosen else booking.customer_time_zone
    common = _common(view, request)
    if zone_name != view.zone_name:
        now = parts.clock()
        common["zone_name"] = zone_name
        common["zone_label"] = zone_label(zone_name, datetime.fromtimestamp(now, UTC), lang)
        common["zone_options"] = parts.pages.zone_options(zone_name, now, lang)
    here = f"/i/{view.token}/confirmed" if just_booked else f"/i/{view.token}"
    chosen = when_parts(booking.start, booking.end, zone_name, lang)
    title = lang.gettext("Booked: %(subject)s", subject=view.offer.subject)
    return parts.pages.render(
        "booked.html",
        request=request,
        **{**common, "title": title, "chosen": chosen},
        here=here,
        just_booked=just_booked,
        organizer_online=view.organizer_online,
        receipt_to=view.offer.customer_email if parts.receipts is not None else None,
        google_url=google_url(view.offer, booking),
        outlook_url=outlook_url(view.offer, booking),
        office_url=outlook_url(view.offer, booking, work=True),
        manage_url=manage_path(manage_token(view.token, view.record.salt, booking.origin))
        + (f"?lang={view.lang}" if view.lang else ""),
    )


def _offer_page(
    view: LinkView,
    request: Request,
    *,
    notice: str = "",
    status: int = 200,
    day: str = "",
    month: str = "",
) -> Response:
    """The picker; *notice* is a catalog message (``N_``) shown above it."""
    parts = parts_of(request)
    lang = language_of(request)
    picked = pick(by_day(view.free, view.zone_name, lang), day, month, lang)
    common = _common(view, request)
    keep: tuple[tuple[str, str], ...] = lang_params(request)
    if picked is not None and picked.day is not None:
        keep = (*keep, ("day", picked.day.date.isoformat()))
    return parts.pages.render(
        "offer.html",
        status,
        request=request,
        **{
            **common,
            "keep": keep,
            "zones_url": _zones_url(f"/i/{view.token}", [*_tz(view), *keep]),
        },
        here=f"/i/{view.token}",
        picked=picked,
        month=picked.month if picked else None,
        weekdays=lang.weekdays(),
        notice=lang.gettext(notice) if notice else "",
    )


def _to_checking(view: LinkView) -> Response:
    """The pick is held while the organizer's calendars are re-checked: the waiting page."""
    return RedirectResponse(f"/i/{view.token}/checking{view.tz_query}", status_code=303)


async def link_page(request: Request) -> Response:
    parts = parts_of(request)
    await note_form_open(request, parts)
    query = request.query_params
    day, month = query.get("day", "")[:10], query.get("month", "")[:7]
    lang = f"{language_of(request).code}|{bool(lang_params(request))}"
    key = (request.path_params["token"], f"{query.get('tz', '')[:64]}|{day}|{month}|{lang}")
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
        response = _booked_page(view, request, just_booked=False)
    else:
        response = _offer_page(view, request, day=day, month=month)
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
    return _booked_page(view, request, just_booked=True)


async def slot_page(request: Request) -> Response:
    await note_form_open(request, parts_of(request))
    view = await _view(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if view.checking:
        return _to_checking(view)
    if view.record.booking is not None:
        return _booked_page(view, request, just_booked=False)
    wanted: str = request.path_params["slot_id"]
    slot = next((s for s in view.free if s.id == wanted), None)
    if slot is None:
        return _offer_page(
            view, request, notice=N_("That time is no longer available. Please pick another.")
        )
    lang = language_of(request)
    csrf = csrf_value(request)
    common = _common(view, request)
    chosen = when_parts(slot.start, slot.end, view.zone_name, lang)
    day = by_day([slot], view.zone_name)[0].date.isoformat()
    kept = [*_tz(view), *lang_params(request)]
    common["zones_url"] = _zones_url(f"/i/{view.token}", [*kept, ("slot", slot.id)])
    title = lang.gettext("Confirm: %(subject)s", subject=view.offer.subject)
    response = parts.pages.render(
        "confirm.html",
        request=request,
        **{**common, "title": title, "chosen": chosen},
        here=f"/i/{view.token}/slot/{slot.id}",
        slot_id=slot.id,
        csrf=csrf,
        back=common["link"](day=day),
        book_url=_link(f"{view.token}/book", lang_params(request)),
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
            request,
            429,
            N_("Please wait"),
            N_("Too many booking attempts from here. Please try again in a minute."),
        )
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    form = await request.form(max_files=0, max_fields=10, max_part_size=1024)
    slot_id, csrf, zone_field = (
        str(form.get(name, ""))[:64] for name in ("slot_id", "csrf", "time_zone")
    )
    if not form_is_genuine(request, csrf, parts.settings.base_url):
        return message(
            request,
            403,
            N_("Please try again"),
            N_("This form has expired. Please open your invitation link again."),
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
        return not_found(request)
    except LinkGone as gone:
        return _gone(request, gone.reason)
    except AlreadyScheduled:
        return RedirectResponse(_link(token, lang_params(request)), status_code=303)
    except SlotTaken:
        fresh = await _view(request, zone_name)
        if isinstance(fresh, Response):
            return fresh
        if fresh.record.booking is not None:
            return RedirectResponse(_link(token, lang_params(request)), status_code=303)
        wanted = fresh.offer.slot(slot_id)
        day = by_day([wanted], zone_name)[0].date.isoformat() if wanted else ""
        return _offer_page(
            fresh,
            request,
            status=409,
            notice=N_("Sorry, that time was just taken. Please pick another one."),
            day=day,
        )
    parts.written()
    await run_in_threadpool(note_opened, parts, token)  # without scripts, the form says it
    tz = () if view.offer.fixed_zone else (("tz", zone_name),)
    step = "checking" if held else "confirmed"
    return RedirectResponse(_link(f"{token}/{step}", (*tz, *lang_params(request))), status_code=303)


def _link(path: str, params: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(params))
    return f"/i/{path}?{query}" if query else f"/i/{path}"


async def event_file(request: Request) -> Response:
    view = await _view(request)
    if isinstance(view, Response):
        return view
    booking = view.record.booking
    parts = parts_of(request)
    if booking is None:
        return not_found(request)
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
    lang = language_of(request)
    chosen = lang_params(request)
    if view.offer.fixed_zone:
        return RedirectResponse(_link(view.token, chosen), status_code=303)
    if _SLOT_ID.fullmatch(slot):
        target, extra = f"{base}/slot/{slot}", [*chosen]
    else:
        target, extra = base, [*chosen, *([("day", day)] if _DAY.fullmatch(day) else [])]

    def back(name: str) -> str:
        return f"{target}?{urlencode([('tz', name), *extra])}"

    kept = [("tz", view.zone_name)] if view.zone_chosen else []
    regions: dict[str, list[ZoneChoice]] = {}
    for choice in zone_choices(datetime.fromtimestamp(parts.clock(), UTC), lang):
        regions.setdefault(region_of(choice.name, lang), []).append(choice)
    common = _common(view, request)
    cancel_query = urlencode([*kept, *extra])
    return parts.pages.render(
        "zones.html",
        request=request,
        **{**common, "title": lang.gettext("Time zones: %(subject)s", subject=view.offer.subject)},
        back=back,
        cancel=f"{target}?{cancel_query}" if cancel_query else target,
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
