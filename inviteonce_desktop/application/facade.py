"""The application facade: everything the UI and the CLI can ask of the workspace."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..core.availability import Slot, count_slots, explain_no_slots, find_slots
from ..core.errors import NotFound, ValidationError
from ..core.hours import WeeklyHours
from ..core.intervals import Interval
from ..core.invitation import Invitation
from ..core.meeting import Meeting
from ..core.profile import Profile
from ..core.resources import ResourcePool, Room, TeamMember
from ..core.timezones import zone
from ..services.calendars.base import CalendarProvider
from ..services.calendars.local import LocalCalendar
from ..services.credentials import CredentialStore
from ..store.activity import Meetings
from ..store.calendar_data import LocalAttendee, LocalEvent, LocalEvents
from ..store.directory import Directory
from ..store.settings import Settings
from ..store.workspace import Workspace
from .bookings import BookingService
from .calendars import CalendarService
from .clock import Clock, SystemClock
from .delivery import Delivery, delivery_of, make_retry_due
from .invitations import InvitationService
from .mail_check import mail_problem, send_test_email
from .mail_settings import MailService
from .outbox_worker import OutboxWorker
from .publishing import ResourceKeys
from .relay_host import RelayHost
from .schedules import SlotRequest, build_query
from .sync import SyncService

DEFAULT_PROFILE_ZONE = "UTC"


@dataclass(frozen=True, slots=True)
class SlotCount:
    count: int
    reason: str
    """Why there are none, when ``count`` is zero; empty otherwise."""


class InviteOnce:
    """One workspace, seen the way the wizard sees it."""

    def __init__(
        self, workspace: Workspace, clock: Clock, credentials: CredentialStore | None = None
    ) -> None:
        self.workspace = workspace
        self.clock = clock
        self.credentials = credentials or CredentialStore()
        self.local_calendar = LocalCalendar(workspace, self._calendar_id_for_address)
        self.calendars = CalendarService(workspace, clock, self.credentials, self.profile_zone)
        self.relay = RelayHost(workspace, self.credentials)
        self.mail = MailService(workspace, self.credentials, self.calendars.mail_transport)
        keys = ResourceKeys(workspace)
        self.invitations = InvitationService(workspace, clock, self.relay, self.mail, keys)
        self.bookings = BookingService(
            workspace, clock, self.mail, keys, self._live_busy, self._calendar_for
        )
        self.worker = OutboxWorker(
            workspace,
            clock,
            {
                "publish": self.invitations.handle_publish,
                "invitation_email": self.invitations.handle_invitation_email,
                "cancel_offer": self.invitations.handle_cancel_offer,
                "calendar_event": self.bookings.handle_calendar_event,
                "cancel_event": self.bookings.handle_cancel_event,
                "confirmation_email": self.bookings.handle_confirmation_email,
                "team_notification": self.bookings.handle_team_notification,
            },
        )
        self.invitations.worker = self.worker
        self.sync = SyncService(
            self.relay, self.worker, self.bookings, refresh_calendars=self._refresh_calendars
        )

    @classmethod
    def open(cls, home: Path, clock: Clock | None = None) -> InviteOnce:
        return cls(Workspace(home), clock or SystemClock())

    def close(self) -> None:
        self.relay.stop()
        self.workspace.close()

    # Meetings

    def meetings(self, search: str = "") -> list[Meeting]:
        with self.workspace.session() as session:
            return Meetings(session).list(search)

    async def _live_busy(
        self, keys: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, list[Interval]]:
        """Busy time as the calendars have it now."""
        return await self.calendars.live_busy(keys, start, end)

    async def _refresh_calendars(self) -> None:
        if self.calendars.accounts():
            await self.calendars.refresh()

    async def _calendar_for(self, account_id: int | None) -> tuple[CalendarProvider, str]:
        """The calendar that gets a meeting's event: the local one unless an account is named."""
        if account_id is None:
            profile = self.profile()
            return self.local_calendar, profile.email if profile else "organizer"
        return await self.calendars.calendar_for(account_id)

    # Profile

    def profile(self) -> Profile | None:
        with self.workspace.session() as session:
            return Settings(session).profile()

    def set_profile(self, name: str, email: str, time_zone: str) -> Profile:
        profile = Profile(name, email, time_zone)
        with self.workspace.session() as session:
            Settings(session).set_profile(profile)
        return profile

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

    def import_busy(self, ref: str | int, path: Path) -> int:
        try:
            data = path.read_bytes()
        except OSError:
            raise ValidationError(f"The file {path} cannot be read.") from None
        with self.workspace.session() as session:
            key = self._resource_key(Directory(session), ref)
        now = self.clock.now()
        return self.local_calendar.import_ics(
            key,
            data,
            now - timedelta(days=31),
            now + timedelta(days=400),
            zone(self.profile_zone()),
        )

    # Availability

    async def count_slots(self, request: SlotRequest) -> SlotCount:
        return await asyncio.to_thread(self.count_slots_now, request)

    def count_slots_now(self, request: SlotRequest) -> SlotCount:
        query, _ = build_query(self.workspace, request, self.clock.now())
        count = count_slots(query)
        return SlotCount(count, "" if count else explain_no_slots(query))

    async def list_slots(self, request: SlotRequest) -> list[Slot]:
        return await asyncio.to_thread(self.list_slots_now, request)

    def list_slots_now(self, request: SlotRequest) -> list[Slot]:
        query, _ = build_query(self.workspace, request, self.clock.now())
        return find_slots(query)

    # Delivery: whether mail can go out, and how far each invitation got

    def mail_problem(self) -> str | None:
        """Why invitation emails cannot be sent now, or None when they can."""
        return mail_problem(self.mail, {a.id for a in self.calendars.accounts()})

    async def send_test_email(self) -> str:
        """Send a test email to the organizer's own address; answer that address."""
        return await send_test_email(self.mail, self.profile(), self.clock)

    def delivery(self, invitation: Invitation) -> Delivery:
        return delivery_of(self.workspace, invitation)

    async def retry_delivery(self, invitation_id: int) -> Delivery:
        """Try the invitation's unfinished publish and email again now."""
        make_retry_due(self.workspace, invitation_id, self.clock.now())
        await self.worker.run_due()
        return self.delivery(self.invitations.get(invitation_id))
