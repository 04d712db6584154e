"""Google Calendar through the Calendar API v3 (google-api-python-client).

freeBusy takes at most 50 calendars and a bounded range per request, so a
refresh is split into groups of calendars and windows of days, and every
piece is asked concurrently. Events are written with InviteOnce's UID as their
iCalUID (so Google's invitation carries the same UID as every other copy) and
looked up by it before an insert, so a retried write never makes a second
event or a second invitation.
The client library blocks (httplib2), so each request runs in a worker thread
with an HTTP connection of its own; the OAuth token is refreshed before the
requests fan out.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import google_auth_httplib2
import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from ...core.intervals import Interval
from ...core.timezones import zone
from .base import AccountCalendar, AttendeeRole, EventRef, EventRequest, OnlineMeeting
from .busy import PieceAnswer, gather_free_busy
from .errors import (
    CalendarError,
    CalendarRejected,
    CalendarUnavailable,
    MalformedResponse,
    RateLimited,
    ReconnectRequired,
)
from .retry import RetryPolicy, parse_retry_after, with_retries

log = logging.getLogger(__name__)

SCOPES = (
    "https://www.googleapis.com/auth/calendar",
    "https://www.googleapis.com/auth/gmail.send",
)
"""Asked at sign-in: the calendar, and sending the product's mail as the account's user."""
FREEBUSY_MAX_CALENDARS = 50
FREEBUSY_MAX_RANGE = timedelta(days=60)
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"}
_GONE = {404, 410}
_WRITERS = {"owner", "writer"}


def event_id_for(uid: str) -> str:
    """A valid Google event id (base32hex, lower case) derived from an iCalendar UID."""
    digest = hashlib.sha256(uid.encode()).digest()[:20]
    return base64.b32hexencode(digest).decode().lower()


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class GoogleCalendarProvider:
    kind = "google"

    def __init__(
        self,
        *,
        account_name: str,
        credentials: Credentials,
        api_endpoint: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 10,
    ) -> None:
        self._name = account_name
        self._credentials = credentials
        self._endpoint = api_endpoint
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._limit = asyncio.Semaphore(max_concurrency)
        self._service: Any = None
        self._refresh_lock = asyncio.Lock()

    # -- the Protocol ------------------------------------------------------

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        return await gather_free_busy(
            calendar_ids,
            start,
            end,
            max_calendars=FREEBUSY_MAX_CALENDARS,
            max_range=FREEBUSY_MAX_RANGE,
            fetch=self._free_busy_piece,
            service="Google",
        )

    async def create_event(self, calendar_id: str, event: EventRequest) -> EventRef:
        """Insert the event with InviteOnce's UID as its iCalUID, exactly once.

        An earlier attempt may have been carried out with its answer lost (a
        dropped connection, a timeout), so the calendar is asked for the UID
        first; a duplicate refused at insert time (409) is looked up the same
        way. Neither re-sends the attendees' invitations.
        """
        found = await self.find_event(calendar_id, event.uid)
        if found is not None:
            return self._ref(event.uid, calendar_id, found)
        body = self._event_body(event) | {"iCalUID": event.uid}
        params = self._write_params(event)
        try:
            created = await self._execute(
                lambda s: s.events().insert(calendarId=calendar_id, body=body, **params)
            )
        except CalendarRejected as problem:
            if problem.status != 409:
                raise
            created = await self.find_event(calendar_id, event.uid)
            if created is None:
                raise
        return self._ref(event.uid, calendar_id, created)

    async def find_event(self, calendar_id: str, uid: str) -> dict[str, Any] | None:
        """The live event whose iCalUID is *uid*, or None."""
        answer = await self._execute(
            lambda s: s.events().list(calendarId=calendar_id, iCalUID=uid, showDeleted=False)
        )
        items = answer.get("items") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise self._malformed()
        live = [i for i in items if isinstance(i, dict) and i.get("status") != "cancelled"]
        return live[0] if live else None

    async def update_event(self, calendar_id: str, ref: EventRef, event: EventRequest) -> EventRef:
        body = self._event_body(event)
        params = self._write_params(event)
        updated = await self._execute(
            lambda s: s.events().patch(
                calendarId=calendar_id, eventId=ref.provider_id, body=body, **params
            )
        )
        return self._ref(event.uid, calendar_id, updated)

    async def cancel_event(self, calendar_id: str, ref: EventRef) -> None:
        send = "all" if ref.extra.get("send_updates", "true") == "true" else "none"
        try:
            await self._execute(
                lambda s: s.events().delete(
                    calendarId=calendar_id, eventId=ref.provider_id, sendUpdates=send
                )
            )
        except CalendarRejected as problem:
            if problem.status not in _GONE:
                raise

    async def aclose(self) -> None:
        self._service = None

    async def primary_calendar_id(self) -> str:
        """The account's own calendar id (its email address); one cheap request."""
        answer = await self._execute(lambda s: s.calendars().get(calendarId="primary"))
        try:
            return str(answer["id"])
        except (KeyError, TypeError):
            raise self._malformed() from None

    async def calendars(self) -> list[AccountCalendar]:
        """The account's calendar list (calendarList.list), every page."""
        found: list[AccountCalendar] = []
        page: dict[str, str] = {}
        while True:
            answer = await self._execute(partial(_calendar_list_page, page=page))
            items = answer.get("items") if isinstance(answer, dict) else None
            if not isinstance(items, list):
                raise self._malformed()
            try:
                found += [
                    AccountCalendar(
                        str(i["id"]),
                        str(i.get("summaryOverride") or i.get("summary") or i["id"]),
                        i.get("accessRole") in _WRITERS,
                        bool(i.get("primary")),
                    )
                    for i in items
                ]
            except (KeyError, TypeError, AttributeError):
                raise self._malformed() from None
            token = answer.get("nextPageToken")
            if not token:
                return found
            page = {"pageToken": str(token)}

    # -- requests ----------------------------------------------------------

    async def _free_busy_piece(
        self, group: Sequence[str], start: datetime, end: datetime
    ) -> PieceAnswer:
        body = {
            "timeMin": _rfc3339(start),
            "timeMax": _rfc3339(end),
            "items": [{"id": cid} for cid in group],
        }
        answer = await self._execute(lambda s: s.freebusy().query(body=body))
        calendars = answer.get("calendars") if isinstance(answer, dict) else None
        if not isinstance(calendars, dict):
            raise self._malformed()
        try:
            entries = {cid: dict(calendars.get(cid) or {"errors": [{}]}) for cid in group}
            return {
                cid: _unreadable(entry["errors"])
                if entry.get("errors")
                else [(_parse(b["start"]), _parse(b["end"])) for b in entry.get("busy", [])]
                for cid, entry in entries.items()
            }
        except (TypeError, ValueError, KeyError):
            raise self._malformed() from None

    async def _execute(self, make: Callable[[Any], Any]) -> Any:
        async def attempt() -> Any:
            async with self._limit:
                await self._ensure_token()
                await self._ensure_service()
                try:
                    return await asyncio.to_thread(self._run, make)
                except CalendarError:
                    raise
                except (
                    HttpError,
                    RefreshError,
                    TransportError,
                    OSError,
                    httplib2.HttpLib2Error,
                    ValueError,
                ) as problem:
                    raise self._classify(problem) from None

        return await with_retries(attempt, self._retry)

    async def _ensure_service(self) -> None:
        if self._service is not None:
            return
        async with self._refresh_lock:
            if self._service is None:
                self._service = await asyncio.to_thread(self._build)

    def _build(self) -> Any:
        options = {"api_endpoint": self._endpoint} if self._endpoint else None
        return build(
            "calendar",
            "v3",
            credentials=self._credentials,
            client_options=options,
            static_discovery=True,
            cache_discovery=False,
        )

    def _run(self, make: Callable[[Any], Any]) -> Any:
        http = google_auth_httplib2.AuthorizedHttp(
            self._credentials, http=httplib2.Http(timeout=self._timeout)
        )
        try:
            return make(self._service).execute(http=http)
        finally:
            http.close()

    async def _ensure_token(self) -> None:
        if self._credentials.valid:
            return
        async with self._refresh_lock:
            if self._credentials.valid:
                return
            try:
                await asyncio.to_thread(self._refresh)
            except (RefreshError, TransportError, OSError) as problem:
                raise self._classify(problem) from None

    def _refresh(self) -> None:
        http = httplib2.Http(timeout=self._timeout)
        try:
            self._credentials.refresh(google_auth_httplib2.Request(http))  # type: ignore[no-untyped-call]
        finally:
            http.close()

    # -- bodies and references ---------------------------------------------

    @staticmethod
    def _event_body(event: EventRequest) -> dict[str, Any]:
        tz = zone(event.time_zone)
        body: dict[str, Any] = {
            "summary": event.title,
            "description": event.description,
            "location": event.location,
            "start": {
                "dateTime": event.start.astimezone(tz).isoformat(),
                "timeZone": event.time_zone,
            },
            "end": {"dateTime": event.end.astimezone(tz).isoformat(), "timeZone": event.time_zone},
            "attendees": [
                {
                    "email": a.email,
                    "displayName": a.name,
                    "optional": a.role is AttendeeRole.OPTIONAL,
                    "resource": a.role is AttendeeRole.RESOURCE,
                }
                for a in event.attendees
            ],
            "visibility": event.visibility.value,
            "extendedProperties": {"private": {"inviteonceUid": event.uid}},
        }
        if event.online_meeting is OnlineMeeting.PROVIDER:
            body["conferenceData"] = {
                "createRequest": {
                    "requestId": event_id_for("meet:" + event.uid),
                    "conferenceSolutionKey": {"type": "hangoutsMeet"},
                }
            }
        return body

    @staticmethod
    def _write_params(event: EventRequest) -> dict[str, Any]:
        return {"sendUpdates": "all" if event.send_updates else "none", "conferenceDataVersion": 1}

    def _ref(self, uid: str, calendar_id: str, answer: Any) -> EventRef:
        if not isinstance(answer, dict) or "id" not in answer:
            raise self._malformed()
        join = answer.get("hangoutLink")
        for point in (answer.get("conferenceData") or {}).get("entryPoints", []):
            if point.get("entryPointType") == "video":
                join = point.get("uri", join)
        return EventRef(
            uid, calendar_id, str(answer["id"]), join_url=join, web_link=answer.get("htmlLink")
        )

    # -- errors ------------------------------------------------------------

    def _malformed(self) -> MalformedResponse:
        return MalformedResponse(
            f"Google Calendar answered something unreadable for '{self._name}'."
        )

    def _classify(self, problem: Exception) -> CalendarError:
        name = self._name
        if isinstance(problem, RefreshError):
            return ReconnectRequired(
                f"Google no longer accepts the sign-in of '{name}': reconnect this calendar."
            )
        if isinstance(problem, HttpError):
            return self._classify_status(problem)
        if isinstance(problem, ValueError):
            return self._malformed()
        if isinstance(problem, TimeoutError):
            return CalendarUnavailable(f"Google Calendar did not answer in time for '{name}'.")
        return CalendarUnavailable(f"Google Calendar could not be reached for '{name}'.")

    def _classify_status(self, problem: HttpError) -> CalendarError:
        name, status = self._name, int(problem.resp.status)
        reasons = _reasons(problem.content)
        if status == 401:
            return ReconnectRequired(
                f"Google no longer accepts the sign-in of '{name}': reconnect this calendar."
            )
        if status == 429 or (status == 403 and reasons & _RATE_REASONS):
            retry_after = parse_retry_after(problem.resp.get("retry-after"))
            return RateLimited(f"Google Calendar asked '{name}' to slow down.", retry_after)
        if status >= 500:
            return CalendarUnavailable(f"Google Calendar failed for '{name}'; try again later.")
        if status in _GONE:
            return CalendarRejected(f"Google Calendar could not find that for '{name}'.", status)
        return CalendarRejected(f"Google Calendar refused the request of '{name}'.", status)


def _calendar_list_page(service: Any, page: Mapping[str, str]) -> Any:
    return service.calendarList().list(maxResults=250, **page)


def _reasons(content: bytes) -> set[str]:
    try:
        errors = json.loads(content)["error"]["errors"]
        return {str(e.get("reason")) for e in errors}
    except (ValueError, KeyError, TypeError):
        return set()


_FREE_BUSY_REASONS = {
    "notFound": "Google Calendar has no such calendar, or it is not shared with this account",
    "internalError": "Google Calendar failed to read it",
    "tooManyCalendarsRequested": "Google Calendar was asked for too many calendars at once",
    "groupTooBig": "the group has too many members for Google Calendar to read",
}


def _unreadable(errors: Any) -> str:
    """The sentence for a freeBusy calendar's ``errors`` (notFound for an unshared one)."""
    reasons = [str(e.get("reason", "")) for e in errors if isinstance(e, dict)]
    for reason in reasons:
        if reason in _FREE_BUSY_REASONS:
            return _FREE_BUSY_REASONS[reason]
    named = ", ".join(r for r in reasons if r)
    return (
        f"Google Calendar could not read it ({named})"
        if named
        else ("Google Calendar could not read it")
    )
