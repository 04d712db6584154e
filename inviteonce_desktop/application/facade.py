"""The application facade: everything the UI and the CLI can ask of the workspace."""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from ..core.availability import Slot, count_slots, explain_no_slots, find_slots
from ..core.branding import Branding, check_image
from ..core.errors import NotFound, ValidationError
from ..core.history import HistoryEntry
from ..core.hours import WeeklyHours
from ..core.intervals import Interval
from ..core.invitation import CalendarChoice, Invitation, InvitationStatus, Participant
from ..core.languages import DEFAULT_LANGUAGE
from ..core.meeting import Meeting, MeetingStatus
from ..core.profile import Profile
from ..core.resources import ResourcePool, Room, TeamMember
from ..core.timezones import zone
from ..services.autostart import login_item
from ..services.calendars.local import LocalCalendar
from ..services.credentials import CredentialStore
from ..services.mail import Security as Security
from ..store.accounts import CalendarAccount as CalendarAccount
from ..store.activity import Meetings
from ..store.calendar_data import LocalAttendee, LocalEvent, LocalEvents
from ..store.directory import Directory
from ..store.outbox import Outbox
from ..store.settings import Settings
from ..store.workspace import Workspace
from .autostart import AutostartService, AutostartState
from .bookings import BookingService, EventCalendar
from .busy_import import BusyImport, import_busy_file
from .calendars import CalendarService, CollectionChoice, RefreshReport
from .changes import change_lead_default, set_change_lead_default, with_change_lead
from .clock import Clock, SystemClock
from .default_calendar import CalendarOption, DefaultCalendar
from .delivery import Delivery, delivery_of, make_retry_due
from .editing import InvitationEditor, refuse_unless_open
from .exports import meeting_ics
from .invitations import (
    CreatedInvitation,
    EmailPreview,
    EmailStatus,
    InvitationEntry,
    InvitationService,
    outbox_handlers,
)
from .jobs import CalendarEvent, EditedOffer, JobResult, ReminderEmail, Republish
from .links import InvitationLinks
from .mail_check import mail_problem, send_test_email
from .mail_delivery import MailDelivery, sent_settle, set_sent_settle
from .mail_settings import SECRET_KEYS as MAIL_SECRETS
from .mail_settings import MailService, MailSettings
from .moves import MeetingMoves
from .outbox_worker import OutboxWorker, give_up_after, set_give_up_after
from .provisioning import SECRET_KEYS as PROVISIONING_SECRETS
from .provisioning import Provisioning, ProvisioningStore, Setup
from .publishing import ResourceKeys
from .recheck import PickRecheck
from .relay_host import LAN_LINKS_NOTICE, LOCAL_LINKS_NOTICE, LinkReach, RelayHost, RelaySettings
from .relay_host import SECRET_KEYS as RELAY_SECRETS
from .reminders import ReminderService, default_reminders, set_default_reminders
from .republish import Republisher
from .requests import InvitationRequest
from .schedules import SlotRequest, build_query
from .secrets import Secrets
from .sign_ins import CalDavSignIn, ExchangeSignIn, GoogleSignIn, MicrosoftSignIn, SignIn
from .sync import SyncReport, SyncService
from .sync_lock import SyncLock

DEFAULT_PROFILE_ZONE = "UTC"


@dataclass(frozen=True, slots=True)
class SlotCount:
    count: int
    reason: str
    """Why there are none, when ``count`` is zero; empty otherwise."""
    busy_as_of: datetime | None = None
    """When the connected calendars involved were last read (None: none is involved)."""
    unknown: tuple[str, ...] = ()
    """A sentence for each member or room whose busy time could not be read."""
    stale: bool = False
    """The busy time is older than the refresh interval."""

    def freshness(self, time_zone: str) -> str:
        """'busy time as of 14:05', in *time_zone*; empty when no connected calendar counts."""
        if self.busy_as_of is None:
            return ""
        local = self.busy_as_of.astimezone(zone(time_zone))
        return f"busy time as of {local:%H:%M}" + (" (not refreshed)" if self.stale else "")


