"""The customer's wait while the organizer's desktop re-checks a held pick.

``/i/{token}/checking`` says "Confirming with the organizer's calendar…" and
refreshes itself every second (with scripts, ``relay.js`` instead waits on
``/api/v1/i/{token}/recheck`` and reloads once there is a verdict). It never
books anything: the POST that made the hold did. Once decided it sends the
customer on: to the booked page, or back to the remaining times with one
sentence why.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from inviteonce_desktop.core.relay_contract import MAX_WAIT_SECONDS, RecheckStatus

from .customer_pages import _common, _offer_page, _view
from .keys import looks_like_token
from .languages import N_, language_of
from .parts import parts_of
from .presentation import when_parts
from .responses import contract_json, no_store, problem

BUSY_NOTICE = N_("That time has just become busy in the organizer's calendar; please pick another.")


async def checking_page(request: Request) -> Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    standing = (
        await run_in_threadpool(parts.rechecks.standing, token) if looks_like_token(token) else None
    )
    view = await _view(request)
    if isinstance(view, Response):
        return view
    base = f"/i/{view.token}"
    if standing is None or standing.status == "none":
        return RedirectResponse(f"{base}{view.tz_query}", status_code=303)
    if standing.status == "confirmed" or view.record.booking is not None and not view.checking:
        # Booked (by this pick, or by another one since): the booked page says which.
        return RedirectResponse(f"{base}/confirmed{view.tz_query}", status_code=303)
    if standing.status == "conflict":
        day = datetime.fromtimestamp(standing.start, ZoneInfo(view.zone_name)).date()
        return _offer_page(view, request, notice=BUSY_NOTICE, day=day.isoformat())
    lang = language_of(request)
    chosen = when_parts(standing.start, standing.end, view.zone_name, lang)
    title = lang.gettext("Confirming: %(subject)s", subject=view.offer.subject)
    return parts.pages.render(
        "checking.html",
        request=request,
        **{**_common(view, request), "title": title, "chosen": chosen},
        here=f"{base}/checking{view.tz_query}",
        status_url=f"/api/v1/i/{view.token}/recheck?wait=10",
        seconds=max(1, round(parts.settings.recheck_seconds)),
    )


async def recheck_status(request: Request) -> Response:
    """Where the link's latest pick stands, waiting up to ``wait`` s for its verdict."""
    parts = parts_of(request)
    token: str = request.path_params["token"]
    try:
        wait = float(request.query_params.get("wait", "0"))
    except ValueError:
        wait = -1.0
    if not 0 <= wait <= MAX_WAIT_SECONDS:
        return problem(400, "invalid_query", "'wait' must be between 0 and 30.")
    if not looks_like_token(token):
        return problem(404, "not_found", "This link is not known.")
    standing = await parts.rechecks.wait(token, wait)
    return no_store(contract_json(RecheckStatus(status=standing.status)))


routes = [
    Route("/i/{token}/checking", checking_page, methods=["GET"]),
    Route("/api/v1/i/{token}/recheck", recheck_status, methods=["GET"]),
]
