"""Microsoft 365 calendars through Microsoft Graph, over httpx.

``getSchedule`` takes at most 20 mailboxes and 62 days per request, so a
refresh is split and every piece asked concurrently. Busy, tentative, out of
office block time; free does not, nor working elsewhere unless the account's
setting says so. Events carry a
``transactionId`` made from the iCalendar UID, so a retried create is not
duplicated; a Teams meeting comes from ``isOnlineMeeting``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from ...core.intervals import Interval
from ...core.invitation import Visibility
from ...core.timezones import zone
from ..tls import http_tls_context
from .base import AccountCalendar, AttendeeRole, EventRef, EventRequest, OnlineMeeting
from .busy import gather_free_busy
from .errors import (
    CalendarRejected,
    CalendarUnavailable,
    MalformedResponse,
    RateLimited,
    ReconnectRequired,
)
from .retry import RetryPolicy, parse_retry_after, with_retries
from .zone_names import iana_zone, windows_zone

log = logging.getLogger(__name__)

GRAPH_URL = "https://graph.microsoft.com/v1.0"
SCHEDULE_MAX_MAILBOXES = 20
SCHEDULE_MAX_RANGE = timedelta(days=62)
BLOCKING_STATUSES = frozenset({"busy", "tentative", "oof"})
"""Statuses that block time; ``workingElsewhere`` too when the account says so (Outlook
shows it as available)."""
_TYPES = {
    AttendeeRole.REQUIRED: "required",
    AttendeeRole.OPTIONAL: "optional",
    AttendeeRole.RESOURCE: "resource",
}

AccessToken = Callable[[bool], Awaitable[str]]
"""Returns a Graph access token; ``True`` asks for a fresh one instead of a cached one."""


def _graph_time(value: datetime) -> dict[str, str]:
    return {"dateTime": value.astimezone(UTC).replace(tzinfo=None).isoformat(), "timeZone": "UTC"}


def _wall_time(value: datetime, time_zone: str) -> dict[str, str]:
    """A dateTimeTimeZone in the event's zone under its Windows name (Graph refuses
    most IANA names), or in UTC when CLDR knows no Windows name for it."""
    name = windows_zone(time_zone)
    if name is None:
        return _graph_time(value)
    local = value.astimezone(zone(time_zone)).replace(tzinfo=None)
    return {"dateTime": local.isoformat(), "timeZone": name}


def _read_time(value: dict[str, str]) -> datetime:
    text = value["dateTime"]
    main, _, fraction = text.partition(".")
    naive = datetime.fromisoformat(main)
    if fraction:
        naive = naive.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    name = iana_zone(value.get("timeZone", "UTC"))
    return naive.replace(tzinfo=UTC if name in ("UTC", "Etc/UTC") else ZoneInfo(name))


class MicrosoftGraphProvider:
    kind = "microsoft"

    def __init__(
        self,
        *,
        account_name: str,
        access_token: AccessToken,
        mailbox: str = "",
        graph_url: str = GRAPH_URL,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        client: httpx.AsyncClient | None = None,
        max_concurrency: int = 10,
        working_elsewhere_busy: bool = False,
    ) -> None:
        self._name = account_name
        self._blocking = BLOCKING_STATUSES | (
            {"workingelsewhere"} if working_elsewhere_busy else set()
        )
        self._token = access_token
        self._mailbox = mailbox.lower()
        self._base = graph_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._client = client or httpx.AsyncClient(timeout=timeout, verify=http_tls_context())
        self._limit = asyncio.Semaphore(max_concurrency)

    # -- the Protocol ------------------------------------------------------

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        return await gather_free_busy(
            calendar_ids,
            start,
            end,
            max_calendars=SCHEDULE_MAX_MAILBOXES,
            max_range=SCHEDULE_MAX_RANGE,
            fetch=self._schedule_piece,
            service="Microsoft 365",
        )

    async def create_event(self, calendar_id: str, event: EventRequest) -> EventRef:
        body = self._event_body(event)
        body["transactionId"] = hashlib.sha256(event.uid.encode()).hexdigest()[:40]
        created = await self._send("POST", self._events(calendar_id), body)
        return self._ref(event.uid, calendar_id, created)

    async def update_event(self, calendar_id: str, ref: EventRef, event: EventRequest) -> EventRef:
        path = f"{self._events(calendar_id)}/{quote(ref.provider_id, safe='')}"
        updated = await self._send("PATCH", path, self._event_body(event))
        return self._ref(event.uid, calendar_id, updated)

    async def cancel_event(self, calendar_id: str, ref: EventRef) -> None:
        path = f"{self._events(calendar_id)}/{quote(ref.provider_id, safe='')}"
        try:
            await self._send("POST", f"{path}/cancel", {"comment": "This meeting was cancelled."})
        except CalendarRejected as problem:
            if problem.status == 404:
                return
            if problem.status != 400:
                raise
            await self._send("DELETE", path)

    async def aclose(self) -> None:
        await self._client.aclose()
        close = getattr(self._token, "close", None)
        if callable(close):
            close()

    async def signed_in_mailbox(self) -> str:
        """The signed-in user's address; one cheap request that proves the token works."""
        me = await self._send("GET", "/me")
        address = me.get("mail") or me.get("userPrincipalName") if isinstance(me, dict) else None
        if not address:
            raise self._malformed()
        return str(address)

    async def calendars(self) -> list[AccountCalendar]:
        """The signed-in user's calendars (``GET /me/calendars``), every page."""
        found: list[AccountCalendar] = []
        path = "/me/calendars?$select=id,name,canEdit,isDefaultCalendar"
        while path:
            answer = await self._send("GET", path)
            items = answer.get("value") if isinstance(answer, dict) else None
            if not isinstance(items, list):
                raise self._malformed()
            try:
                found += [
                    AccountCalendar(
                        str(i["id"]),
                        str(i.get("name") or i["id"]),
                        bool(i.get("canEdit")),
                        bool(i.get("isDefaultCalendar")),
                    )
                    for i in items
                ]
            except (KeyError, TypeError, AttributeError):
                raise self._malformed() from None
            following = str(answer.get("@odata.nextLink") or "")
            path = following.removeprefix(self._base) if following else ""
        return found

    # -- requests ----------------------------------------------------------

    def _events(self, calendar_id: str) -> str:
        """The events collection of *calendar_id*: a mailbox's default calendar (an
        address, or empty/me/primary for the user's own), or one of the user's own
        calendars by its Graph id (which never holds an '@')."""
        if "@" in calendar_id or calendar_id.lower() in ("", "me", "primary"):
            return f"{self._owner(calendar_id)}/events"
        return f"/me/calendars/{quote(calendar_id, safe='')}/events"

    def _owner(self, calendar_id: str) -> str:
        if calendar_id.lower() in ("", "me", "primary", self._mailbox):
            return "/me"
        return f"/users/{quote(calendar_id, safe='@')}"

    async def _schedule_piece(
        self, group: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[tuple[datetime, datetime]] | str | None]:
        body = {
            "schedules": list(group),
            "startTime": _graph_time(start),
            "endTime": _graph_time(end),
            "availabilityViewInterval": 60,
        }
        answer = await self._send("POST", "/me/calendar/getSchedule", body)
        try:
            return {entry["scheduleId"]: self._items(entry) for entry in answer["value"]}
        except (KeyError, TypeError, ValueError, ZoneInfoNotFoundError):
            raise self._malformed() from None

    def _items(self, entry: dict[str, Any]) -> list[tuple[datetime, datetime]] | str:
        error = entry.get("error")
        if error:
            message = error.get("message") if isinstance(error, dict) else None
            return f"Microsoft 365 could not read it ({message or error})"
        blocking = self._blocking
        return [
            (_read_time(item["start"]), _read_time(item["end"]))
            for item in entry.get("scheduleItems", [])
            if str(item.get("status", "")).lower() in blocking
        ]

    async def _send(self, method: str, path: str, body: Any = None) -> Any:
        async def attempt() -> Any:
            async with self._limit:
                response = await self._request(method, path, body, fresh_token=False)
                if response.status_code == 401:
                    response = await self._request(method, path, body, fresh_token=True)
                return self._read(response)

        return await with_retries(attempt, self._retry)

    async def _request(
        self, method: str, path: str, body: Any, *, fresh_token: bool
    ) -> httpx.Response:
        token = await self._token(fresh_token)
        headers = {"Authorization": f"Bearer {token}", "Prefer": 'outlook.timezone="UTC"'}
        try:
            return await self._client.request(method, self._base + path, json=body, headers=headers)
        except httpx.TimeoutException:
            raise CalendarUnavailable(
                f"Microsoft 365 did not answer in time for '{self._name}'."
            ) from None
        except httpx.TransportError:
            raise CalendarUnavailable(
                f"Microsoft 365 could not be reached for '{self._name}'."
            ) from None

    def _read(self, response: httpx.Response) -> Any:
        status, name = response.status_code, self._name
        if status == 401:
            raise ReconnectRequired(
                f"Microsoft 365 no longer accepts the sign-in of '{name}': reconnect this calendar."
            )
        if status == 429 or (status == 503 and "retry-after" in response.headers):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise RateLimited(f"Microsoft 365 asked '{name}' to slow down.", retry_after)
        if status >= 500:
            raise CalendarUnavailable(f"Microsoft 365 failed for '{name}'; try again later.")
        if status >= 400:
            raise CalendarRejected(f"Microsoft 365 refused the request of '{name}'.", status)
        if status in (202, 204) or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise self._malformed() from None

    # -- bodies and references ---------------------------------------------

    @staticmethod
    def _event_body(event: EventRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "subject": event.title,
            "body": {"contentType": "text", "content": event.description},
            "start": _wall_time(event.start, event.time_zone),
            "end": _wall_time(event.end, event.time_zone),
            "location": {"displayName": event.location},
            "attendees": [
                {
                    "emailAddress": {"address": a.email, "name": a.name or a.email},
                    "type": _TYPES[a.role],
                }
                for a in event.attendees
            ],
            "sensitivity": "private" if event.visibility is Visibility.PRIVATE else "normal",
            "responseRequested": event.send_updates,
            "isOnlineMeeting": event.online_meeting is OnlineMeeting.PROVIDER,
        }
        if event.online_meeting is OnlineMeeting.PROVIDER:
            body["onlineMeetingProvider"] = "teamsForBusiness"
        return body

    def _ref(self, uid: str, calendar_id: str, answer: Any) -> EventRef:
        if not isinstance(answer, dict) or "id" not in answer:
            raise self._malformed()
        meeting = answer.get("onlineMeeting") or {}
        return EventRef(
            uid,
            calendar_id,
            str(answer["id"]),
            join_url=meeting.get("joinUrl"),
            web_link=answer.get("webLink"),
        )

    def _malformed(self) -> MalformedResponse:
        return MalformedResponse(f"Microsoft 365 answered something unreadable for '{self._name}'.")
