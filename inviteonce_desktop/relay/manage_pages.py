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

from .calendar_view import pick
from .csrf import csrf_value, form_is_genuine, remember
from .customer_pages import MEETING_TYPES, message, not_found
from .errors import LinkGone, LinkNotFound, SlotTaken
from .languages import N_, chosen_in_link, language_of, switcher
from .manage import Changed, ManageDesk, ManagedMeeting, MeetingCancelled, TooLate
from .manage_links import PREFIX
from .offer import Slot
from .parts import RelayParts, parts_of
from .presentation import by_day, when_parts
from .zone_labels import ZoneChoice, region_of, zone_choices, zone_label

_DONE = {
    "moved": N_("Your meeting was moved. The updated calendar invitation follows by email."),
}


def _desk(parts: RelayParts) -> ManageDesk:
    return ManageDesk(parts.engine, parts.offers, parts.clock)


class _View:
    """A meeting as this customer sees it, in the zone they chose (or booked in)."""

    def __init__(
        self, token: str, meeting: ManagedMeeting, requested: str | None, lang: str = ""
    ) -> None:
        self.token = token
        self.lang = lang
        self.meeting = meeting
        wanted = requested or meeting.last.customer_time_zone
        self.zone_name, _chosen = meeting.offer.zone_for(wanted)
        self.base = f"{PREFIX}{token}"

    @property
    def tz(self) -> list[tuple[str, str]]:
        return [] if self.meeting.offer.fixed_zone else [("tz", self.zone_name)]

    @property
    def kept(self) -> list[tuple[str, str]]:
        """The zone, and the language the link chose: what the page's own links keep."""
        return [*self.tz, *([("lang", self.lang)] if self.lang else [])]

    def url(self, path: str = "", **params: str) -> str:
        query = urlencode([*self.kept, *params.items()])
        return f"{self.base}{path}?{query}" if query else f"{self.base}{path}"


async def _load(request: Request, zone_name: str | None = None) -> _View | Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    requested = zone_name or request.query_params.get("tz", "")[:64] or None
    try:
        meeting = await run_in_threadpool(_desk(parts).find, token)
    except LinkNotFound:
        return not_found(request)
    except LinkGone:
        return message(
            request,
            410,
            N_("Meeting over"),
            N_("This meeting is long over; its details are no longer kept."),
            kind="expired",
        )
    return _View(token, meeting, requested, chosen_in_link(request) or "")


def _common(view: _View, request: Request, here: str, **keep: str) -> dict[str, Any]:
    parts = parts_of(request)
    lang = language_of(request)
    now = parts.clock()
    offer = view.meeting.offer
    last = view.meeting.last
    zones_params = urlencode([*view.kept, ("back", here.removeprefix(view.base)), *keep.items()])
    deadline = datetime.fromtimestamp(view.meeting.deadline, UTC).astimezone(zone(view.zone_name))
    lead_minutes = offer.change_lead // 60
    return {
        "title": offer.subject,
        "offer": offer,
        "zone_name": view.zone_name,
        "zone_label": zone_label(view.zone_name, datetime.fromtimestamp(now, UTC), lang),
        "zone_chosen": True,
        "fixed": offer.fixed_zone is not None,
        "zone_options": parts.pages.zone_options(view.zone_name, now, lang),
        "duration": lang.duration(offer.duration_minutes),
        "meeting_type": lang.gettext(MEETING_TYPES[offer.meeting_type.value]),
        "here": here,
        "keep": (*(view.kept[len(view.tz) :]), *keep.items()),
        "zones_url": f"{view.base}/zones?{zones_params}",
        "chosen": when_parts(last.start, last.end, view.zone_name, lang),
        "manage": view,
        "lead_hours": lang.duration(lead_minutes) if lead_minutes else "",
        "has_lead": offer.change_lead > 0,
        "past": last.end <= now,
        "deadline": f"{lang.day(deadline.date())}, {lang.time(deadline)}",
        "changeable": view.meeting.changeable(now),
        "cancelled": view.meeting.live is None or view.meeting.offer_cancelled,
        "languages": switcher(request, _page(request, view), tuple(view.tz), lang),
    }


def _page(request: Request, view: _View) -> str:
    """The page a language link leads to: this one, or after a POST the manage page."""
    return request.url.path if request.method == "GET" else view.base


def _manage_page(
    view: _View, request: Request, *, notice: str = "", status: int = 200, done: str = ""
) -> Response:
    """*notice* comes translated; *done* names a message of ``_DONE``."""
    lang = language_of(request)
    return parts_of(request).pages.render(
        "manage.html",
        status,
        request=request,
        **_common(view, request, view.base),
        notice=notice,
        done=lang.gettext(_DONE[done]) if done in _DONE else "",
    )


async def manage_page(request: Request) -> Response:
    view = await _load(request)
    if isinstance(view, Response):
        return view
    return _manage_page(view, request, done=request.query_params.get("done", ""))


