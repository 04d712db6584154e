"""Exchange calendars through EWS (exchangelib), on premises or where a tenant still allows it.

The provider is built with an explicit server URL, version and auth type, so
making it sends nothing; autodiscover happens once, in the connect flow.
Free/busy is one GetUserAvailability request per group of mailboxes and
window of days, asked in UTC so no GetServerTimeZones round trip is needed.
Busy, Tentative, OOF and WorkingElsewhere block time; Free and NoData do not.
exchangelib blocks, so every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

import requests
from exchangelib import (
    BASIC,
    DELEGATE,
    NTLM,
    OAUTH2,
    UID,
    Account,
    Build,
    CalendarItem,
    Configuration,
    Credentials,
    EWSDateTime,
    EWSTimeZone,
    ExtendedProperty,
    Mailbox,
    OAuth2AuthorizationCodeCredentials,
    Version,
)
from exchangelib import (
    Attendee as EwsAttendee,
)
from exchangelib import errors as ews_errors
from exchangelib.credentials import BaseCredentials
from exchangelib.folders import Calendar, Root
from exchangelib.items import SEND_TO_ALL_AND_SAVE_COPY, SEND_TO_NONE, Item
from exchangelib.properties import (
    DaylightTime,
    DistinguishedFolderId,
    FreeBusyViewOptions,
    MailboxData,
    StandardTime,
    TimeWindow,
    TimeZone,
)
from exchangelib.services import GetUserAvailability
from oauthlib.oauth2 import OAuth2Token

from ...core.intervals import Interval
from ...core.invitation import Visibility
from ...core.timezones import zone
from .base import AttendeeRole, EventRef, EventRequest
from .busy import PieceAnswer, gather_free_busy
from .errors import (
    CalendarError,
    CalendarRejected,
    CalendarUnavailable,
    MalformedResponse,
    RateLimited,
    ReconnectRequired,
)
from .retry import RetryPolicy, with_retries

log = logging.getLogger(__name__)
T = TypeVar("T")

AVAILABILITY_MAX_MAILBOXES = 100
AVAILABILITY_MAX_RANGE = timedelta(days=42)
BLOCKING_BUSY_TYPES = frozenset({"Busy", "Tentative", "OOF", "WorkingElsewhere"})
_UTC_WINDOWS_TZ = TimeZone(
    bias=0,
    standard_time=StandardTime(bias=0, time=dt.time(0), occurrence=1, iso_month=1, weekday=1),
    daylight_time=DaylightTime(bias=0, time=dt.time(0), occurrence=5, iso_month=12, weekday=7),
)


AUTH_TYPES = {"ntlm": NTLM, "basic": BASIC, "oauth": OAUTH2}


def exchange_configuration(
    *, server_url: str, username: str, secret: str, auth: str = "ntlm", build: str = "15.1"
) -> Configuration:
    """An EWS configuration that sends nothing when used: URL, version and auth type are given.

    *auth* is "ntlm" or "basic" with a password, or "oauth" with an access token.
    """
    if auth not in AUTH_TYPES:
        raise CalendarRejected(f"'{auth}' is not an Exchange sign-in method.")
    major, _, minor = build.partition(".")
    version = Version(build=Build(int(major), int(minor or 0)))
    credentials: BaseCredentials
    if auth == "oauth":
        credentials = OAuth2AuthorizationCodeCredentials(
            access_token=OAuth2Token({"access_token": secret, "token_type": "Bearer"})
        )
    else:
        credentials = Credentials(username, secret)
    return Configuration(
        service_endpoint=server_url,
        credentials=credentials,
        auth_type=AUTH_TYPES[auth],
        version=version,
    )


ConfigSource = Callable[[bool], Awaitable[Configuration]]
"""The EWS configuration to use; ``True`` asks for fresh credentials (a new OAuth token)."""


def oauth_config_source(
    access_token: Callable[[bool], Awaitable[str]], *, server_url: str, build: str = "15.20"
) -> ConfigSource:
    """Configurations carrying the current OAuth access token, rebuilt when the token changes."""
    return _OAuthConfigs(access_token, server_url, build)


class _OAuthConfigs:
    def __init__(
        self, access_token: Callable[[bool], Awaitable[str]], server_url: str, build: str
    ) -> None:
        self.access_token = access_token
        self._server_url = server_url
        self._build = build
        self._made: dict[str, Configuration] = {}

    async def __call__(self, fresh: bool) -> Configuration:
        token = await self.access_token(fresh)
        if token not in self._made:
            self._made.clear()
            self._made[token] = exchange_configuration(
                server_url=self._server_url,
                username="",
                secret=token,
                auth="oauth",
                build=self._build,
            )
        return self._made[token]


class ExchangeProvider:
    kind = "exchange"

    def __init__(
        self,
        *,
        account_name: str,
        config: Configuration | ConfigSource,
        email: str,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._name = account_name
        self._email = email
        self._source = config if callable(config) else None
        self._config: Configuration | None = None if callable(config) else config
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._accounts: dict[str, Account] = {}

    # -- the Protocol ------------------------------------------------------

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        async def fetch(group: list[str], a: datetime, b: datetime) -> PieceAnswer:
            return await self._call(partial(self._availability, group, a, b))

        return await gather_free_busy(
            calendar_ids,
            start,
            end,
            max_calendars=AVAILABILITY_MAX_MAILBOXES,
            max_range=AVAILABILITY_MAX_RANGE,
            fetch=fetch,
            service="Exchange",
        )

    async def create_event(self, calendar_id: str, event: EventRequest) -> EventRef:
        return await self._call(partial(self._create, calendar_id, event))

    async def update_event(self, calendar_id: str, ref: EventRef, event: EventRequest) -> EventRef:
        return await self._call(partial(self._update, calendar_id, ref, event))

    async def cancel_event(self, calendar_id: str, ref: EventRef) -> None:
        await self._call(partial(self._cancel, calendar_id, ref))

    async def aclose(self) -> None:
        await asyncio.to_thread(self._close)
        # An OAuth token source may hold an HTTP session to the sign-in service.
        close = getattr(getattr(self._source, "access_token", None), "close", None)
        if callable(close):
            close()

    async def check_connection(self) -> None:
        """One availability request for the account's own mailbox."""
        now = datetime.now(dt.UTC)
        answer = await self.free_busy([self._email], now, now + timedelta(hours=1))
        if self._email not in answer:
            raise CalendarRejected(f"Exchange did not answer for the mailbox of '{self._name}'.")

    # -- blocking parts ----------------------------------------------------

    def _account(self, mailbox: str) -> Account:
        key = mailbox.lower()
        if key not in self._accounts:
            account = Account(
                primary_smtp_address=mailbox,
                config=self._config,
                autodiscover=False,
                access_type=DELEGATE,
                default_timezone=EWSTimeZone("UTC"),
            )
            account.protocol.TIMEOUT = self._timeout
            self._accounts[key] = account
        return self._accounts[key]

    def _availability(
        self, group: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[tuple[datetime, datetime]] | str | None]:
        utc = EWSTimeZone("UTC")
        protocol = self._account(self._email).protocol
        protocol.TIMEOUT = self._timeout
        views = GetUserAvailability(protocol).call(
            tzinfo=utc,
            mailbox_data=[
                MailboxData(email=m, attendee_type="Required", exclude_conflicts=False)
                for m in group
            ],
            timezone=_UTC_WINDOWS_TZ,
            free_busy_view_options=FreeBusyViewOptions(
                time_window=TimeWindow(
                    start=EWSDateTime.from_datetime(start.astimezone(dt.UTC)),
                    end=EWSDateTime.from_datetime(end.astimezone(dt.UTC)),
                ),
                merged_free_busy_interval=30,
                requested_view="FreeBusy",
            ),
        )
        result: dict[str, list[tuple[datetime, datetime]] | str | None] = {}
        for mailbox, view in zip(group, views, strict=True):
            if isinstance(view, Exception):
                _raise_if_account_wide(view)
                result[mailbox] = f"Exchange could not read it ({type(view).__name__})"
                continue
            result[mailbox] = [
                (_aware(e.start), _aware(e.end))
                for e in view.calendar_events or []
                if e.busy_type in BLOCKING_BUSY_TYPES
            ]
        return result

    def _calendar_folder(self, account: Account) -> Calendar:
        mailbox = Mailbox(email_address=account.primary_smtp_address)
        return Calendar(
            _distinguished_id=DistinguishedFolderId(id="calendar", mailbox=mailbox),
            root=Root(account=account),
        )

    def _create(self, calendar_id: str, event: EventRequest) -> EventRef:
        account = self._account(calendar_id or self._email)
        found = self._find(account, event.uid)
        if found is not None:
            return self._ref(event.uid, calendar_id, found)
        item = CalendarItem(account=account, folder=self._calendar_folder(account), uid=event.uid)
        _fill(item, event)
        item.save(send_meeting_invitations=_send(event))
        return self._ref(event.uid, calendar_id, item)

    def _find(self, account: Account, uid: str) -> Item | None:
        """The calendar item whose iCalendar UID is *uid* (FindItem on its GlobalObjectId).

        Exchange does not refuse a second CreateItem with the same UID, so a
        create whose answer was lost would otherwise become a second meeting
        with second invitations.
        """
        _register_global_object_id()
        query = self._calendar_folder(account).filter(global_object_id=bytes(UID(uid)))
        for item in query.only("id", "changekey"):
            if isinstance(item, Item) and item.id and item.changekey:
                return item
        return None

    def _update(self, calendar_id: str, ref: EventRef, event: EventRequest) -> EventRef:
        account = self._account(calendar_id or self._email)
        item = CalendarItem(account=account, id=ref.provider_id, changekey=ref.extra["changekey"])
        fields = _fill(item, event)
        item.save(update_fields=fields, send_meeting_invitations=_send(event))
        return self._ref(event.uid, calendar_id, item)

    def _cancel(self, calendar_id: str, ref: EventRef) -> None:
        account = self._account(calendar_id or self._email)
        item = CalendarItem(account=account, id=ref.provider_id, changekey=ref.extra["changekey"])
        try:
            item.delete(send_meeting_cancellations=SEND_TO_ALL_AND_SAVE_COPY)
        except ews_errors.ErrorItemNotFound:
            return

    def _ref(self, uid: str, calendar_id: str, item: Item) -> EventRef:
        if not item.id or not item.changekey:
            raise MalformedResponse(f"Exchange did not return the new event of '{self._name}'.")
        return EventRef(uid, calendar_id, str(item.id), extra={"changekey": str(item.changekey)})

    def _close(self) -> None:
        for account in self._accounts.values():
            account.protocol.close()
        self._accounts.clear()

    # -- errors ------------------------------------------------------------

    async def _call(self, blocking: Callable[[], T]) -> T:
        async def attempt() -> T:
            await self._use_config(fresh=False)
            try:
                return await asyncio.to_thread(blocking)
            except ews_errors.UnauthorizedError:
                if self._source is None:
                    raise self._classify(ews_errors.UnauthorizedError("")) from None
            except CalendarError:
                raise
            except _FAILURES as problem:
                raise self._classify(problem) from None
            await self._use_config(fresh=True)
            try:
                return await asyncio.to_thread(blocking)
            except _FAILURES as problem:
                raise self._classify(problem) from None

        return await with_retries(attempt, self._retry)

    async def _use_config(self, *, fresh: bool) -> None:
        if self._source is None:
            return
        config = await self._source(fresh)
        if config is not self._config:
            await asyncio.to_thread(self._close)
            self._config = config

    def _classify(self, problem: Exception) -> CalendarError:
        name = self._name
        if isinstance(problem, (ews_errors.UnauthorizedError, ews_errors.ErrorAccessDenied)):
            return ReconnectRequired(
                f"Exchange refused the sign-in of '{name}': reconnect this calendar."
            )
        if isinstance(problem, ews_errors.ErrorServerBusy):
            back_off = problem.back_off if problem.back_off else None
            return RateLimited(f"Exchange asked '{name}' to slow down.", back_off)
        if isinstance(problem, (ews_errors.MalformedResponseError, ValueError)):
            return MalformedResponse(f"Exchange answered something unreadable for '{name}'.")
        if isinstance(
            problem,
            (requests.Timeout, TimeoutError, ews_errors.TransportError, ews_errors.RateLimitError),
        ):
            return CalendarUnavailable(f"Exchange did not answer in time for '{name}'.")
        if isinstance(problem, (requests.RequestException, OSError)):
            return CalendarUnavailable(f"Exchange could not be reached for '{name}'.")
        if isinstance(
            problem,
            (ews_errors.ErrorInternalServerError, ews_errors.ErrorInternalServerTransientError),
        ):
            return CalendarUnavailable(f"Exchange failed for '{name}'; try again later.")
        return CalendarRejected(f"Exchange refused the request of '{name}'.")


