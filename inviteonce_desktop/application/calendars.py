"""Connected calendars: connecting, mapping people and rooms, refreshing free/busy.

Busy time of connected calendars is kept in the store's free/busy cache, so
the wizard counts slots at once, and offline from the last refresh. A refresh
works account by account: one that fails (a revoked token, a timeout) is marked
with its sentence while the others go on.
"""

from __future__ import annotations

import asyncio
import logging
import webbrowser
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..core.errors import ValidationError
from ..core.intervals import Interval
from ..services.calendars.base import CalendarProvider
from ..services.calendars.errors import CalendarError, ReconnectRequired
from ..services.credentials import CredentialStore
from ..store.accounts import CalendarAccount, CalendarAccounts
from ..store.calendar_data import BusyCache, LocalEvents
from ..store.directory import Directory
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
_BY_EMAIL = ("google", "microsoft", "exchange")
"""Kinds whose free/busy answers for any address of the organization."""


@dataclass(frozen=True, slots=True)
class RefreshReport:
    refreshed: list[str]
    failed: dict[str, str]


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

        provisioned = self._provisioned()
        server = server.strip() or provisioned.exchange_server
        auth = auth or provisioned.exchange_auth or "ntlm"
        if auth == "oauth":
            client_id = (
                client_id.strip()
                or provisioned.exchange_client_id
                or provisioned.microsoft_client_id
            )
            authority = authority_for(tenant) if tenant.strip() else provisioned.exchange_authority
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
        return await self._connect(
            "exchange",
            lambda account_id: connect_exchange(
                self._credentials,
                account_id,
                email=email,
                username=username,
                password=password,
                server_url=server or None,
                auth=auth,
            ),
            reconnect,
        )

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
            connected = await flow(reconnect)
            with self._workspace.session() as session:
                account = CalendarAccounts(session).reconnected(reconnect, connected.settings)
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
        """The provider of *account_id* and *calendar_id* (default: the account's own calendar)."""
        account = self.account(account_id)
        calendar = calendar_id or account.settings.calendar or account.settings.email
        if not calendar:
            raise ValidationError(f"The calendar account {account.name} names no calendar.")
        return self.provider(account_id), calendar

    async def test(self, account_id: int) -> str:
        """One cheap free/busy request; the account's status says how it went."""
        now = self._clock.now()
        provider, calendar = await self.calendar_for(account_id)
        try:
            await provider.free_busy([calendar], now, now + timedelta(days=1))
        except CalendarError as error:
            self._mark(account_id, None, error)
            raise
        self._mark(account_id, None, None)
        return f"The calendar {self.account(account_id).name} answers."

    async def aclose(self) -> None:
        for provider in self._providers.values():
            await provider.aclose()
        self._providers.clear()

    # Free/busy

    def _mapped(self, account_id: int | None = None) -> dict[int, dict[str, str]]:
        """Calendar id by resource key, per account."""
        result: dict[int, dict[str, str]] = {}
        with self._workspace.session() as session:
            directory = Directory(session)
            pairs = [(m.key, m.calendar_account_id, m.calendar_id) for m in directory.members()]
            pairs += [(r.key, r.calendar_account_id, r.calendar_id) for r in directory.rooms()]
        for key, account, calendar in pairs:
            if account is not None and calendar and account_id in (None, account):
                result.setdefault(account, {})[key] = calendar
        return result

    async def refresh(self, account_id: int | None = None) -> RefreshReport:
        """Fetch free/busy of every mapped member and room, all accounts concurrently."""
        now = self._clock.now()
        start, end = now - REFRESH_PAST, now + REFRESH_AHEAD
        mapped = self._mapped(account_id)
        if account_id is not None:
            mapped.setdefault(account_id, {})
        names = {a.id: a.name for a in self.accounts()}
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
            else:
                report.refreshed.append(name)
        return report

    async def _refresh_one(
        self, account_id: int, keys: dict[str, str], start: datetime, end: datetime
    ) -> None:
        try:
            busy = await self.provider(account_id).free_busy(list(set(keys.values())), start, end)
        except CalendarError as error:
            self._mark(account_id, None, error)
            raise
        by_key = {key: busy.get(calendar, []) for key, calendar in keys.items()}
        fetched = self._clock.now()
        with self._workspace.session() as session:
            BusyCache(session).replace(by_key, start, end, fetched)
        self._mark(account_id, fetched, None)

    def _mark(self, account_id: int, at: datetime | None, error: CalendarError | None) -> None:
        if isinstance(error, ReconnectRequired):
            status, text = "reconnect", str(error)
        elif error is not None:
            status, text = "error", str(error)
        else:
            status, text = "connected", None
        with self._workspace.session() as session:
            CalendarAccounts(session).refreshed(account_id, at, status, text)

    async def live_busy(
        self, keys: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[Interval]]:
        """Busy time now: the local calendar, and each connected calendar asked live
        (its cached free/busy when it cannot be reached)."""
        with self._workspace.session() as session:
            result = LocalEvents(session).busy(list(keys), start, end)
            cached = BusyCache(session).busy(list(keys), start, end)
        for account_id, mapped in self._mapped().items():
            wanted = {k: c for k, c in mapped.items() if k in result}
            if not wanted:
                continue
            try:
                busy = await self.provider(account_id).free_busy(
                    list(set(wanted.values())), start, end
                )
            except CalendarError as error:
                log.info("Live free/busy of account %s: %s", account_id, error)
                for key in wanted:
                    result[key].extend(cached.get(key, []))
                continue
            for key, calendar in wanted.items():
                result[key].extend(busy.get(calendar, []))
        return result


def _require(**fields: str) -> None:
    for name, value in fields.items():
        if not value or not value.strip():
            raise ValidationError(f"Enter the {name.replace('_', ' ')}.")