def _reschedule_page(
    view: _View,
    request: Request,
    free: list[Slot],
    *,
    notice: str = "",
    status: int = 200,
    day: str = "",
    month: str = "",
) -> Response:
    lang = language_of(request)
    picked = pick(by_day(free, view.zone_name, lang), day, month, lang)
    keep = {}
    if picked is not None and picked.day is not None:
        keep["day"] = picked.day.date.isoformat()
    common = _common(view, request, f"{view.base}/reschedule", **keep)

    def link(**params: str) -> str:
        return view.url("/reschedule", **params)

    title = lang.gettext("Reschedule: %(subject)s", subject=view.meeting.offer.subject)
    return parts_of(request).pages.render(
        "reschedule.html",
        status,
        request=request,
        **{**common, "title": title, "chosen": None},
        current=common["chosen"],
        picked=picked,
        month=picked.month if picked else None,
        weekdays=lang.weekdays(),
        link=link,
        notice=notice,
    )


async def reschedule_page(request: Request) -> Response:
    view = await _load(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if not view.meeting.changeable(parts.clock()):
        return _manage_page(view, request)
    free = await run_in_threadpool(_desk(parts).free, view.meeting)
    query = request.query_params
    return _reschedule_page(
        view, request, free, day=query.get("day", "")[:10], month=query.get("month", "")[:7]
    )


async def move_page(request: Request) -> Response:
    """Confirm the new time: the form whose POST moves the meeting."""
    view = await _load(request)
    if isinstance(view, Response):
        return view
    parts = parts_of(request)
    if not view.meeting.changeable(parts.clock()):
        return _manage_page(view, request)
    free = await run_in_threadpool(_desk(parts).free, view.meeting)
    wanted: str = request.path_params["slot_id"]
    slot = next((s for s in free if s.id == wanted), None)
    lang = language_of(request)
    if slot is None:
        notice = lang.gettext("That time is no longer available. Please pick another.")
        return _reschedule_page(view, request, free, notice=notice)
    live = view.meeting.live
    assert live is not None
    csrf = csrf_value(request)
    day = by_day([slot], view.zone_name)[0].date.isoformat()
    common = _common(view, request, f"{view.base}/reschedule/{slot.id}")
    title = lang.gettext("Reschedule: %(subject)s", subject=view.meeting.offer.subject)
    response = parts.pages.render(
        "move.html",
        request=request,
        **{**common, "title": title},
        current=common["chosen"],
        new=when_parts(slot.start, slot.end, view.zone_name, lang),
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
        return _manage_page(view, request)
    live = view.meeting.live
    assert live is not None
    csrf = csrf_value(request)
    title = language_of(request).gettext("Cancel: %(subject)s", subject=view.meeting.offer.subject)
    response = parts.pages.render(
        "cancel.html",
        request=request,
        **{**_common(view, request, f"{view.base}/cancel"), "title": title},
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
            request,
            429,
            N_("Please wait"),
            N_("Too many attempts from here. Please try again in a minute."),
        )
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    form = await request.form(max_files=0, max_fields=10, max_part_size=1024)
    fields = {name: str(form.get(name, ""))[:64] for name in ("slot_id", "csrf", "tz", "from")}
    if not form_is_genuine(request, fields["csrf"], parts.settings.base_url):
        return message(
            request,
            403,
            N_("Please try again"),
            N_("This form has expired. Please open the link from your confirmation email again."),
        )
    return fields


def _expected(fields: dict[str, str]) -> int | None:
    value = fields["from"]
    return int(value) if value.isdigit() and len(value) < 19 else None


def _refused(view: _View, request: Request, error: Exception) -> Response:
    """The manage page on the state after a change that could not be made."""
    lang = language_of(request)
    if isinstance(error, Changed):
        shown = when_parts(error.booking.start, error.booking.end, view.zone_name, lang)
        text = lang.gettext(
            "Your meeting was changed meanwhile: it is now on %(day)s, %(times)s.",
            day=shown.day,
            times=shown.times,
        )
    elif isinstance(error, MeetingCancelled):
        text = lang.gettext("This meeting was already cancelled.")
    elif isinstance(error, TooLate):
        text = lang.gettext(
            "The meeting starts too soon to change it here. Please contact the organizer."
        )
    else:
        text = lang.gettext("The invitation's times are closed now. You can still cancel.")
    return _manage_page(view, request, notice=text, status=409)


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
            request,
            free,
            status=409,
            notice=language_of(request).gettext(
                "Sorry, that time was just taken. Please pick another one."
            ),
            day=day,
        )
    except (Changed, MeetingCancelled, TooLate, LinkGone) as error:
        fresh = await _load(request, view.zone_name)
        return fresh if isinstance(fresh, Response) else _refused(fresh, request, error)
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
        return fresh if isinstance(fresh, Response) else _refused(fresh, request, error)
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

    lang = language_of(request)
    chosen = [("lang", view.lang)] if view.lang else []

    def back(name: str) -> str:
        return f"{target}?{urlencode([('tz', name), *chosen, *extra.items()])}"

    regions: dict[str, list[ZoneChoice]] = {}
    for choice in zone_choices(datetime.fromtimestamp(parts.clock(), UTC), lang):
        regions.setdefault(region_of(choice.name, lang), []).append(choice)
    title = lang.gettext("Time zones: %(subject)s", subject=view.meeting.offer.subject)
    return parts.pages.render(
        "zones.html",
        request=request,
        **{**_common(view, request, target), "title": title},
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
