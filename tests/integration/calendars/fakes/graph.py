"""A fake Microsoft 365: the Entra ID sign-in endpoints and the Graph calls InviteOnce makes.

``login_app`` is an OIDC authority (openid-configuration, authorize with PKCE,
token with code / refresh / device-code grants, devicecode); msal requires
https, so serve it with a loopback certificate. ``graph_app`` answers
``getSchedule``, the event calls and ``sendMail`` in MIME format with Graph's
JSON shapes and errors.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import hashlib
import html
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from tzlocal.windows_tz import win_tz

from .common import Fault, FaultQueue, TokenBook, raw_segments

MAX_SCHEDULES = 20
MAX_SCHEDULE_RANGE = timedelta(days=62)
TENANT = "contoso-tenant-id"


def graph_error(status: int, code: str, message: str) -> JSONResponse:
    inner = {"date": "2025-01-01T00:00:00", "request-id": secrets.token_hex(8)}
    return JSONResponse({"error": {"code": code, "message": message, "innerError": inner}}, status)


def throttle_fault(retry_after: str | None = "1") -> Fault:
    body = {"error": {"code": "TooManyRequests", "message": "Please retry again later."}}
    return Fault(429, body, {"Retry-After": retry_after} if retry_after else {})


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _graph_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000")


def _read_time(value: dict[str, str]) -> datetime:
    naive = datetime.fromisoformat(value["dateTime"][:19])
    zone = value.get("timeZone", "UTC")
    if zone == "UTC":
        return naive.replace(tzinfo=UTC)
    return naive.replace(tzinfo=ZoneInfo(win_tz.get(zone, zone)))


GRAPH_IANA_NAMES = frozenset({"UTC", "Etc/GMT"})
"""The IANA names this fake takes besides the Windows names. The real service takes
a few more, but not Europe/Zurich, Europe/Madrid, Europe/Vienna, Europe/Amsterdam,
America/Toronto or Asia/Hong_Kong: a client must send Windows names."""


def unsupported_zone(*values: Any) -> JSONResponse | None:
    """Graph's 400 for a dateTimeTimeZone whose zone it does not take."""
    for value in values:
        if not isinstance(value, dict):
            continue
        name = value.get("timeZone", "UTC")
        if name not in win_tz and name not in GRAPH_IANA_NAMES:
            return graph_error(
                400,
                "TimeZoneNotSupportedException",
                f"A valid TimeZone value must be specified. The following TimeZone value is "
                f"not supported: '{name}'.",
            )
    return None


@dataclass
class ScheduleItem:
    start: datetime
    end: datetime
    status: str = "busy"
    subject: str = ""


