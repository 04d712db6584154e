"""A fake Google: the OAuth endpoints, the Calendar API v3 calls InviteOnce makes, and Gmail send.

JSON shapes follow the real API (freeBusy, events insert/patch/delete,
calendars get, Google's error envelope). Calendar ids are read from the raw,
percent-encoded path. Faults can be queued for the next API requests.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .common import Fault, FaultQueue, TokenBook, basic_client_id, raw_segments

MAX_FREEBUSY_CALENDARS = 50
MAX_FREEBUSY_RANGE = timedelta(days=90)


def google_error(status: int, reason: str, message: str) -> JSONResponse:
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"domain": "global", "reason": reason, "message": message}],
        }
    }
    return JSONResponse(body, status)


def rate_limit_fault(retry_after: str | None = "1") -> Fault:
    body = {
        "error": {
            "code": 429,
            "message": "Rate Limit Exceeded",
            "errors": [
                {"domain": "usageLimits", "reason": "rateLimitExceeded", "message": "Rate Limit"}
            ],
        }
    }
    return Fault(429, body, {"Retry-After": retry_after} if retry_after else {})


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeGoogle:
    client_id: str = "inviteonce-test.apps.googleusercontent.com"
    client_secret: str = "test-client-secret"
    account_email: str = "organizer@example.com"
    time_zone: str = "Europe/Berlin"
    events: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    tokens: TokenBook = field(default_factory=TokenBook)
    faults: FaultQueue = field(default_factory=FaultQueue)
    requests: list[tuple[str, str]] = field(default_factory=list)
    freebusy_bodies: list[dict[str, Any]] = field(default_factory=list)
    sent: list[EmailMessage] = field(default_factory=list)
    insert_bodies: list[dict[str, Any]] = field(default_factory=list)
    invitations_sent: list[tuple[str, str]] = field(default_factory=list)
    """(method, event id) of every write that told Google to email the attendees."""
    send_scope: bool = True
    """Whether the tokens carry the gmail.send scope (an old connection's do not)."""
    calendar_list: dict[str, dict[str, Any]] = field(default_factory=dict)
    """calendarList entries by calendar id (the primary one is listed without seeding)."""
    written: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, calendar id, event id) of every event write."""

    # -- seeding -----------------------------------------------------------

    def add_calendar(self, calendar_id: str, summary: str = "", access_role: str = "owner") -> None:
        """A calendar; with *summary* it is on the account's calendar list too."""
        self.events.setdefault(calendar_id, {})
        if summary:
            self.calendar_list[calendar_id] = {
                "kind": "calendar#calendarListEntry",
                "etag": f'"{secrets.token_hex(4)}"',
                "id": calendar_id,
                "summary": summary,
                "timeZone": self.time_zone,
                "accessRole": access_role,
            }

    def add_event(self, calendar_id: str, resource: dict[str, Any]) -> None:
        resource.setdefault("id", secrets.token_hex(8))
        resource.setdefault("status", "confirmed")
        self.events.setdefault(calendar_id, {})[resource["id"]] = resource

    def client_config(self, base_url: str) -> dict[str, Any]:
        return {
            "installed": {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_uri": f"{base_url}/o/oauth2/auth",
                "token_uri": f"{base_url}/token",
                "redirect_uris": ["http://localhost"],
            }
        }

    # -- the app -----------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/o/oauth2/auth", self._authorize, methods=["GET"]),
                Route("/token", self._token, methods=["POST"]),
                Route(
                    "/calendar/v3/{rest:path}",
                    self._api,
                    methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
                ),
                Route("/gmail/v1/users/{user}/messages/send", self._gmail_send, methods=["POST"]),
                Route("/gmail/v1/users/{user}/messages", self._gmail_list, methods=["GET"]),
            ]
        )

    async def _authorize(self, request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != self.client_id or q.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, 400)
        code = self.tokens.issue_code(q["code_challenge"], q["redirect_uri"])
        query = urlencode({"code": code, "state": q.get("state", ""), "scope": q.get("scope", "")})
        return RedirectResponse(f"{q['redirect_uri']}?{query}", 302)

    async def _token(self, request: Request) -> Response:
        form = await request.form()
        if basic_client_id(request, form) != self.client_id:
            return JSONResponse({"error": "invalid_client"}, 401)
        grant = form.get("grant_type")
        body: dict[str, Any] = {
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/calendar"
            + (" https://www.googleapis.com/auth/gmail.send" if self.send_scope else ""),
        }
        if grant == "authorization_code":
            ok = self.tokens.redeem_code(
                str(form.get("code")), str(form.get("code_verifier")), str(form.get("redirect_uri"))
            )
            if not ok:
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "Bad Request"}, 400
                )
            body["refresh_token"] = self.tokens.new_refresh()
        elif grant == "refresh_token":
            if form.get("refresh_token") not in self.tokens.refresh:
                return JSONResponse(
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                    400,
                )
        else:
            return JSONResponse({"error": "unsupported_grant_type"}, 400)
        body["access_token"] = self.tokens.new_access()
        return JSONResponse(body)

    async def _api(self, request: Request) -> Response:
        segments = raw_segments(request, "/calendar/v3/") or []
        self.requests.append((request.method, "/".join(segments)))
        fault = await self.faults.next_response()
        if fault is not None:
            return fault
        if not self.tokens.bearer_ok(request):
            return google_error(401, "authError", "Invalid Credentials")
        if request.method == "POST" and segments == ["freeBusy"]:
            return await self._free_busy(request)
        if segments == ["users", "me", "calendarList"] and request.method == "GET":
            return self._calendar_list(request)
        if len(segments) == 2 and segments[0] == "calendars" and request.method == "GET":
            return self._calendar(segments[1])
        if len(segments) >= 3 and segments[0] == "calendars" and segments[2] == "events":
            return await self._event_call(request, segments[1], segments[3:])
        return google_error(404, "notFound", "Not Found")

    def _calendar(self, calendar_id: str) -> Response:
        if calendar_id == "primary":
            calendar_id = self.account_email
        if calendar_id not in self.events:
            return google_error(404, "notFound", "Not Found")
        return JSONResponse(
            {
                "kind": "calendar#calendar",
                "id": calendar_id,
                "summary": calendar_id,
                "timeZone": self.time_zone,
            }
        )

    def _calendar_list(self, request: Request) -> Response:
        """calendarList.list: the primary calendar first, pages of ``maxResults``."""
        primary = {
            "kind": "calendar#calendarListEntry",
            "id": self.account_email,
            "summary": self.account_email,
            "timeZone": self.time_zone,
            "accessRole": "owner",
            "primary": True,
        }
        entries = [primary, *(e for i, e in self.calendar_list.items() if i != self.account_email)]
        try:
            size = int(request.query_params.get("maxResults", "100"))
            start = int(request.query_params.get("pageToken", "0"))
        except ValueError:
            return google_error(400, "invalid", "Invalid value.")
        if not 1 <= size <= 250:
            return google_error(400, "invalid", "Invalid maxResults value.")
        body: dict[str, Any] = {
            "kind": "calendar#calendarList",
            "etag": '"p33k9lxs"',
            "items": entries[start : start + size],
        }
        if start + size < len(entries):
            body["nextPageToken"] = str(start + size)
        return JSONResponse(body)

    # -- freeBusy ----------------------------------------------------------

    async def _free_busy(self, request: Request) -> Response:
        body = await request.json()
        self.freebusy_bodies.append(body)
        start, end = _parse_time(body["timeMin"]), _parse_time(body["timeMax"])
        items = body.get("items", [])
        if end <= start:
            return google_error(400, "timeRangeEmpty", "The specified time range is empty.")
        if end - start > MAX_FREEBUSY_RANGE:
            return google_error(400, "timeRangeTooLong", "The requested time range is too long.")
        if len(items) > MAX_FREEBUSY_CALENDARS:
            return google_error(400, "tooManyCalendarsRequested", "Too many calendars requested.")
        calendars: dict[str, Any] = {}
        for item in items:
            cid = item["id"]
            if cid not in self.events:
                calendars[cid] = {
                    "errors": [{"domain": "global", "reason": "notFound"}],
                    "busy": [],
                }
                continue
            busy = sorted(self._busy(cid, start, end))
            calendars[cid] = {"busy": [{"start": _rfc3339(a), "end": _rfc3339(b)} for a, b in busy]}
        return JSONResponse(
            {
                "kind": "calendar#freeBusy",
                "timeMin": _rfc3339(start),
                "timeMax": _rfc3339(end),
                "calendars": calendars,
            }
        )

    def _busy(
        self, calendar_id: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        spans = []
        for event in self.events[calendar_id].values():
            if event.get("status") == "cancelled" or event.get("transparency") == "transparent":
                continue
            me = [a for a in event.get("attendees", []) if a.get("email") == calendar_id]
            if me and me[0].get("responseStatus") == "declined":
                continue
            a, b = self._when(event["start"]), self._when(event["end"])
            if a < end and start < b:
                spans.append((max(a, start), min(b, end)))
        return spans

    def _when(self, value: dict[str, str]) -> datetime:
        if "date" in value:
            day = date.fromisoformat(value["date"])
            return datetime.combine(day, time(0), ZoneInfo(self.time_zone))
        return _parse_time(value["dateTime"])

    # -- events ------------------------------------------------------------

    async def _event_call(self, request: Request, calendar_id: str, rest: list[str]) -> Response:
        calendar = self.events.get(calendar_id)
        if calendar is None:
            return google_error(404, "notFound", "Not Found")
        if request.method == "GET" and not rest:
            return self._list(request, calendar)
        if request.method == "POST" and not rest:
            resource = await request.json()
            self.insert_bodies.append(dict(resource))
            event_id = resource.get("id") or secrets.token_hex(8)
            uid = resource.get("iCalUID")
            taken = uid is not None and any(e.get("iCalUID") == uid for e in calendar.values())
            if event_id in calendar or taken:
                return google_error(409, "duplicate", "The requested identifier already exists.")
            resource["id"] = event_id
            resource.setdefault("iCalUID", f"{event_id}@google.com")
            self.written.append(("POST", calendar_id, event_id))
            return JSONResponse(self._store(request, calendar, resource))
        if len(rest) != 1 or rest[0] not in calendar:
            return google_error(404, "notFound", "Not Found")
        event = calendar[rest[0]]
        if request.method in ("PATCH", "DELETE"):
            self.written.append((request.method, calendar_id, rest[0]))
        if request.method == "PATCH":
            event.update(await request.json())
            return JSONResponse(self._store(request, calendar, event))
        if request.method == "DELETE":
            if event.get("status") == "cancelled":
                return google_error(410, "deleted", "Resource has been deleted")
            event["status"] = "cancelled"
            event["sendUpdates"] = request.query_params.get("sendUpdates", "false")
            return Response(status_code=204)
        return google_error(405, "methodNotAllowed", "Method Not Allowed")

    def _list(self, request: Request, calendar: dict[str, dict[str, Any]]) -> Response:
        """events.list; only the iCalUID and showDeleted parameters are understood."""
        uid = request.query_params.get("iCalUID")
        deleted = request.query_params.get("showDeleted") == "true"
        items = [
            e
            for e in calendar.values()
            if (uid is None or e.get("iCalUID") == uid)
            and (deleted or e.get("status") != "cancelled")
        ]
        return JSONResponse({"kind": "calendar#events", "items": json.loads(json.dumps(items))})

    def _store(self, request: Request, calendar: dict[str, Any], event: dict[str, Any]) -> Any:
        if request.query_params.get("sendUpdates") == "all":
            self.invitations_sent.append((request.method, event["id"]))
        event.setdefault("status", "confirmed")
        event["kind"] = "calendar#event"
        event["htmlLink"] = f"https://www.google.com/calendar/event?eid={event['id']}"
        event["sendUpdates"] = request.query_params.get("sendUpdates", "false")
        create = (event.get("conferenceData") or {}).get("createRequest")
        if create and request.query_params.get("conferenceDataVersion") == "1":
            code = hashlib.sha1(event["id"].encode()).hexdigest()
            uri = f"https://meet.google.com/{code[:3]}-{code[3:7]}-{code[7:10]}"
            event["hangoutLink"] = uri
            event["conferenceData"] = {
                "createRequest": {**create, "status": {"statusCode": "success"}},
                "entryPoints": [{"entryPointType": "video", "uri": uri, "label": uri[8:]}],
                "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
                "conferenceId": f"{code[:3]}-{code[3:7]}-{code[7:10]}",
            }
        calendar[event["id"]] = event
        return json.loads(json.dumps(event))

    # -- Gmail -------------------------------------------------------------

    async def _gmail_list(self, request: Request) -> Response:
        """``users.messages.list`` with a ``q`` search; only ``rfc822msgid:`` is understood."""
        self.requests.append((request.method, f"gmail/{request.path_params['user']}/list"))
        fault = await self.faults.next_response()
        if fault is not None:
            return fault
        if not self.tokens.bearer_ok(request):
            return google_error(401, "authError", "Invalid Credentials")
        query = request.query_params.get("q", "")
        if not query.startswith("rfc822msgid:"):
            return google_error(400, "invalidArgument", "Only rfc822msgid: searches here.")
        wanted = query.removeprefix("rfc822msgid:").strip("<>")
        found = [m for m in self.sent if str(m["Message-ID"]).strip("<>") == wanted]
        if not found:
            return JSONResponse({"resultSizeEstimate": 0})
        messages = [{"id": secrets.token_hex(8), "threadId": secrets.token_hex(8)} for _ in found]
        return JSONResponse({"messages": messages, "resultSizeEstimate": len(messages)})

    async def _gmail_send(self, request: Request) -> Response:
        self.requests.append((request.method, f"gmail/{request.path_params['user']}/send"))
        fault = await self.faults.next_response()
        if fault is not None:
            return fault
        if not self.tokens.bearer_ok(request):
            return google_error(401, "authError", "Invalid Credentials")
        if not self.send_scope:
            return google_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes."
            )
        if request.path_params["user"] != "me":
            return google_error(403, "forbidden", "Delegation denied.")
        try:
            raw = base64.urlsafe_b64decode((await request.json())["raw"])
        except (KeyError, ValueError):
            return google_error(400, "invalidArgument", "Invalid raw message.")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.sent.append(message)
        return JSONResponse(
            {"id": secrets.token_hex(8), "threadId": secrets.token_hex(8), "labelIds": ["SENT"]}
        )
