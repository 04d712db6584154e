"""Connected calendars: connecting, mapping people and rooms, refreshing free/busy.

Busy time of connected calendars is kept in the store's free/busy cache, so
the wizard counts slots at once, and offline from the last refresh. A refresh
works account by account: one that fails (a revoked token, a timeout) is marked
with its sentence while the others go on. A member or room whose calendar
could not be read (not found, not shared) is unknown, never free: it has no
slots until a refresh reads it.
"""

from __future__ import annotations

import asyncio
import logging
import webbrowser
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..core.errors import ValidationError
from ..core.invitation import InvitationStatus
from ..core.timezones import zone
from ..services.calendars.base import AccountCalendar, CalendarProvider
from ..services.calendars.busy import FreeBusy, unreadable_reason
from ..services.calendars.errors import CalendarError, ReconnectRequired
from ..services.credentials import CredentialStore
from ..store.accounts import CalendarAccount, CalendarAccounts
from ..store.activity import Invitations
from ..store.calendar_data import BusyCache, LocalEvents
from ..store.directory import Directory
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock
from .default_calendar import DefaultCalendar
from .provisioning import DEFAULT_AUTHORITY_URL, Provisioning, ProvisioningStore, authority_for

if TYPE_CHECKING:
    from ..services.calendars.connected import ConnectedCalendar
    from ..services.mail import MailTransport

log = logging.getLogger(__name__)

REFRESH_PAST = timedelta(days=1)
REFRESH_AHEAD = timedelta(days=120)
"""A refresh reads at least this far ahead, and as far as an open invitation needs."""
MAX_AHEAD = timedelta(days=367)
DEFAULT_REFRESH_INTERVAL = timedelta(minutes=5)
MIN_REFRESH_INTERVAL = timedelta(seconds=1)
REFRESH_SETTING = "calendar_refresh"
_OPEN = (InvitationStatus.PENDING, InvitationStatus.DRAFT)
_BY_EMAIL = ("google", "microsoft", "exchange")
_LISTED = ("google", "microsoft")
"""Kinds whose organizer's meetings go to a calendar chosen from the account's list."""
"""Kinds whose free/busy answers for any address of the organization."""


@dataclass(frozen=True, slots=True)
class RefreshReport:
    refreshed: list[str]
    """Accounts that answered."""
    failed: dict[str, str]
    """Accounts that did not, and the sentence why."""
    unreadable: dict[str, str] = field(default_factory=dict)
    """Members and rooms whose calendar could not be read, and the sentence why."""

    @property
    def problems(self) -> list[str]:
        failed = [f"{name}: {problem}" for name, problem in self.failed.items()]
        return failed + list(self.unreadable.values())