@dataclass
class FakeMicrosoft:
    client_id: str = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346"
    account_email: str = "organizer@contoso.com"
    login_base: str = ""
    schedules: dict[str, list[ScheduleItem]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: TokenBook = field(default_factory=TokenBook)
    faults: FaultQueue = field(default_factory=FaultQueue)
    schedule_bodies: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    nonces: dict[str, str] = field(default_factory=dict)
    device_codes: dict[str, bool] = field(default_factory=dict)
    sent: list[EmailMessage] = field(default_factory=list)
    sent_at: list[datetime] = field(default_factory=list)
    sent_items_lag: timedelta = timedelta(0)
    """How long after sendMail's 202 the message shows in Sent Items (Exchange Online
    files it asynchronously)."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    calendars: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The user's calendars by id, besides the default one."""
    default_calendar_id: str = "AAMkADefaultCalendar0000"
    single_tenant: bool = False
    """An app registered for its own tenant only: /organizations refuses it (AADSTS50194)."""

    def add_calendar(self, calendar_id: str, name: str, can_edit: bool = True) -> None:
        """A calendar of the signed-in user besides the default one (/me/calendars)."""
        self.calendars[calendar_id] = {
            "id": calendar_id,
            "name": name,
            "color": "auto",
            "isDefaultCalendar": False,
            "canShare": can_edit,
            "canViewPrivateItems": True,
            "canEdit": can_edit,
            "owner": {"name": "Organizer", "address": self.account_email},
        }

    def calendar_of(self, event_id: str) -> str:
        """The id of the calendar an event was written to."""
        return str(self.events[event_id]["_calendar"])

    def add_item(self, mailbox: str, item: ScheduleItem) -> None:
        self.schedules.setdefault(mailbox, []).append(item)

    def approve_device(self, user_code: str) -> None:
        """The user entered *user_code* on the device-login page and signed in."""
        for device_code in list(self.device_codes):
            if device_code.endswith(user_code):
                self.device_codes[device_code] = True

    # -- the authority -----------------------------------------------------

    def login_app(self) -> Starlette:
        prefix = f"/{TENANT}"
        return Starlette(
            routes=[
                Route(f"{prefix}/v2.0/.well-known/openid-configuration", self._openid),
                Route(f"{prefix}/oauth2/v2.0/authorize", self._authorize),
                Route(f"{prefix}/oauth2/v2.0/token", self._token, methods=["POST"]),
                Route(f"{prefix}/oauth2/v2.0/devicecode", self._devicecode, methods=["POST"]),
                Route("/organizations/v2.0/.well-known/openid-configuration", self._openid_any),
                Route("/organizations/oauth2/v2.0/authorize", self._authorize_any),
                Route("/organizations/oauth2/v2.0/token", self._token_any, methods=["POST"]),
                Route(
                    "/organizations/oauth2/v2.0/devicecode", self._devicecode_any, methods=["POST"]
                ),
            ]
        )

    # -- the multi-tenant authority (/organizations) -------------------------

    def _single_tenant_error(self) -> JSONResponse:
        return JSONResponse(
            {
                "error": "invalid_request",
                "error_codes": [50194],
                "error_description": f"AADSTS50194: Application '{self.client_id}' is not "
                "configured as a multi-tenant application. Usage of the /common endpoint is "
                "not supported for such applications created after '10/15/2018'. Use a "
                "tenant-specific endpoint or configure the application to be multi-tenant.",
            },
            400,
        )

    async def _openid_any(self, request: Request) -> Response:
        base = f"{self.login_base}/organizations"
        return JSONResponse(
            {
                "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "response_types_supported": ["code", "id_token", "code id_token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
            }
        )

    async def _authorize_any(self, request: Request) -> Response:
        if self.single_tenant:
            return HTMLResponse("<html><body>AADSTS50194: not multi-tenant.</body></html>", 400)
        return await self._authorize(request)

    async def _token_any(self, request: Request) -> Response:
        return self._single_tenant_error() if self.single_tenant else await self._token(request)

    async def _devicecode_any(self, request: Request) -> Response:
        if self.single_tenant:
            return self._single_tenant_error()
        return await self._devicecode(request)

    def authority(self) -> str:
        return f"{self.login_base}/{TENANT}"

    async def _openid(self, request: Request) -> Response:
        base = f"{self.login_base}/{TENANT}"
        return JSONResponse(
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "response_types_supported": ["code", "id_token", "code id_token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
            }
        )

    async def _authorize(self, request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != self.client_id or q.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, 400)
        code = self.tokens.issue_code(q["code_challenge"], q["redirect_uri"])
        self.nonces[code] = q.get("nonce", "")
        answer = {"code": code, "state": q.get("state", ""), "session_state": secrets.token_hex(8)}
        if q.get("response_mode") == "form_post":
            inputs = "".join(
                f'<input type="hidden" name="{k}" value="{html.escape(v)}"/>'
                for k, v in answer.items()
            )
            page = (
                f'<html><body onload="document.forms[0].submit()"><form method="POST" '
                f'action="{html.escape(q["redirect_uri"])}">{inputs}</form></body></html>'
            )
            return HTMLResponse(page)
        return RedirectResponse(f"{q['redirect_uri']}?{urlencode(answer)}", 302)

    async def _devicecode(self, request: Request) -> Response:
        form = await request.form()
        if form.get("client_id") != self.client_id:
            return JSONResponse({"error": "invalid_client"}, 400)
        user_code = secrets.token_hex(4).upper()
        device_code = f"device-{secrets.token_urlsafe(16)}-{user_code}"
        self.device_codes[device_code] = False
        uri = "https://microsoft.com/devicelogin"
        return JSONResponse(
            {
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": uri,
                "expires_in": 900,
                "interval": 1,
                "message": f"To sign in, use a web browser to open the page {uri} and enter the "
                f"code {user_code} to authenticate.",
            }
        )

    async def _token(self, request: Request) -> Response:
        form = await request.form()
        if form.get("client_id") != self.client_id:
            return JSONResponse({"error": "invalid_client"}, 400)
        grant, nonce = form.get("grant_type"), ""
        if grant == "authorization_code":
            code = str(form.get("code"))
            nonce = self.nonces.pop(code, "")
            if not self.tokens.redeem_code(
                code, str(form.get("code_verifier")), str(form.get("redirect_uri"))
            ):
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "AADSTS70008: bad code."}, 400
                )
        elif grant == "refresh_token":
            if form.get("refresh_token") not in self.tokens.refresh:
                return JSONResponse(
                    {
                        "error": "invalid_grant",
                        "error_codes": [50173],
                        "error_description": "AADSTS50173: The provided grant "
                        "has expired due to it being revoked.",
                    },
                    400,
                )
        elif grant == "urn:ietf:params:oauth:grant-type:device_code":
            approved = self.device_codes.get(str(form.get("device_code")))
            if approved is None:
                return JSONResponse({"error": "expired_token"}, 400)
            if not approved:
                return JSONResponse(
                    {
                        "error": "authorization_pending",
                        "error_description": "AADSTS70016: pending.",
                    },
                    400,
                )
        else:
            return JSONResponse({"error": "unsupported_grant_type"}, 400)
        return JSONResponse(self._token_body(nonce))

    def _token_body(self, nonce: str) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": f"{self.authority()}/v2.0",
            "aud": self.client_id,
            "sub": "sub-1",
            "oid": "oid-1",
            "tid": TENANT,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "preferred_username": self.account_email,
            "name": "Organizer",
        }
        if nonce:
            claims["nonce"] = nonce
        id_token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
        return {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "scope": "Calendars.ReadWrite User.Read openid profile offline_access",
            "access_token": self.tokens.new_access(),
            "refresh_token": self.tokens.new_refresh(),
            "id_token": id_token,
            "client_info": _b64({"uid": "oid-1", "utid": TENANT}),
        }

    # -- Graph -------------------------------------------------------------

    def graph_app(self) -> Starlette:
        methods = ["GET", "POST", "PATCH", "DELETE"]
        return Starlette(routes=[Route("/v1.0/{rest:path}", self._graph, methods=methods)])

    async def _graph(self, request: Request) -> Response:
        segments = raw_segments(request, "/v1.0/") or []
        self.requests.append((request.method, "/".join(segments)))
        fault = await self.faults.next_response()
        if fault is not None:
            return fault
        if not self.tokens.bearer_ok(request):
            return graph_error(
                401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."
            )
        if segments == ["me"]:
            return JSONResponse(
                {
                    "id": "oid-1",
                    "displayName": "Organizer",
                    "mail": self.account_email,
                    "userPrincipalName": self.account_email,
                }
            )
        if segments == ["me", "calendar", "getSchedule"] and request.method == "POST":
            return await self._get_schedule(request)
        if segments == ["me", "sendMail"] and request.method == "POST":
            return await self._send_mail(request)
        if segments == ["me", "mailFolders", "sentitems", "messages"] and request.method == "GET":
            return self._sent_items(request)
        if segments == ["me", "calendars"] and request.method == "GET":
            return self._calendar_list()
        owner, rest = self._owner(segments)
        if rest[:1] == ["calendars"] and owner == self.account_email and len(rest) >= 3:
            if rest[1] not in self._all_calendars() or rest[2] != "events":
                return graph_error(
                    404, "ErrorItemNotFound", "The specified object was not found in the store."
                )
            return await self._event_call(request, owner, rest[2:], rest[1])
        if owner is None:
            return graph_error(404, "ResourceNotFound", "Resource not found.")
        return await self._event_call(request, owner, rest)

    def _all_calendars(self) -> dict[str, dict[str, Any]]:
        default = {
            "id": self.default_calendar_id,
            "name": "Calendar",
            "color": "auto",
            "isDefaultCalendar": True,
            "canShare": True,
            "canViewPrivateItems": True,
            "canEdit": True,
            "owner": {"name": "Organizer", "address": self.account_email},
        }
        return {self.default_calendar_id: default, **self.calendars}

    def _calendar_list(self) -> Response:
        return JSONResponse(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/calendars",
                "value": list(self._all_calendars().values()),
            }
        )

    def _owner(self, segments: list[str]) -> tuple[str | None, list[str]]:
        if segments[:1] == ["me"]:
            return self.account_email, segments[1:]
        if segments[:1] == ["users"] and len(segments) > 1:
            return segments[1], segments[2:]
        return None, []

    async def _get_schedule(self, request: Request) -> Response:
        body = await request.json()
        self.schedule_bodies.append(body)
        refused = unsupported_zone(body["startTime"], body["endTime"])
        if refused is not None:
            return refused
        start, end = _read_time(body["startTime"]), _read_time(body["endTime"])
        if len(body["schedules"]) > MAX_SCHEDULES:
            return graph_error(400, "ErrorInvalidParameter", "Too many schedules requested.")
        if end - start > MAX_SCHEDULE_RANGE:
            return graph_error(
                400,
                "ErrorTimeIntervalTooBig",
                "The requested time duration specified for "
                "FreeBusyViewOptions.TimeWindow is too long. The allowed limit "
                f"= 62 days; the actual limit = {(end - start).days} days.",
            )
        prefer = request.headers.get("prefer", "")
        zone = "UTC" if 'outlook.timezone="UTC"' in prefer or not prefer else prefer
        value = [self._schedule(mailbox, start, end, zone) for mailbox in body["schedules"]]
        context = "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)"
        return JSONResponse({"@odata.context": context, "value": value})

    def _sent_items(self, request: Request) -> Response:
        """Sent Items filtered by ``internetMessageId eq '…'`` (OData quotes doubled)."""
        condition = request.query_params.get("$filter", "")
        match = re.fullmatch(r"internetMessageId eq '((?:[^']|'')*)'", condition)
        if match is None:
            return graph_error(400, "ErrorInvalidUrlQueryFilter", "The filter is not supported.")
        wanted = match.group(1).replace("''", "'")
        filed = self.clock() - self.sent_items_lag
        value = [
            {"id": f"AAMk{n}", "internetMessageId": str(m["Message-ID"])}
            for n, (m, at) in enumerate(zip(self.sent, self.sent_at, strict=True))
            if str(m["Message-ID"]) == wanted and at <= filed
        ]
        return JSONResponse({"value": value})

    async def _send_mail(self, request: Request) -> Response:
        if not request.headers.get("content-type", "").startswith("text/plain"):
            return graph_error(400, "ErrorInvalidRequest", "Expected a JSON message.")
        try:
            raw = base64.b64decode(await request.body(), validate=True)
        except (binascii.Error, ValueError):
            return graph_error(
                400,
                "ErrorMimeContentInvalidBase64String",
                "Invalid base64 string for MIME content.",
            )
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.sent.append(message)
        self.sent_at.append(self.clock())
        return Response(status_code=202)

    def _schedule(self, mailbox: str, start: datetime, end: datetime, zone: str) -> dict[str, Any]:
        known = mailbox in self.schedules or mailbox == self.account_email
        if not known and not any(e["_owner"] == mailbox for e in self.events.values()):
            return {
                "scheduleId": mailbox,
                "availabilityView": "",
                "error": {
                    "message": "The mailbox was not found.",
                    "responseCode": "ErrorMailboxNotFound",
                },
            }
        items = [i for i in self._items(mailbox) if i.start < end and start < i.end]
        return {
            "scheduleId": mailbox,
            "availabilityView": "0" * 4,
            "scheduleItems": [
                {
                    "isPrivate": False,
                    "status": i.status,
                    "subject": i.subject,
                    "location": "",
                    "isMeeting": True,
                    "isRecurring": False,
                    "isException": False,
                    "isReminderSet": False,
                    "start": {"dateTime": _graph_time(i.start), "timeZone": zone},
                    "end": {"dateTime": _graph_time(i.end), "timeZone": zone},
                }
                for i in items
            ],
            "workingHours": {
                "daysOfWeek": ["monday"],
                "startTime": "08:00:00.0000000",
                "endTime": "17:00:00.0000000",
                "timeZone": {"name": "Pacific Standard Time"},
            },
        }

    def _items(self, mailbox: str) -> list[ScheduleItem]:
        items = list(self.schedules.get(mailbox, []))
        for event in self.events.values():
            if event["_owner"] == mailbox and not event.get("isCancelled"):
                items.append(
                    ScheduleItem(
                        _read_time(event["start"]),
                        _read_time(event["end"]),
                        event.get("showAs", "busy"),
                    )
                )
        return items

    # -- events ------------------------------------------------------------

    async def _event_call(
        self, request: Request, owner: str, rest: list[str], calendar: str | None = None
    ) -> Response:
        body = await request.json() if request.method in ("POST", "PATCH") else {}
        refused = unsupported_zone(body.get("start"), body.get("end")) if body else None
        if refused is not None:
            return refused
        if request.method == "POST" and (
            rest == ["events"] or (len(rest) == 3 and rest[0] == "calendars")
        ):
            return JSONResponse(self._create(owner, body, calendar), 201)
        if (
            len(rest) < 2
            or rest[0] != "events"
            or rest[1] not in self.events
            or calendar not in (None, self.events[rest[1]]["_calendar"])
        ):
            return graph_error(
                404, "ErrorItemNotFound", "The specified object was not found in the store."
            )
        event = self.events[rest[1]]
        if request.method == "PATCH" and len(rest) == 2:
            event.update(body)
            return JSONResponse(self._public(event))
        if request.method == "POST" and rest[2:] == ["cancel"]:
            event["isCancelled"] = True
            event["_cancelComment"] = body.get("comment", "")
            return Response(status_code=202)
        if request.method == "DELETE" and len(rest) == 2:
            del self.events[rest[1]]
            return Response(status_code=204)
        return graph_error(405, "ErrorInvalidRequest", "Method not allowed.")

    def _create(self, owner: str, body: dict[str, Any], calendar: str | None) -> dict[str, Any]:
        for existing in self.events.values():
            if body.get("transactionId") and existing.get("transactionId") == body["transactionId"]:
                return self._public(existing)
        event_id = "AAMkAG" + secrets.token_urlsafe(24)
        event = {
            **body,
            "id": event_id,
            "_owner": owner,
            "_calendar": calendar or self.default_calendar_id,
            "webLink": f"https://outlook.office365.com/owa/?itemid={event_id}&exvsurl=1",
            "iCalUId": "040000008200E00074C5B7101A82E008" + secrets.token_hex(16),
        }
        if body.get("isOnlineMeeting"):
            digest = hashlib.sha1(event_id.encode()).hexdigest()
            event["onlineMeeting"] = {
                "joinUrl": f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{digest}"
            }
        self.events[event_id] = event
        return self._public(event)

    @staticmethod
    def _public(event: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in event.items() if not k.startswith("_")}