_FAILURES = (ews_errors.EWSError, requests.RequestException, OSError, ValueError)


def _raise_if_account_wide(problem: Exception) -> None:
    if isinstance(problem, (ews_errors.UnauthorizedError, ews_errors.ErrorServerBusy)):
        raise problem


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=dt.UTC)
    return datetime.fromtimestamp(value.timestamp(), dt.UTC)


class GlobalObjectId(ExtendedProperty):  # type: ignore[misc]
    """PidLidGlobalObjectId: a meeting's identity, which holds its iCalendar UID."""

    distinguished_property_set_id = "Meeting"
    property_id = 3
    property_type = "Binary"


def _register_global_object_id() -> None:
    if "global_object_id" not in {f.name for f in CalendarItem.FIELDS}:
        CalendarItem.register("global_object_id", GlobalObjectId)


def _send(event: EventRequest) -> str:
    return str(SEND_TO_ALL_AND_SAVE_COPY if event.send_updates else SEND_TO_NONE)


def _fill(item: CalendarItem, event: EventRequest) -> list[str]:
    """Copy *event* onto *item*; returns the names of the fields it set."""
    tz = zone(event.time_zone)
    people = [a for a in event.attendees if a.role is not AttendeeRole.RESOURCE]

    def attendee(email: str, name: str) -> EwsAttendee:
        return EwsAttendee(
            mailbox=Mailbox(email_address=email, name=name or None), response_type="Unknown"
        )

    item.subject = event.title
    item.body = event.description
    item.location = event.location or None
    item.start = EWSDateTime.from_datetime(event.start.astimezone(tz))
    item.end = EWSDateTime.from_datetime(event.end.astimezone(tz))
    item.required_attendees = [
        attendee(a.email, a.name) for a in people if a.role is AttendeeRole.REQUIRED
    ] or None
    item.optional_attendees = [
        attendee(a.email, a.name) for a in people if a.role is AttendeeRole.OPTIONAL
    ] or None
    item.resources = [
        attendee(a.email, a.name) for a in event.attendees if a.role is AttendeeRole.RESOURCE
    ] or None
    item.sensitivity = "Private" if event.visibility is Visibility.PRIVATE else "Normal"
    return [
        "subject",
        "body",
        "location",
        "start",
        "end",
        "required_attendees",
        "optional_attendees",
        "resources",
        "sensitivity",
    ]