class InviteOnce:
    """One workspace, seen the way the wizard sees it.

    The window and the command line ask only this: one operation per user
    action. The services behind it are wired here, once, at construction.
    """

    def __init__(
        self, workspace: Workspace, clock: Clock, credentials: CredentialStore | None = None
    ) -> None:
        self.workspace = workspace
        self.clock = clock
        self.credentials = credentials or CredentialStore()
        self.secrets = Secrets(workspace, self.credentials)
        self.local_calendar = LocalCalendar(workspace, self._calendar_id_for_address)
        self.calendars = CalendarService(workspace, clock, self.credentials, self.profile_zone)
        self.calendar_choice = DefaultCalendar(workspace)
        self.relay = RelayHost(workspace, self.credentials, clock)
        self.mail = MailService(workspace, self.credentials, self.calendars.mail_transport)
        self.setup = Setup(
            ProvisioningStore(workspace, self.credentials),
            self.relay,
            self.mail,
            self.calendars.accounts,
        )
        self.calendars.use_provisioning(self.setup.store, self.setup.account_connected)
        keys = ResourceKeys(workspace)
        self.invitations = InvitationService(
            workspace, clock, self.relay, self.mail, keys, self._refresh_calendars
        )
        self.bookings = BookingService(
            workspace, clock, self.mail, keys, self._live_busy, self._calendar_for
        )
        self.reminders = ReminderService(workspace, clock)
        self.republisher = Republisher(
            workspace, clock, self.relay, keys, self.invitations, self._wake_outbox
        )
        self.worker = OutboxWorker(
            workspace,
            clock,
            outbox_handlers(self.invitations, self.bookings)
            .add(ReminderEmail, self.reminders.handle)
            .add(EditedOffer, self._edited_offer_job)
            .add(Republish, self.republisher.handle_republish),
            MailDelivery(workspace, clock, self.mail),
            background=frozenset({Republish.kind}),
        )
        self.moves = MeetingMoves(self.relay, self.bookings)
        self.worker.before_pass.append(self.reminders.replan)
        self.editor = InvitationEditor(
            workspace, clock, self.relay, keys, self.invitations, self.republisher.forget
        )
        self.calendars.refreshed_listeners.append(self._republish_after_refresh)
        self.autostart = AutostartService(workspace, login_item)
        self.sync = SyncService(
            self.relay,
            self.worker,
            self.bookings,
            refresh_calendars=self._refresh_calendars,
            refresh_interval=lambda: self.calendars.refresh_interval().total_seconds(),
            after_bookings=self.republisher.republish_changed,
            recheck=PickRecheck(workspace, clock, keys, self._live_busy).verdict,
        )

    @classmethod
    def open(cls, home: Path, clock: Clock | None = None) -> InviteOnce:
        return cls(Workspace(home), clock or SystemClock())

    def close(self) -> None:
        self.relay.stop()
        self.workspace.close()

    @property
    def home(self) -> Path:
        """The workspace folder."""
        return self.workspace.home

    def now(self) -> datetime:
        return self.clock.now()

    # Meetings

    def meetings(self, search: str = "") -> list[Meeting]:
        with self.workspace.session() as session:
            return Meetings(session).list(search)

    async def move_options(self, meeting_id: int) -> list[tuple[datetime, datetime]]:
        """The free slots a booked meeting can move to (from the relay)."""
        return await self.moves.options(meeting_id)

    async def move_meeting(self, meeting_id: int, start: datetime) -> Meeting:
        """Moves a booked meeting to another free slot; the calendars and people follow."""
        moved = await self.moves.move(meeting_id, start)
        await self.worker.run_due()
        return moved

    def change_lead_default(self) -> timedelta:
        with self.workspace.session() as session:
            return change_lead_default(session)

    def set_change_lead_default(self, lead: timedelta) -> None:
        with self.workspace.session() as session:
            set_change_lead_default(session, lead)

    def calendar_problems(self) -> dict[int, str]:
        """Meetings whose calendar write waits (or failed), with the reason, by meeting id."""
        with self.workspace.session() as session:
            outbox = Outbox(session)
            found = {}
            for meeting in Meetings(session).list():
                if meeting.id is None or meeting.status == MeetingStatus.CANCELLED:
                    continue
                problem = outbox.problem(meeting_id=meeting.id, kinds=(CalendarEvent.kind,))
                if problem:
                    found[meeting.id] = problem
            return found

    async def _live_busy(
        self, keys: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[Interval]]:
        """Busy time as the calendars have it now."""
        return await self.calendars.live_busy(keys, start, end)

    async def _edited_offer_job(self, job: EditedOffer) -> JobResult:
        return await self.editor.handle_edited_offer(job)

    def _wake_outbox(self) -> None:
        self.worker.wakeup.set()

    async def _republish_after_refresh(self, report: RefreshReport) -> None:
        """Open invitations whose slots changed go to the relay again."""
        await self.republisher.republish_changed()

    async def _refresh_calendars(self) -> None:
        if self.calendars.accounts():
            await self.calendars.refresh()

    async def _calendar_for(self, choice: CalendarChoice | None) -> EventCalendar:
        """The calendar that gets a meeting's event; None is the organizer's default."""
        chosen = self.calendar_choice.get() if choice is None else choice
        if chosen.account_id is None:
            profile = self.profile()
            return EventCalendar(
                chosen, self.local_calendar, profile.email if profile else "organizer"
            )
        provider, calendar_id = await self.calendars.calendar_for(
            chosen.account_id, chosen.calendar_id
        )
        return EventCalendar(chosen, provider, calendar_id)

    # Delivery

    def set_give_up_hours(self, hours: float) -> None:
        """How long temporary failures (a 4xx, the network) are retried before giving up."""
        set_give_up_after(self.workspace, hours)

    def give_up_hours(self) -> float:
        return give_up_after(self.workspace).total_seconds() / 3600

    def set_sent_settle_minutes(self, minutes: float) -> None:
        """How long a Sent folder is given to show an unanswered send before it is repeated."""
        set_sent_settle(self.workspace, timedelta(minutes=minutes))

    def sent_settle_minutes(self) -> float:
        return sent_settle(self.workspace).total_seconds() / 60

    # Where secrets are kept

    def secrets_in_file(self) -> bool:
        """True when sign-ins and passwords are kept in the encrypted file, not the keyring."""
        return self.secrets.in_file()

    def secrets_locked(self) -> bool:
        """True until the encrypted file's passphrase has been given in this process."""
        return self.secrets.locked()

    def secrets_file(self) -> Path:
        return self.secrets.file

    def unlock_secrets(self, passphrase: str) -> None:
        self.secrets.unlock(passphrase)

    def keep_secrets_in_file(self, passphrase: str) -> int:
        """Secrets go to the encrypted file from now on, the ones kept so far with them;
        how many were carried over."""
        from ..services.calendars.connected import PASSWORD, TOKEN

        carry: list[tuple[int | str, str]] = [
            (account.id, name)
            for account in self.calendars.accounts()
            for name in (TOKEN, PASSWORD)
        ]
        carry += [*MAIL_SECRETS, *RELAY_SECRETS, *PROVISIONING_SECRETS]
        return self.secrets.keep_in_file(passphrase, carry)

    def keep_secrets_in_keyring(self) -> int:
        return self.secrets.keep_in_keyring()

    # Reminders

    def default_reminders(self) -> tuple[timedelta, ...]:
        """How long before a meeting new invitations remind the customer (Settings)."""
        return default_reminders(self.workspace)

    def set_default_reminders(self, offsets: tuple[timedelta, ...]) -> tuple[timedelta, ...]:
        return set_default_reminders(self.workspace, offsets)

    # Profile

    def profile(self) -> Profile | None:
        with self.workspace.session() as session:
            return Settings(session).profile()

    def set_profile(
        self, name: str, email: str, time_zone: str, language: str | None = None
    ) -> Profile:
        """Saved; *language* (the emails') stays as it was when None."""
        with self.workspace.session() as session:
            settings = Settings(session)
            current = settings.profile()
            kept = current.language if current is not None else DEFAULT_LANGUAGE
            profile = Profile(name, email, time_zone, language or kept)
            settings.set_profile(profile)
        return profile

    def set_email_language(self, language: str) -> Profile:
        """The language of the emails sent from now on (``en``, ``de``, ``fr``, ``es``)."""
        with self.workspace.session() as session:
            settings = Settings(session)
            current = settings.profile()
            if current is None:
                raise ValidationError(
                    "Set your name, email and time zone in Settings, Profile first."
                )
            profile = replace(current, language=language)
            settings.set_profile(profile)
        return profile

    def branding(self) -> Branding:
        """The accent colour, logo and photo the booking page shows."""
        with self.workspace.session() as session:
            return Settings(session).branding()

    def set_branding(
        self, accent_color: str | None, logo: bytes | None, photo: bytes | None
    ) -> Branding:
        """Saved for the invitations published from now on."""
        branding = Branding(accent_color or None, logo, photo)
        with self.workspace.session() as session:
            Settings(session).set_branding(branding)
        return branding

    def read_brand_image(self, path: Path, what: str) -> bytes:
        """The image file at *path*, checked; a ValidationError names the problem."""
        try:
            data = path.read_bytes()
        except OSError:
            raise ValidationError(f"The {what} file '{path.name}' cannot be read.") from None
        check_image(data, what)
        return data

    def profile_zone(self) -> str:
        profile = self.profile()
        return profile.time_zone if profile else DEFAULT_PROFILE_ZONE

    # Team members, rooms, pools

    def add_member(
        self,
        name: str,
        email: str,
        time_zone: str | None = None,
        working_hours: WeeklyHours | None = None,
    ) -> TeamMember:
        member = TeamMember(name, email, time_zone=time_zone, working_hours=working_hours)
        with self.workspace.session() as session:
            return Directory(session).add_member(member)

    def members(self) -> list[TeamMember]:
        with self.workspace.session() as session:
            return Directory(session).members()

    def remove_member(self, ref: str | int) -> TeamMember:
        with self.workspace.session() as session:
            return Directory(session).remove_member(ref)

    def add_room(self, name: str, email: str | None = None, capacity: int | None = None) -> Room:
        if capacity is not None and capacity < 1:
            raise ValidationError("A room's capacity must be at least 1.")
        with self.workspace.session() as session:
            return Directory(session).add_room(Room(name, email, capacity=capacity))

    def rooms(self) -> list[Room]:
        with self.workspace.session() as session:
            return Directory(session).rooms()

    def remove_room(self, ref: str | int) -> Room:
        with self.workspace.session() as session:
            return Directory(session).remove_room(ref)

    def add_pool(self, name: str, member_refs: list[str]) -> ResourcePool:
        with self.workspace.session() as session:
            directory = Directory(session)
            keys = tuple(self._resource_key(directory, ref) for ref in member_refs)
            return directory.add_pool(ResourcePool(name, keys))

    def pools(self) -> list[ResourcePool]:
        with self.workspace.session() as session:
            return Directory(session).pools()

    def remove_pool(self, ref: str | int) -> ResourcePool:
        with self.workspace.session() as session:
            return Directory(session).remove_pool(ref)

    def resolve_ids(
        self, members: list[str], rooms: list[str], pools: list[str]
    ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """Ids of team members, rooms and pools named by id, name or email."""
        with self.workspace.session() as session:
            directory = Directory(session)
            return (
                tuple(directory.member(ref).id or 0 for ref in members),
                tuple(directory.room(ref).id or 0 for ref in rooms),
                tuple(directory.pool(ref).id or 0 for ref in pools),
            )

    def resource_names(self) -> dict[str, str]:
        """Display names of every member and room, by resource key."""
        with self.workspace.session() as session:
            directory = Directory(session)
            names = {m.key: m.name for m in directory.members()}
            names.update({r.key: r.name for r in directory.rooms()})
            return names

    @staticmethod
    def _resource_key(directory: Directory, ref: str | int) -> str:
        """The key of the member or room *ref* names (id, name, email or its key)."""
        kind, _, ident = str(ref).partition(":")
        if ident.isdigit() and kind in ("member", "room"):
            found = directory.member(ident) if kind == "member" else directory.room(ident)
            return found.key
        try:
            return directory.member(ref).key
        except NotFound:
            pass
        try:
            return directory.room(ref).key
        except NotFound:
            raise NotFound(f"There is no team member or room '{ref}'.") from None

    def _calendar_id_for_address(self, address: str) -> str:
        if ":" in address and "@" not in address:
            return address
        with self.workspace.session() as session:
            try:
                return self._resource_key(Directory(session), address)
            except NotFound:
                return address

    # Busy time on the local calendar

    def add_busy(
        self, ref: str | int, start: datetime, end: datetime, title: str = "Busy"
    ) -> LocalEvent:
        interval = Interval(start, end)
        with self.workspace.session() as session:
            key = self._resource_key(Directory(session), ref)
            uid = f"busy-{key}-{int(interval.start.timestamp())}-{int(interval.end.timestamp())}"
            return LocalEvents(session).put(
                LocalEvent(
                    uid, title, interval.start, interval.end, attendees=(LocalAttendee(key),)
                )
            )

    def busy(self, ref: str | int, start: datetime, end: datetime) -> list[LocalEvent]:
        with self.workspace.session() as session:
            key = self._resource_key(Directory(session), ref)
            return LocalEvents(session).in_range(start, end, [key])

    def import_busy(self, ref: str | int, path: Path) -> BusyImport:
        """Import *path*'s busy time for the member or room *ref*; re-importing replaces it."""
        with self.workspace.session() as session:
            directory = Directory(session)
            kind, _, ident = self._resource_key(directory, ref).partition(":")
            resource = (
                directory.member(int(ident)) if kind == "member" else directory.room(int(ident))
            )
        return import_busy_file(
            self.local_calendar, resource, path, self.clock.now(), self.profile_zone()
        )

    async def import_busy_later(self, ref: str | int, path: Path) -> BusyImport:
        """:meth:`import_busy` off the event loop, for the window."""
        return await asyncio.to_thread(self.import_busy, ref, path)

    # Availability

    async def count_slots(self, request: SlotRequest) -> SlotCount:
        return await asyncio.to_thread(self.count_slots_now, request)

    def count_slots_now(self, request: SlotRequest) -> SlotCount:
        now = self.clock.now()
        query, resolved = build_query(self.workspace, request, now)
        count = count_slots(query)
        as_of = resolved.busy_as_of
        return SlotCount(
            count,
            "" if count else explain_no_slots(query),
            as_of,
            tuple(resolved.unknown.values()),
            as_of is not None and now - as_of > self.calendars.refresh_interval(),
        )

    def busy_is_stale(self, request: SlotRequest) -> bool:
        """Whether the connected calendars *request* involves should be read again first:
        older than the refresh interval, not read far enough ahead, or unreadable."""
        now = self.clock.now()
        _, resolved = build_query(self.workspace, request, now)
        if resolved.unknown:
            return True
        as_of = resolved.busy_as_of
        return as_of is not None and now - as_of > self.calendars.refresh_interval()

    async def refresh_for(self, request: SlotRequest) -> RefreshReport | None:
        """Read the calendars again when *request*'s busy time is stale (None: it was fresh),
        as far ahead as its time frame needs."""
        if not self.busy_is_stale(request):
            return None
        _, resolved = build_query(self.workspace, request, self.clock.now())
        until = resolved.needed.end if resolved.needed else None
        return await self.calendars.refresh(until=until)

    async def list_slots(self, request: SlotRequest) -> list[Slot]:
        return await asyncio.to_thread(self.list_slots_now, request)

    def list_slots_now(self, request: SlotRequest) -> list[Slot]:
        query, _ = build_query(self.workspace, request, self.clock.now())
        return find_slots(query)

    def suggest_promoted(self, slots: list[Slot], count: int, time_zone: str) -> list[Slot]:
        return self.invitations.suggest_promoted(slots, count, time_zone)

    # Invitations: each change is saved, then the outbox runs it now (or once online)

    async def create_invitation(
        self, invitation: Invitation, *, draft: bool = False
    ) -> CreatedInvitation:
        invitation = with_change_lead(invitation, self.change_lead_default())
        saved = await self.invitations.create(invitation, draft=draft)
        if not draft:
            await self.worker.run_due()
        return self.invitations.created(saved.id, draft=draft)

    async def send_draft(self, invitation_id: int) -> CreatedInvitation:
        """Publish and send an invitation saved as a draft; earlier waiting work goes first."""
        self.worker.retry_now()
        await self.invitations.send_draft(invitation_id)
        await self.worker.run_due()
        return self.invitations.created(invitation_id)

    async def cancel_invitation(self, invitation_id: int) -> Invitation:
        cancelled = await self.invitations.cancel(invitation_id)
        await self.worker.run_due()
        return cancelled

    async def edit_invitation(
        self, invitation_id: int, invitation: Invitation
    ) -> CreatedInvitation:
        """Change an open invitation; its offer goes out again on the same links."""
        await self.editor.edit(invitation_id, invitation)
        await self.worker.run_due()
        return self.invitations.created(invitation_id)

    def editable(self, invitation_id: int) -> InvitationRequest:
        """The open invitation as the wizard and the command line fill it, to be edited."""
        invitation = self.invitations.get(invitation_id)
        refuse_unless_open(invitation)
        return InvitationRequest.from_invitation(invitation)

    async def resend_invitation(self, invitation_id: int) -> str:
        """Send the email again (a queued one is retried, not doubled); what was done."""
        outcome = await self.invitations.resend(invitation_id)
        await self.worker.run_due()
        return outcome

    def invitation(self, invitation_id: int) -> Invitation:
        return self.invitations.get(invitation_id)

    def invitation_history(self, invitation_id: int) -> list[HistoryEntry]:
        return self.invitations.history(invitation_id)

    def email_status(self, invitation_id: int) -> EmailStatus:
        """Where the invitation's email is: sent, queued or failed, with the reason."""
        return self.invitations.email_status(invitation_id)

    def cancellation_summary(self, invitation: Invitation) -> str:
        return self.invitations.cancellation_summary(invitation)

    def invitation_list(
        self, statuses: tuple[InvitationStatus, ...] = (), search: str = ""
    ) -> list[InvitationEntry]:
        return self.invitations.list(statuses, search)

    def invitation_links(self, invitation_id: int) -> InvitationLinks:
        return self.invitations.links(invitation_id)

    def preview_email(self, invitation: Invitation) -> EmailPreview:
        return self.invitations.preview_email(invitation)

    # Drafts and templates

    def save_draft(self, request: InvitationRequest, draft_id: int | None = None) -> int:
        return self.invitations.save_draft(request, draft_id)

    def drafts(self) -> list[tuple[int, str, datetime]]:
        return self.invitations.drafts()

    def load_draft(self, draft_id: int) -> InvitationRequest:
        return self.invitations.load_draft(draft_id)

    def delete_draft(self, draft_id: int) -> None:
        self.invitations.delete_draft(draft_id)

    def save_template(self, name: str, invitation: Invitation) -> None:
        self.invitations.save_template(name, invitation)

    def templates(self) -> list[str]:
        return self.invitations.templates()

    def template(self, name: str, participant: Participant) -> Invitation:
        return self.invitations.template(name, participant)

    def last_used(self, participant: Participant) -> Invitation | None:
        return self.invitations.last_used(participant)

    # Background work: the outbox, the bookings feed, the embedded relay

    def retry_now(self) -> None:
        """Work waiting for the network is tried again at once."""
        self.worker.retry_now()

    async def sync_once(self) -> SyncReport:
        return await self.sync.run_once()

    async def start_relay(self) -> str:
        """Start the embedded relay when that is the mode; the relay's status line."""
        await self.relay.start_async()
        return self.relay.status()

    def stop_relay(self) -> None:
        self.relay.stop()

    def sync_lock(self, owner: str) -> SyncLock:
        """The lock that one process (window, tray or agent) holds while it runs the loop."""
        return SyncLock(self.workspace.home, owner)

    async def run_background(
        self,
        lock: SyncLock,
        on_booking: Callable[[Meeting], None],
        on_online: Callable[[bool], None],
    ) -> None:
        """The outbox, the bookings feed and calendar refreshes, until cancelled.

        Only the holder of the workspace's *lock* runs them (it is taken here when it
        is not held yet, and released when the loop ends).
        """
        if not lock.held:
            lock.acquire()
        try:
            await self.sync.run_forever(on_booking, on_online)
        finally:
            lock.release()

    # Starting at login

    def autostart_state(self) -> AutostartState:
        return self.autostart.state()

    def set_autostart(self, enabled: bool) -> None:
        self.autostart.set(enabled)

    def autostart_after_first_invitation(self) -> bool:
        """Turn starting at login on after the first invitation; True when it just was."""
        return self.autostart.after_first_invitation()

    # Relay and mail settings

    def relay_settings(self) -> RelaySettings:
        return self.relay.settings()

    def relay_status(self) -> str:
        return self.relay.status()

    def configure_relay(self, settings: RelaySettings, api_key: str | None = None) -> None:
        self.relay.configure(settings, api_key)

    async def pair_relay(self, code: str) -> str:
        """Switch to the standalone relay a pairing code names; its URL."""
        return await self.relay.pair(code)

    def link_notice(self) -> str | None:
        """The one sentence every place that shows a link says, when customers cannot open it."""
        return {
            LinkReach.THIS_COMPUTER: LOCAL_LINKS_NOTICE,
            LinkReach.THIS_NETWORK: LAN_LINKS_NOTICE,
            LinkReach.ANYWHERE: None,
        }[self.relay.reach()]

    def mail_settings(self) -> MailSettings:
        return self.mail.settings()

    def configure_mail(self, settings: MailSettings, password: str | None = None) -> None:
        self.mail.configure(settings, password)

    # Connected calendars

    def calendar_accounts(self) -> list[CalendarAccount]:
        return self.calendars.accounts()

    def calendar_account(self, account_id: int) -> CalendarAccount:
        return self.calendars.account(account_id)

    async def connect_calendar(
        self,
        sign_in: SignIn,
        *,
        open_browser: Callable[[str], object] = webbrowser.open,
        show_device_code: Callable[[str], object] | None = None,
    ) -> CalendarAccount:
        """Connect the account *sign_in* describes; the browser signs in to Google and Microsoft
        (a device code where no browser opens). Empty fields use the provisioned ones."""
        calendars = self.calendars
        match sign_in:
            case CalDavSignIn():
                return await calendars.connect_caldav(
                    sign_in.url, sign_in.username, sign_in.password, sign_in.email
                )
            case GoogleSignIn():
                return await calendars.connect_google(sign_in.client_secrets_file, open_browser)
            case MicrosoftSignIn():
                return await calendars.connect_microsoft(
                    sign_in.client_id,
                    open_browser=None if sign_in.device_code else open_browser,
                    show_device_code=show_device_code,
                    tenant=sign_in.tenant,
                )
            case ExchangeSignIn():
                return await calendars.connect_exchange(
                    sign_in.email,
                    sign_in.username,
                    sign_in.password,
                    sign_in.server,
                    sign_in.auth,
                    client_id=sign_in.client_id,
                    tenant=sign_in.tenant,
                    open_browser=None if sign_in.device_code else open_browser,
                    show_device_code=show_device_code,
                )

    async def reconnect_calendar(
        self,
        account_id: int,
        *,
        password: str = "",
        client_secrets_file: str = "",
        device_code: bool = False,
        open_browser: Callable[[str], object] = webbrowser.open,
        show_device_code: Callable[[str], object] | None = None,
    ) -> CalendarAccount:
        """Sign in again to an account whose sign-in expired or was revoked; it keeps its id,
        mapping and place as the default calendar."""
        return await self.calendars.reconnect(
            account_id,
            password=password,
            client_secrets_file=client_secrets_file,
            open_browser=None if device_code else open_browser,
            show_device_code=show_device_code,
        )

    # The default calendar, and the organization's set-up

    def default_calendar(self) -> CalendarChoice:
        """Where booked meetings go unless an invitation names a calendar."""
        return self.calendar_choice.get()

    def set_default_calendar(self, choice: CalendarChoice) -> CalendarChoice:
        return self.calendar_choice.set(choice)

    def calendar_options(self) -> list[CalendarOption]:
        """The calendars a meeting can go to: each connected account's, then the built-in one."""
        return self.calendar_choice.options()

    def parse_calendar(self, text: str) -> CalendarChoice:
        """``ACCOUNT[/CALENDAR]`` (an account id or name) or ``built-in``."""
        return self.calendar_choice.parse(text)

    async def resolve_calendar(self, text: str) -> CalendarChoice:
        """``ACCOUNT[/CALENDAR]`` with a Google or Microsoft 365 calendar named by its name
        turned into its id (asking the account's calendar list); an unknown one is refused."""
        choice = self.calendar_choice.parse(text)
        if choice.account_id is None or not choice.calendar_id:
            return choice
        try:
            _, calendar_id = await self.calendars.calendar_for(
                choice.account_id, choice.calendar_id
            )
        finally:
            await self.close_calendars()
        return replace(choice, calendar_id=calendar_id)

    def describe_calendar(self, choice: CalendarChoice) -> str:
        return self.calendar_choice.describe(choice)

    def provisioning(self) -> Provisioning:
        """The organization's applied set-up (secrets included, from the keyring)."""
        return self.setup.store.get()

    def apply_provisioning(self, path: Path) -> list[str]:
        """Apply the organization's provisioning file; one line per thing it set up."""
        return self.setup.apply_file(path)

    async def test_calendar(self, account_id: int) -> str:
        return await self.calendars.test(account_id)

    async def refresh_calendars(self, account_id: int | None = None) -> RefreshReport:
        return await self.calendars.refresh(account_id)

    def map_calendar(self, ref: str, account_id: int | None, calendar_id: str | None) -> str:
        """Give a team member or room a connected calendar (None: the built-in one)."""
        return self.calendars.map_resource(ref, account_id, calendar_id)

    def remove_calendar(self, account_id: int) -> CalendarAccount:
        return self.calendars.remove(account_id)

    async def calendar_choices(self, account_id: int) -> list[CollectionChoice]:
        """The calendars of a CalDAV, Google or Microsoft 365 account, the one meetings are
        written to marked current."""
        return await self.calendars.calendar_choices(account_id)

    async def choose_calendar(self, account_id: int, ref: str) -> CollectionChoice:
        return await self.calendars.choose_calendar(account_id, ref)

    def set_working_elsewhere(self, account_id: int, blocks: bool) -> CalendarAccount:
        return self.calendars.set_working_elsewhere(account_id, blocks)

    def unreadable_calendars(self) -> dict[str, str]:
        """Members and rooms whose calendar could not be read at the last refresh, and why."""
        return self.calendars.unreadable()

    def calendar_refresh_interval(self) -> timedelta:
        return self.calendars.refresh_interval()

    def set_calendar_refresh_interval(self, interval: timedelta) -> None:
        """How often the sync reads connected calendars (and how old busy time may get)."""
        self.calendars.set_refresh_interval(interval)

    async def close_calendars(self) -> None:
        await self.calendars.aclose()

    # Meetings

    def meeting_calendar_link(self, meeting_id: int) -> str:
        """Where "Open in calendar" goes: the provider's web link, or an .ics file to import."""
        with self.workspace.session() as session:
            meetings = Meetings(session)
            meeting = meetings.get(meeting_id)
            ref = meetings.event_ref(meeting_id)
        web_link = ref.web_link if ref is not None else None
        if web_link is not None and web_link.startswith(("https://", "http://")):
            return web_link
        folder = self.workspace.home / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"meeting-{meeting_id}.ics"
        path.write_bytes(meeting_ics(meeting, self.profile(), self.clock.now()))
        return path.as_uri()

    # Delivery: whether mail can go out, and how far each invitation got

    def mail_problem(self) -> str | None:
        """Why invitation emails cannot be sent now, or None when they can."""
        return mail_problem(self.mail, {a.id for a in self.calendars.accounts()})

    async def send_test_email(self) -> str:
        """Send a test email to the organizer's own address; answer that address."""
        return await send_test_email(self.mail, self.profile(), self.clock)

    def delivery(self, invitation: Invitation | int) -> Delivery:
        """How far the invitation (or the invitation with this id) got to the customer."""
        if isinstance(invitation, int):
            invitation = self.invitations.get(invitation)
        return delivery_of(self.workspace, invitation)

    async def retry_delivery(self, invitation_id: int) -> Delivery:
        """Try the invitation's unfinished publish and email again now."""
        make_retry_due(self.workspace, invitation_id, self.clock.now())
        await self.worker.run_due()
        return self.delivery(invitation_id)
