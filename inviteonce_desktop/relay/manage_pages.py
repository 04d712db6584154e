"""The customer's manage link: see the meeting, reschedule it or cancel it.

Every GET only shows; a change needs a POST carrying the page's CSRF token
(its twin in a ``SameSite=Lax`` cookie), so a mail scanner that follows the
link, or any link on its pages, changes nothing. The pages work without
scripts, as the booking page does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from inviteonce_desktop.core.timezones import zone

from .calendar_view import WEEKDAYS, pick
from .csrf import csrf_value, form_is_genuine, remember
from .customer_pages import message, not_found
from .errors import LinkGone, LinkNotFound, SlotTaken
from .manage import Changed, ManageDesk, ManagedMeeting, MeetingCancelled, TooLate
from .manage_links import PREFIX
from .offer import Slot
from .parts import RelayParts, parts_of
from .presentation import by_day, day_label, when_parts
from .zone_labels import ZoneChoice, region_of, zone_choices, zone_label

_DONE = {
    "moved": "Your meeting was moved. The updated calendar invitation follows by email.",
}


def _desk(parts: RelayParts) -> ManageDesk:
    return ManageDesk(parts.engine, parts.offers, parts.clock)


class _View:
    """A meeting as this customer sees it, in the zone they chose (or booked in)."""

    def __init__(self, token: str, meeting: ManagedMeeting, requested: str | None) -> None:
        self.token = token
        self.meeting = meeting
        wanted = requested or meeting.last.customer_time_zone
        self.zone_name, _chosen = meeting.offer.zone_for(wanted)
        self.base = f"{PREFIX}{token}"

    @property
    def tz(self) -> list[tuple[str, str]]:
        return [] if self.meeting.offer.fixed_zone else [("tz", self.zone_name)]

    def url(self, path: str = "", **params: str) -> str:
        query = urlencode([*self.tz, *params.items()])
        return f"{self.base}{path}?{query}" if query else f"{self.base}{path}"


async def _load(request: Request, zone_name: str | None = None) -> _View | Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    requested = zone_name or request.query_params.get("tz", "")[:64] or None
    try:
        meeting = await run_in_threadpool(_desk(parts).find, token)
    except LinkNotFound:
        return not_found(parts)
    except LinkGone:
        return message(
            parts,
            410,
            "Meeting over",
            "This meeting is long over; its details are no longer kept.",
            kind="expired",
        )
    return _View(token, meeting, requested)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _common(view: _View, parts: RelayParts, here: str, **keep: str) -> dict[str, Any]:
    now = parts.clock()
    offer = view.meeting.offer
    last = view.meeting.last
    zones_params = urlencode([*view.tz, ("back", here.removeprefix(view.base)), *keep.items()])
    deadline = datetime.fromtimestamp(view.meeting.deadline, UTC).astimezone(zone(view.zone_name))
    return {
        "title": offer.subject,
        "offer": offer,
        "zone_name": view.zone_name,
        "zone_label": zone_label(view.zone_name, datetime.fromtimestamp(now, UTC)),
        "zone_chosen": True,
        "fixed": offer.fixed_zone is not None,
        "zone_options": parts.pages.zone_options(view.zone_name, now),
        "duration": _duration(offer.duration_minutes),
        "here": here,
        "keep": tuple(keep.items()),
        "zones_url": f"{view.base}/zones?{zones_params}",
        "chosen": when_parts(last.start, last.end, view.zone_name),
        "manage": view,
        "lead_hours": _hours(offer.change_lead),
        "has_lead": offer.change_lead > 0,
        "past": last.end <= now,
        "deadline": f"{day_label(deadline)}, {deadline:%H:%M}",
        "changeable": view.meeting.changeable(now),
        "cancelled": view.meeting.live is None or view.meeting.offer_cancelled,
    }


def _hours(seconds: int) -> str:
    hours, rest = divmod(seconds // 60, 60)
    if rest:
        return f"{hours} h {rest} min" if hours else f"{rest} min"
    return f"{hours} h"


def _manage_page(
    view: _View, parts: RelayParts, *, notice: str = "", status: int = 200, done: str = ""
) -> Response:
    return parts.pages.render(
        "manage.html",
        status,
        **_common(view, parts, view.base),
        notice=notice,
        done=_DONE.get(done, ""),
    )


async def manage_page(request: Request) -> Response:
    view = await _load(request)
    if isinstance(view, Response):
        return view
    return _manage_page(view, parts_of(request), done=request.query_params.get("done", ""))


def _reschedule_page(
    view: _View,
    parts: RelayParts,
    free: list[Slot],
    *,
    notice: str = "",
    status: int = 200,
    day: str = "",
    month: str = "",
) -> Response:
    picked = pick(by_day(free, view.zone_name), day, month)
    keep = {}
    if picked is not None and picked.day is not None:
        keep["day"] = picked.day.date.isoformat()
    common = _common(view, parts, f"{view.base}/reschedule", **keep)

    def link(**params: str) -> str:
        return view.url("/reschedule", **params)

    return parts.pages.render(
        "reschedule.html",
        status,
        **{**common, "title": f"Reschedule: {view.meeting.offer.subject}", "chosen": None},
        current=common["chosen"],
        picked=picked,
        month=picked.month if picked else None,
        weekdays=WEEKDAYS,
        link=link,
        notice=notice,
    )


async def reschedule_page(request: Request) -> Response:
    view = await _load(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if not view.meeting.changeable(parts.clock()):
        return _manage_page(view, parts)
    free = await run_in_threadpool(_desk(parts).free, view.meeting)
    query = request.query_params
    return _reschedule_page(
        view, parts, free, day=query.get("day", "")[:10], month=query.get("month", "")[:7]
    )


async def move_page(request: Request) -> Response:
    """Confirm the new time: the form whose POST moves the meeting."""
    view = await _load(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if not view.meeting.changeable(parts.clock()):
        return _manage_page(view, parts)
    free = await run_in_threadpool(_desk(parts).free, view.meeting)
    wanted: str = request.path_params["slot_id"]
    slot = next((s for s in free if s.id == wanted), None)
    if slot is None:
        return _reschedule_page(
            view, parts, free, notice="That time is no longer available. Please pick another."
        )
    live = view.meeting.live
    assert live is not None
    csrf = csrf_value(request)
    day = by_day([slot], view.zone_name)[0].date.isoformat()
    common = _common(view, parts, f"{view.base}/reschedule/{slot.id}")
    response = parts.pages.render(
        "move.html",
        **{**common, "title": f"Reschedule: {view.meeting.offer.subject}"},
        current=common["chosen"],
        new=when_parts(slot.start, slot.end, view.zone_name),
        slot_id=slot.id,
        expected=live.id,
        csrf=csrf,
        back=view.url("/reschedule", day=day),
    )
    remember(response, csrf, secure=parts.settings.secure_cookies, path=PREFIX)
    return response


async def cancel_page(request: Request) -> Response:
    """Confirm the cancellation: the form whose POST cancels the meeting."""
    view = await _load(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if not view.meeting.changeable(parts.clock()):
        return _manage_page(view, parts)
    live = view.meeting.live
    assert live is not None
    csrf = csrf_value(request)
    response = parts.pages.render(
        "cancel.html",
        **{
            **_common(view, parts, f"{view.base}/cancel"),
            "title": f"Cancel: {view.meeting.offer.subject}",
        },
        expected=live.id,
        csrf=csrf,
    )
    remember(response, csrf, secure=parts.settings.secure_cookies, path=PREFIX)
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _form(request: Request) -> dict[str, str] | Response:
    parts = parts_of(request)
    wait = parts.limiter.retry_after(_client(request))
    if wait > 0:
        response = message(
            parts, 429, "Please wait", "Too many attempts from here. Please try again in a minute."
        )
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    form = await request.form(max_files=0, max_fields=10, max_part_size=1024)
    fields = {name: str(form.get(name, ""))[:64] for name in ("slot_id", "csrf", "tz", "from")}
    if not form_is_genuine(request, fields["csrf"], parts.settings.base_url):
        return message(
            parts,
            403,
            "Please try again",
            "This form has expired. Please open the link from your confirmation email again.",
        )
    return fields


def _expected(fields: dict[str, str]) -> int | None:
    value = fields["from"]
    return int(value) if value.isdigit() and len(value) < 19 else None


def _refused(view: _View, parts: RelayParts, error: Exception) -> Response:
    """The manage page on the state after a change that could not be made."""
    if isinstance(error, Changed):
        shown = when_parts(error.booking.start, error.booking.end, view.zone_name)
        text = f"Your meeting was changed meanwhile: it is now on {shown.day}, {shown.times}."
    elif isinstance(error, MeetingCancelled):
        text = "This meeting was already cancelled."
    elif isinstance(error, TooLate):
        text = "The meeting starts too soon to change it here. Please contact the organizer."
    else:
        text = "The invitation's times are closed now. You can still cancel."
    return _manage_page(view, parts, notice=text, status=409)


async def reschedule(request: Request) -> Response:
    fields = await _form(request)
    if isinstance(fields, Response):
        return fields
    view = await _load(request, fields["tz"] or None)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    desk = _desk(parts)
    slot = view.meeting.offer.slot(fields["slot_id"])
    try:
        if slot is None:
            raise SlotTaken()
        start = slot.start
        await run_in_threadpool(
            lambda: desk.move(
                view.meeting.origin, start, expected=_expected(fields), by_customer=True
            )
        )
    except SlotTaken:
        fresh = await _load(request, view.zone_name)
        if isinstance(fresh, Response):
            return fresh
        free = await run_in_threadpool(desk.free, fresh.meeting)
        day = by_day([slot], view.zone_name)[0].date.isoformat() if slot else ""
        return _reschedule_page(
            fresh,
            parts,
            free,
            status=409,
            notice="Sorry, that time was just taken. Please pick another one.",
            day=day,
        )
    except (Changed, MeetingCancelled, TooLate, LinkGone) as error:
        fresh = await _load(request, view.zone_name)
        return fresh if isinstance(fresh, Response) else _refused(fresh, parts, error)
    parts.written()
    return RedirectResponse(view.url(done="moved"), status_code=303)


async def cancel(request: Request) -> Response:
    fields = await _form(request)
    if isinstance(fields, Response):
        return fields
    view = await _load(request, fields["tz"] or None)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    try:
        await run_in_threadpool(
            lambda: _desk(parts).cancel(view.meeting.origin, expected=_expected(fields))
        )
    except (Changed, MeetingCancelled, TooLate) as error:
        fresh = await _load(request, view.zone_name)
        return fresh if isinstance(fresh, Response) else _refused(fresh, parts, error)
    parts.written()
    return RedirectResponse(view.url(), status_code=303)


_BACKS = ("", "/reschedule", "/cancel")


async def zones_page(request: Request) -> Response:
    """Every time zone as a link back to the manage page the customer came from."""
    view = await _load(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    query = request.query_params
    back_path = query.get("back", "")
    if back_path not in _BACKS:
        back_path = ""
    day = query.get("day", "")[:10]
    extra = {"day": day} if len(day) == 10 else {}
    target = f"{view.base}{back_path}"

    def back(name: str) -> str:
        return f"{target}?{urlencode([('tz', name), *extra.items()])}"

    regions: dict[str, list[ZoneChoice]] = {}
    for choice in zone_choices(datetime.fromtimestamp(parts.clock(), UTC)):
        regions.setdefault(region_of(choice.name), []).append(choice)
    return parts.pages.render(
        "zones.html",
        **{**_common(view, parts, target), "title": f"Time zones: {view.meeting.offer.subject}"},
        back=back,
        cancel=view.url(back_path, **extra),
        regions=sorted((r, sorted(c, key=lambda c: c.label)) for r, c in regions.items()),
    )


routes = [
    Route(f"{PREFIX}{{token}}", manage_page, methods=["GET"]),
    Route(f"{PREFIX}{{token}}/reschedule", reschedule_page, methods=["GET"]),
    Route(f"{PREFIX}{{token}}/reschedule", reschedule, methods=["POST"]),
    Route(f"{PREFIX}{{token}}/reschedule/{{slot_id}}", move_page, methods=["GET"]),
    Route(f"{PREFIX}{{token}}/cancel", cancel_page, methods=["GET"]),
    Route(f"{PREFIX}{{token}}/cancel", cancel, methods=["POST"]),
    Route(f"{PREFIX}{{token}}/zones", zones_page, methods=["GET"]),
]