RefreshListener = Callable[[RefreshReport], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class CollectionChoice:
    """A calendar of a CalDAV account, to choose which one is read and written."""

    url: str
    name: str
    holds_events: bool
    current: bool


class CalendarService:
    def __init__(
        self,
        workspace: Workspace,
        clock: Clock,
        credentials: CredentialStore,
        profile_zone: Callable[[], str],
        build: Callable[[CalendarAccount], CalendarProvider] | None = None,
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._credentials = credentials
        self._profile_zone = profile_zone
        self._build = build or self._build_from_keyring
        self._providers: dict[int, CalendarProvider] = {}
        self._retired: list[CalendarProvider] = []
        self.refreshed_listeners: list[RefreshListener] = []
        """Called after every refresh (republishing the open invitations listens)."""
        self.provisioning: ProvisioningStore | None = None
        """The organization's provisioned OAuth clients and servers, the defaults of connecting."""
        self.connected_hooks: list[Callable[[], None]] = []
        """Called after an account is connected (not reconnected)."""

    def use_provisioning(
        self, provisioning: ProvisioningStore, on_connected: Callable[[], None]
    ) -> None:
        """Connect with the organization's provisioned clients; *on_connected* after each new
        account (the provisioned mail mode may then send through it)."""
        self.provisioning = provisioning
        self.connected_hooks.append(on_connected)

    # Accounts

    def accounts(self) -> list[CalendarAccount]:
        with self._workspace.session() as session:
            return CalendarAccounts(session).list()

    def account(self, account_id: int) -> CalendarAccount:
        with self._workspace.session() as session:
            return CalendarAccounts(session).get(account_id)

    async def connect_caldav(
        self,
        url: str,
        username: str,
        password: str,
        email: str = "",
        *,
        reconnect: int | None = None,
    ) -> CalendarAccount:
        from ..services.calendars.connect import connect_caldav

        _require(url=url, username=username, password=password)
        return await self._connect(
            "caldav",
            lambda account_id: connect_caldav(
                url,
                username,
                password,
                self._credentials,
                account_id,
                email=email,
                time_zone=self._profile_zone(),
            ),
            reconnect,
        )

    async def connect_google(
        self,
        client_secrets_file: str = "",
        open_browser: Callable[[str], object] = webbrowser.open,
        api_endpoint: str | None = None,
        *,
        reconnect: int | None = None,
    ) -> CalendarAccount:
        """Sign in to Google with the client ID file, or the organization's provisioned client."""
        from ..services.calendars.connect import connect_google

        client: str | dict[str, object] | None = client_secrets_file.strip() or None
        if client is None and self.provisioning is not None:
            client = self.provisioning.get().google_client_config()
        if client is None:
            raise ValidationError(
                "Choose the Google client ID file (client_secret_….json) your admin gave you, "
                "or set up InviteOnce with your organization's provisioning file."
            )
        return await self._connect(
            "google",
            lambda account_id: connect_google(
                client,
                self._credentials,
                account_id,
                open_browser=open_browser,
                api_endpoint=api_endpoint,
            ),
            reconnect,
        )

    async def connect_microsoft(
        self,
        client_id: str = "",
        open_browser: Callable[[str], object] | None = webbrowser.open,
        show_device_code: Callable[[str], object] | None = None,
        *,
        tenant: str = "",
        graph_url: str = "",
        reconnect: int | None = None,
    ) -> CalendarAccount:
        """Sign in to Microsoft 365; *tenant* (a domain, tenant id or authority URL) for
        single-tenant applications. Both default to the provisioned ones."""
        from ..services.calendars.connect import connect_microsoft
        from ..services.calendars.microsoft import GRAPH_URL

        provisioned = self._provisioned()
        client_id = client_id.strip() or provisioned.microsoft_client_id
        _require(client_id=client_id)
        authority = (
            authority_for(tenant)
            if tenant.strip()
            else provisioned.microsoft_authority or DEFAULT_AUTHORITY_URL
        )
        return await self._connect(
            "microsoft",
            lambda account_id: connect_microsoft(
                client_id,
                self._credentials,
                account_id,
                open_browser=open_browser,
                show_device_code=show_device_code,
                authority=authority,
                graph_url=graph_url or GRAPH_URL,
            ),
            reconnect,
        )

    async def connect_exchange(
        self,
        email: str,
        username: str = "",
        password: str = "",
        server: str = "",
        auth: str = "",
        *,
        client_id: str = "",
        tenant: str = "",
        open_browser: Callable[[str], object] | None = webbrowser.open,
        show_device_code: Callable[[str], object] | None = None,
        reconnect: int | None = None,
    ) -> CalendarAccount:
        """A password (NTLM, basic) or a Microsoft sign-in (OAuth); server and method default
        to the provisioned ones."""
        from ..services.calendars.connect import connect_exchange, connect_exchange_oauth
        from ..services.calendars.exchange_discovery import ExchangeWantsOAuth

        provisioned = self._provisioned()
        server = server.strip() or provisioned.exchange_server
        auth = auth or provisioned.exchange_auth or "ntlm"
        client_id = (
            client_id.strip() or provisioned.exchange_client_id or provisioned.microsoft_client_id
        )
        authority = authority_for(tenant) if tenant.strip() else provisioned.exchange_authority
        if auth == "oauth":
            _require(email=email, server_URL=server, client_id=client_id)
            return await self._connect(
                "exchange",
                lambda account_id: connect_exchange_oauth(
                    self._credentials,
                    account_id,
                    email=email,
                    server_url=server,
                    client_id=client_id,
                    authority=authority or DEFAULT_AUTHORITY_URL,
                    open_browser=open_browser,
                    show_device_code=show_device_code,
                ),
                reconnect,
            )
        username = username or email
        _require(email=email, username=username, password=password)

        async def password_or_microsoft(account_id: int) -> ConnectedCalendar:
            try:
                return await connect_exchange(
                    self._credentials,
                    account_id,
                    email=email,
                    username=username,
                    password=password,
                    server_url=server or None,
                    auth=auth,
                    autodiscover_url=provisioned.exchange_autodiscover,
                )
            except ExchangeWantsOAuth as wants:
                if not client_id:
                    raise
                # autodiscover's answer: sign in with Microsoft, the password stays here
                return await connect_exchange_oauth(
                    self._credentials,
                    account_id,
                    email=email,
                    server_url="",
                    client_id=client_id,
                    authority=authority or wants.authority or DEFAULT_AUTHORITY_URL,
                    open_browser=open_browser,
                    show_device_code=show_device_code,
                    autodiscover_url=wants.autodiscover_url,
                )

        return await self._connect("exchange", password_or_microsoft, reconnect)

    def _provisioned(self) -> Provisioning:
        return self.provisioning.get() if self.provisioning is not None else Provisioning()

    async def reconnect(
        self,
        account_id: int,
        *,
        password: str = "",
        client_secrets_file: str = "",
        open_browser: Callable[[str], object] | None = webbrowser.open,
        show_device_code: Callable[[str], object] | None = None,
    ) -> CalendarAccount:
        """Sign in again for *account_id* with its stored settings; its mapping is kept.

        A password account needs the (new) *password*; OAuth accounts need only the sign-in.
        """
        account = self.account(account_id)
        s = account.settings
        again = {"reconnect": account_id}
        if account.kind == "caldav":
            return await self.connect_caldav(s.url, s.username, password, s.email, **again)
        if account.kind == "google":
            return await self.connect_google(
                client_secrets_file or s.client_id_file,
                open_browser or webbrowser.open,
                s.api_endpoint or None,
                **again,
            )
        if account.kind == "microsoft":
            return await self.connect_microsoft(
                s.client_id,
                open_browser,
                show_device_code,
                tenant=s.authority,
                graph_url=s.graph_url,
                **again,
            )
        return await self.connect_exchange(
            s.email,
            s.username,
            password,
            s.server_url,
            s.auth or "ntlm",
            client_id=s.client_id,
            tenant=s.authority,
            open_browser=open_browser,
            show_device_code=show_device_code,
            **again,
        )

    async def _connect(
        self,
        kind: str,
        flow: Callable[[int], Awaitable[ConnectedCalendar]],
        reconnect: int | None = None,
    ) -> CalendarAccount:
        from ..services.calendars.factory import secret_names

        if reconnect is not None:
            kept = self.account(reconnect).settings.event_calendar
            connected = await flow(reconnect)
            settings = replace(connected.settings, event_calendar=kept)
            with self._workspace.session() as session:
                account = CalendarAccounts(session).reconnected(reconnect, settings)
            self._providers.pop(reconnect, None)
            return account
        with self._workspace.session() as session:
            accounts = CalendarAccounts(session)
            connected_before = len(accounts.list())
            account_id = accounts.reserve(kind)
        try:
            connected = await flow(account_id)
            with self._workspace.session() as session:
                account = CalendarAccounts(session).complete(
                    account_id, connected.display_name, connected.settings
                )
                self._map_new_account(Directory(session), account)
        except BaseException:
            with self._workspace.session() as session:
                CalendarAccounts(session).remove(account_id)
            self._credentials.forget_account(account_id, secret_names(kind))
            raise
        DefaultCalendar(self._workspace).account_connected(connected_before)
        for hook in self.connected_hooks:
            hook()
        return account

    @staticmethod
    def _map_new_account(directory: Directory, account: CalendarAccount) -> None:
        """People and rooms without a calendar get this one, where it can answer for them."""
        own = account.settings.email.lower()
        for member in directory.members():
            if member.calendar_account_id is not None:
                continue
            if account.kind in _BY_EMAIL or member.email.lower() == own:
                calendar = member.email if account.kind in _BY_EMAIL else account.settings.calendar
                directory.update_member_calendar(member.id or 0, account.id, calendar)
        if account.kind in _BY_EMAIL:
            for room in directory.rooms():
                if room.calendar_account_id is None and room.email:
                    directory.update_room_calendar(room.id or 0, account.id, room.email)

    def map_resource(self, ref: str, account_id: int | None, calendar_id: str | None) -> str:
        """Give a team member or room the calendar *calendar_id* of *account_id* (None: local)."""
        with self._workspace.session() as session:
            directory = Directory(session)
            if account_id is not None:
                account = CalendarAccounts(session).get(account_id)
                if account.kind not in _BY_EMAIL:
                    calendar_id = calendar_id or account.settings.calendar or None
            try:
                member = directory.member(ref)
            except LookupError:
                room = directory.room(ref)
                calendar_id = calendar_id or room.email
                directory.update_room_calendar(room.id or 0, account_id, calendar_id)
                return room.name
            calendar_id = calendar_id or member.email
            directory.update_member_calendar(member.id or 0, account_id, calendar_id)
            return member.name

    async def calendar_choices(self, account_id: int) -> list[CollectionChoice]:
        """The calendars of a CalDAV, Google or Microsoft 365 account; the one meetings are
        written to is marked current."""
        account = self.account(account_id)
        if account.kind in _LISTED:
            return await self._listed_choices(account)
        from ..services.calendars.caldav_provider import CalDavProvider

        provider = self.provider(account_id)
        if not isinstance(provider, CalDavProvider):
            raise ValidationError(
                f"{account.name} writes meetings to the mailbox's own Calendar folder; "
                "there is nothing to choose."
            )
        try:
            found = await provider.calendars()
        except CalendarError as error:
            self._mark(account_id, None, error)
            raise
        current = account.settings.calendar
        return [
            CollectionChoice(c.url, c.name, c.holds_events, _same_url(c.url, current))
            for c in found
        ]

    async def _listed_choices(self, account: CalendarAccount) -> list[CollectionChoice]:
        """A Google or Microsoft 365 account's calendars (calendarList, /me/calendars)."""
        provider = self.provider(account.id)
        listing: Callable[[], Awaitable[list[AccountCalendar]]] | None = getattr(
            provider, "calendars", None
        )
        if listing is None:
            raise ValidationError(f"{account.name} cannot list its calendars.")
        try:
            found = await listing()
        except CalendarError as error:
            self._mark(account.id, None, error)
            raise
        chosen = account.settings.event_calendar
        return [
            CollectionChoice(c.id, c.name, c.holds_events, c.id == chosen if chosen else c.primary)
            for c in found
        ]

    @staticmethod
    def _pick(choices: Sequence[CollectionChoice], ref: str) -> CollectionChoice:
        wanted = ref.strip()
        picked = next((c for c in choices if _same_url(c.url, wanted)), None) or next(
            (c for c in choices if c.name.casefold() == wanted.casefold()), None
        )
        if picked is None:
            names = ", ".join(f"'{c.name}'" for c in choices)
            raise ValidationError(f"The account has no calendar '{ref}'; it has {names}.")
        if not picked.holds_events:
            raise ValidationError(f"The calendar '{picked.name}' cannot hold events.")
        return picked

    async def choose_calendar(self, account_id: int, ref: str) -> CollectionChoice:
        """Write meetings to the calendar *ref* (its URL, id or name) of the account. On
        CalDAV it is also read, and the members and rooms that used the account's previous
        calendar move with it; Google and Microsoft 365 read busy time per person as before."""
        picked = self._pick(await self.calendar_choices(account_id), ref)
        with self._workspace.session() as session:
            accounts = CalendarAccounts(session)
            account = accounts.get(account_id)
            if account.kind in _LISTED:
                accounts.change_settings(
                    account_id,
                    replace(account.settings, event_calendar=picked.url),
                )
                return CollectionChoice(picked.url, picked.name, True, True)
            previous = account.settings.calendar
            accounts.change_settings(account_id, replace(account.settings, calendar=picked.url))
            directory = Directory(session)
            for member in directory.members():
                if member.calendar_account_id == account_id and (
                    _same_url(member.calendar_id or "", previous)
                ):
                    directory.update_member_calendar(member.id or 0, account_id, picked.url)
            for room in directory.rooms():
                if room.calendar_account_id == account_id and (
                    _same_url(room.calendar_id or "", previous)
                ):
                    directory.update_room_calendar(room.id or 0, account_id, picked.url)
        return CollectionChoice(picked.url, picked.name, True, True)

    def set_working_elsewhere(self, account_id: int, blocks: bool) -> CalendarAccount:
        """Whether Microsoft 365's 'working elsewhere' counts as busy on this account
        (Outlook shows it as available, so by default it does not)."""
        with self._workspace.session() as session:
            accounts = CalendarAccounts(session)
            account = accounts.get(account_id)
            if account.kind != "microsoft":
                raise ValidationError(
                    f"Only a Microsoft 365 account has 'working elsewhere'; {account.name} is "
                    f"a {account.kind} account."
                )
            settings = replace(account.settings, working_elsewhere="busy" if blocks else "free")
            updated = accounts.change_settings(account_id, settings)
        retired = self._providers.pop(account_id, None)
        if retired is not None:
            self._retired.append(retired)
        return updated

    def remove(self, account_id: int) -> CalendarAccount:
        from ..services.calendars.factory import secret_names

        with self._workspace.session() as session:
            directory = Directory(session)
            for member in directory.members():
                if member.calendar_account_id == account_id:
                    directory.update_member_calendar(member.id or 0, None, None)
            for room in directory.rooms():
                if room.calendar_account_id == account_id:
                    directory.update_room_calendar(room.id or 0, None, None)
            account = CalendarAccounts(session).remove(account_id)
        self._credentials.forget_account(account_id, secret_names(account.kind))
        self._providers.pop(account_id, None)
        return account

    # Providers

    def provider(self, account_id: int) -> CalendarProvider:
        if account_id not in self._providers:
            self._providers[account_id] = self._build(self.account(account_id))
        return self._providers[account_id]

    def _build_from_keyring(self, account: CalendarAccount) -> CalendarProvider:
        from ..services.calendars.factory import AccountConfig, build_provider

        config = AccountConfig(account.id, account.kind, account.name, account.settings)
        return build_provider(config, self._credentials, time_zone=self._profile_zone())

    def mail_transport(self, account_id: int) -> MailTransport:
        """Sending as the user of the connected account *account_id* (its own address)."""
        from ..services.calendars.factory import AccountConfig, account_mail_transport
        from ..services.mail import MailRejected

        try:
            account = self.account(account_id)
        except LookupError:
            raise MailRejected(
                "The calendar account chosen for sending mail is gone; choose another in "
                "Settings, Mail sending."
            ) from None
        config = AccountConfig(account.id, account.kind, account.name, account.settings)
        return account_mail_transport(config, self._credentials)

    async def calendar_for(
        self, account_id: int, calendar_id: str | None = None
    ) -> tuple[CalendarProvider, str]:
        """The provider of *account_id* and the calendar meetings are written to:
        *calendar_id* (on Google and Microsoft 365 an address, or a calendar's id or name
        from the account's list), else the account's chosen one, else its own."""
        account = self.account(account_id)
        if calendar_id and "@" not in calendar_id and account.kind in _LISTED:
            return self.provider(account_id), self._pick(
                await self._listed_choices(account), calendar_id
            ).url
        calendar = (
            calendar_id
            or account.settings.event_calendar
            or account.settings.calendar
            or account.settings.email
        )
        if not calendar:
            raise ValidationError(f"The calendar account {account.name} names no calendar.")
        return self.provider(account_id), calendar

    async def test(self, account_id: int) -> str:
        """One cheap free/busy request; the account's status says how it went."""
        now = self._clock.now()
        account = self.account(account_id)
        provider = self.provider(account_id)
        calendar = account.settings.calendar or account.settings.email
        if not calendar:
            raise ValidationError(f"The calendar account {account.name} names no calendar.")
        try:
            await provider.free_busy([calendar], now, now + timedelta(days=1))
        except CalendarError as error:
            self._mark(account_id, None, error)
            raise
        self._mark(account_id, None, None)
        return f"The calendar {self.account(account_id).name} answers."

    async def aclose(self) -> None:
        for provider in [*self._providers.values(), *self._retired]:
            await provider.aclose()
        self._providers.clear()
        self._retired.clear()

    # Free/busy

    def refresh_interval(self) -> timedelta:
        """How often the sync loop reads the calendars, and how old busy time may get."""
        with self._workspace.session() as session:
            stored = Settings(session).get(REFRESH_SETTING) or {}
        seconds = stored.get("seconds", DEFAULT_REFRESH_INTERVAL.total_seconds())
        return timedelta(seconds=max(float(seconds), MIN_REFRESH_INTERVAL.total_seconds()))

    def set_refresh_interval(self, interval: timedelta) -> None:
        if interval < MIN_REFRESH_INTERVAL:
            raise ValidationError("Refresh the calendars at most once a second.")
        with self._workspace.session() as session:
            Settings(session).put(REFRESH_SETTING, {"seconds": interval.total_seconds()})

    def _mapped(self, account_id: int | None = None) -> dict[int, dict[str, str]]:
        """Calendar id by resource key, per account."""
        result: dict[int, dict[str, str]] = {}
        for key, (account, calendar, _) in self._mapped_resources().items():
            if account_id in (None, account):
                result.setdefault(account, {})[key] = calendar
        return result

    def _mapped_resources(self) -> dict[str, tuple[int, str, str]]:
        """Account, calendar id and display name of every member and room with a calendar."""
        with self._workspace.session() as session:
            directory = Directory(session)
            rows = [
                (m.key, m.calendar_account_id, m.calendar_id, m.name) for m in directory.members()
            ]
            rows += [
                (r.key, r.calendar_account_id, r.calendar_id, r.name) for r in directory.rooms()
            ]
        return {
            key: (account, calendar, name)
            for key, account, calendar, name in rows
            if account is not None and calendar
        }

    def _with_zones(self, account_id: int) -> CalendarProvider:
        """The account's provider, told each calendar's owner's zone where it reads floating
        and all-day times by it (CalDAV without a calendar-timezone): a member's own zone,
        else (and for rooms) the organizer's."""
        provider = self.provider(account_id)
        use_zones: Callable[[dict[str, tzinfo]], None] | None = getattr(provider, "use_zones", None)
        if use_zones is not None:  # CalDAV (imported only when an account needs it)
            organizer = zone(self._profile_zone())
            zones: dict[str, tzinfo] = {}
            with self._workspace.session() as session:
                directory = Directory(session)
                for member in directory.members():
                    if member.calendar_account_id == account_id and member.calendar_id:
                        own = zone(member.time_zone) if member.time_zone else organizer
                        zones.setdefault(member.calendar_id, own)
                for room in directory.rooms():
                    if room.calendar_account_id == account_id and room.calendar_id:
                        zones.setdefault(room.calendar_id, organizer)
            use_zones(zones)
        return provider

    def _horizon(self, now: datetime, until: datetime | None) -> datetime:
        """How far ahead a refresh reads: the default, or what an open invitation or
        *until* needs, at most a year."""
        ends = [now + REFRESH_AHEAD]
        if until is not None:
            ends.append(until)
        with self._workspace.session() as session:
            for invitation in Invitations(session).list(_OPEN):
                if invitation.expires_at is not None:
                    ends.append(invitation.expires_at + timedelta(days=1))
        return min(max(ends), now + MAX_AHEAD)

    async def refresh(
        self, account_id: int | None = None, until: datetime | None = None
    ) -> RefreshReport:
        """Fetch free/busy of every mapped member and room, all accounts concurrently.

        A member or room whose calendar could not be read is kept as unknown (it
        has no slots until it can be read) and named in the report.
        """
        now = self._clock.now()
        start, end = now - REFRESH_PAST, self._horizon(now, until)
        mapped = self._mapped(account_id)
        if account_id is not None:
            mapped.setdefault(account_id, {})
        names = {a.id: a.name for a in self.accounts()}
        labels = {key: name for key, (_, _, name) in self._mapped_resources().items()}
        outcomes = await asyncio.gather(
            *(self._refresh_one(aid, keys, start, end) for aid, keys in mapped.items()),
            return_exceptions=True,
        )
        report = RefreshReport([], {})
        for aid, outcome in zip(mapped, outcomes, strict=True):
            name = names.get(aid, str(aid))
            if isinstance(outcome, BaseException):
                if not isinstance(outcome, CalendarError | ValidationError):
                    log.error("Refreshing calendar %s failed", aid, exc_info=outcome)
                report.failed[name] = str(outcome) or "The calendar could not be read."
                continue
            report.refreshed.append(name)
            for key, problem in outcome.items():
                label = labels.get(key, key)
                report.unreadable[label] = (
                    f"{label}'s calendar could not be read: {problem.rstrip('.')}."
                )
        for listener in self.refreshed_listeners:
            await listener(report)
        return report

    async def _refresh_one(
        self, account_id: int, keys: dict[str, str], start: datetime, end: datetime
    ) -> dict[str, str]:
        """Read one account's calendars into the cache; the problem of each unreadable key."""
        provider = self._with_zones(account_id)
        try:
            busy = await provider.free_busy(list(set(keys.values())), start, end)
        except CalendarError as error:
            self._mark(account_id, None, error)
            raise
        problems = {
            key: reason
            for key, calendar in keys.items()
            if (reason := unreadable_reason(busy, calendar)) is not None
        }
        by_key = {key: busy[calendar] for key, calendar in keys.items() if key not in problems}
        fetched = self._clock.now()
        with self._workspace.session() as session:
            cache = BusyCache(session)
            cache.replace(by_key, start, end, fetched)
            cache.mark_unreadable(problems, start, end, fetched)
        self._mark(account_id, fetched, None)
        return problems

    def unreadable(self) -> dict[str, str]:
        """Members and rooms whose calendar could not be read at the last refresh, and why."""
        resources = self._mapped_resources()
        with self._workspace.session() as session:
            states = BusyCache(session).states(list(resources))
        return {
            resources[key][2]: f"{resources[key][2]}'s calendar could not be read: "
            f"{state.problem.rstrip('.')}."
            for key, state in states.items()
            if state.problem
        }

    def _mark(self, account_id: int, at: datetime | None, error: CalendarError | None) -> None:
        if isinstance(error, ReconnectRequired):
            status, text = "reconnect", str(error)
        elif error is not None:
            status, text = "error", str(error)
        else:
            status, text = "connected", None
        with self._workspace.session() as session:
            CalendarAccounts(session).refreshed(account_id, at, status, text)

    async def live_busy(self, keys: Sequence[str], start: datetime, end: datetime) -> FreeBusy:
        """Busy time now: the local calendar, and each connected calendar asked live.

        A calendar that cannot be read now is named in ``unreadable`` with the
        reason; the cache is not used in its place.
        """
        with self._workspace.session() as session:
            result = FreeBusy(LocalEvents(session).busy(list(keys), start, end))
        resources = self._mapped_resources()
        for account_id, mapped in self._mapped().items():
            wanted = {k: c for k, c in mapped.items() if k in result}
            if not wanted:
                continue
            try:
                busy = await self._with_zones(account_id).free_busy(
                    list(set(wanted.values())), start, end
                )
            except CalendarError as error:
                log.info("Live free/busy of account %s: %s", account_id, error)
                for key in wanted:
                    result.unreadable[key] = _sentence(resources[key][2], str(error))
                continue
            for key, calendar in wanted.items():
                reason = unreadable_reason(busy, calendar)
                if reason is None:
                    result[key].extend(busy[calendar])
                else:
                    result.unreadable[key] = _sentence(resources[key][2], reason)
        return result


def _same_url(a: str, b: str | None) -> bool:
    """Whether two collection references (absolute URLs or paths) name one collection."""
    if not b:
        return False
    return _dav_path(a) == _dav_path(b)


def _dav_path(reference: str) -> str:
    path = urlsplit(reference).path if "://" in reference else reference
    return "/" + unquote(path).strip("/").casefold()


def _sentence(name: str, problem: str) -> str:
    return f"{name}'s calendar could not be read: {problem.rstrip('.')}."


def _require(**fields: str) -> None:
    for name, value in fields.items():
        if not value or not value.strip():
            raise ValidationError(f"Enter the {name.replace('_', ' ')}.")
