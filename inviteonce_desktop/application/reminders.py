"""Reminder emails to the customer before their meeting: the default, the plan, the send.

When a meeting is booked, one outbox job per reminder of its invitation is
queued for the time it is due (the start minus the reminder's offset); the
outbox never does it earlier, retry or not. The job's key holds the meeting,
the offset and the start, so each reminder goes out once (the outbox's
hand-over marks settle a send whose process died), and a meeting whose start
changed simply gets reminders for its new start: every outbox pass plans the
reminders of upcoming meetings and withdraws those planned for a start the
meeting no longer has, or for a meeting that was cancelled (one never handed
to the mail server goes as if never planned, so a meeting moved back gets it
again). The job checks again when it runs, so a change that lands between
planning and sending is honoured too.

A reminder already due when the meeting is booked (booked 30 minutes before
a 1 h reminder) is not sent, and neither is one whose later sibling is due
too (the desktop was off): the customer gets the closest one only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy.orm import Session

from ..core.history import HistoryKind
from ..core.invitation import Invitation
from ..core.meeting import Meeting, MeetingStatus
from ..core.profile import Profile
from ..core.reminders import due_at, offset_text, reminder_offsets
from ..store.activity import Invitations, Meetings
from ..store.history import History
from ..store.outbox import Outbox
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock
from .emails import compose, email_language, message_id, render, when_text, workspace_tag
from .jobs import Outgoing, ReminderEmail, enqueue

SETTINGS_KEY = "reminders"
SKIPPED = "skipped"
"""The result key of a reminder that came due and was not sent, and why."""


def default_reminders(workspace: Workspace) -> tuple[timedelta, ...]:
    """The reminders a new invitation starts with (Settings); none until the organizer sets
    some."""
    with workspace.session() as session:
        stored = Settings(session).get(SETTINGS_KEY) or {}
    return tuple(timedelta(minutes=int(m)) for m in stored.get("minutes", ()))


def set_default_reminders(
    workspace: Workspace, offsets: tuple[timedelta, ...]
) -> tuple[timedelta, ...]:
    checked = reminder_offsets(offsets)
    minutes = [int(o.total_seconds() // 60) for o in checked]
    with workspace.session() as session:
        Settings(session).put(SETTINGS_KEY, {"minutes": minutes})
    return checked


def reminder_jobs(meeting: Meeting, offsets: Iterable[timedelta]) -> list[ReminderEmail]:
    """The reminders *offsets* before *meeting* at its current start."""
    assert meeting.id is not None
    start = int(meeting.start.timestamp())
    return [ReminderEmail(meeting.id, int(o.total_seconds() // 60), start) for o in offsets]


def plan_reminders(
    session: Session, meeting: Meeting, invitation: Invitation, now: datetime, *, booked: bool
) -> int:
    """In *session*: the meeting's reminders queued for their times; how many are waiting.

    A reminder whose time has passed is left out; when the meeting was just
    *booked*, its history says so.
    """
    history = History(session)
    planned = 0
    for work in reminder_jobs(meeting, invitation.notifications.reminders or ()):
        offset = timedelta(minutes=work.offset_minutes)
        due = due_at(meeting.start, offset)
        if due <= now:
            if booked:
                history.add(
                    meeting.invitation_id,
                    now,
                    HistoryKind.REMINDER,
                    f"No reminder {offset_text(offset)} before: the meeting was booked later "
                    "than that.",
                )
            continue
        enqueue(session, work, now, invitation_id=meeting.invitation_id, not_before=due)
        planned += 1
    return planned


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    planned: int
    withdrawn: int


class ReminderService:
    def __init__(self, workspace: Workspace, clock: Clock) -> None:
        self._workspace = workspace
        self._clock = clock
        self._tag = workspace_tag(workspace)
        self._offsets: dict[int, tuple[timedelta, ...]] = {}
        self._known_keys: dict[tuple[int, int], tuple[str, ...]] = {}

    def replan(self) -> ReminderPlan:
        """Reminders of upcoming meetings follow their starts; those of cancelled ones go.

        A few column queries a pass however many meetings there are: an
        invitation's reminders are read once (a booked invitation's cannot change),
        and so is the key of each reminder at each start.
        """
        now = self._clock.now()
        planned = withdrawn = 0
        with self._workspace.session() as session:
            meetings, outbox = Meetings(session), Outbox(session)
            wanted = {
                meeting_id: self._keys(session, meeting_id, invitation_id, start)
                for meeting_id, invitation_id, start in meetings.upcoming_starts(now)
            }
            keys = {key for found in wanted.values() for key in found}
            known = outbox.existing(sorted(keys)) if keys else set()
            for meeting_id, found in wanted.items():
                if not known.issuperset(found):
                    meeting = meetings.get(meeting_id)
                    invitation = Invitations(session).get(meeting.invitation_id)
                    planned += plan_reminders(session, meeting, invitation, now, booked=False)
            for item_id, key, handed_over in outbox.scheduled(ReminderEmail.kind):
                if key not in keys and not handed_over:  # never sent: as if never planned
                    outbox.withdraw(item_id)
                    withdrawn += 1
        return ReminderPlan(planned, withdrawn)

    def _keys(
        self, session: Session, meeting_id: int, invitation_id: int, start: datetime
    ) -> tuple[str, ...]:
        stamp = int(start.timestamp())
        found = self._known_keys.get((meeting_id, stamp))
        if found is None:
            offsets = self._offsets.get(invitation_id)
            if offsets is None:
                invitation = Invitations(session).get(invitation_id)
                offsets = self._offsets[invitation_id] = invitation.notifications.reminders or ()
            found = tuple(
                ReminderEmail(meeting_id, int(o.total_seconds() // 60), stamp).key for o in offsets
            )
            self._known_keys[(meeting_id, stamp)] = found
        return found

    def _load(self, meeting_id: int) -> tuple[Meeting, Invitation, Profile | None, str | None]:
        with self._workspace.session() as session:
            meetings = Meetings(session)
            meeting = meetings.get(meeting_id)
            invitation = Invitations(session).get(meeting.invitation_id)
            profile = Settings(session).profile()
            return meeting, invitation, profile, meetings.customer_time_zone(meeting_id)

    async def handle(self, job: ReminderEmail) -> dict[str, Any] | Outgoing:
        meeting, invitation, profile, customer_zone = await asyncio.to_thread(
            self._load, job.meeting_id
        )
        now = self._clock.now()
        reason = _not_sent_because(meeting, invitation, job, now)
        if reason is not None:
            return {SKIPPED: reason}
        if profile is None:
            raise LookupError("The organizer's profile is missing.")
        offset = timedelta(minutes=job.offset_minutes)
        message = reminder_message(
            meeting,
            invitation,
            profile,
            customer_zone or invitation.time_frame.time_zone,
            manage_url=meeting.manage_url,
            msg_id=message_id(
                "reminder",
                f"{meeting.id}.{job.offset_minutes}.{job.start}",
                profile.email,
                self._tag,
            ),
            sent_at=now,
        )
        sent = f"Reminder ({offset_text(offset)} before) sent to {meeting.participant_email}"
        return Outgoing(message, meeting.invitation_id, sent, HistoryKind.REMINDER)


def _not_sent_because(
    meeting: Meeting, invitation: Invitation, job: ReminderEmail, now: datetime
) -> str | None:
    if meeting.status == MeetingStatus.CANCELLED:
        return "the meeting was cancelled"
    if int(meeting.start.timestamp()) != job.start:
        return "the meeting moved"
    if now >= meeting.start:
        return "the meeting has started"
    offset = timedelta(minutes=job.offset_minutes)
    closer = [
        o
        for o in invitation.notifications.reminders or ()
        if o < offset and meeting.start - o <= now
    ]
    return "a later reminder is due too" if closer else None


def reminder_message(
    meeting: Meeting,
    invitation: Invitation,
    profile: Profile,
    zone_name: str,
    *,
    manage_url: str | None,
    msg_id: str,
    sent_at: datetime,
) -> EmailMessage:
    """The reminder email: when (in the customer's zone), where, and the manage link if any."""
    details = invitation.details
    title = invitation.notifications.advanced.event.title(details.subject, invitation.participant)
    lang = email_language(profile.language)
    rendered = render(
        "reminder",
        lang.gettext("Reminder: %(title)s", title=title),
        lang=lang,
        participant_name=meeting.participant_name,
        organizer_name=profile.name,
        title=title,
        when=when_text(meeting.start, meeting.end, zone_name, lang),
        location=details.location,
        conferencing=details.conferencing,
        manage_url=manage_url or "",
    )
    return compose(
        rendered,
        sender=profile,
        to=(meeting.participant_name, meeting.participant_email),
        msg_id=msg_id,
        sent_at=sent_at,
    )
