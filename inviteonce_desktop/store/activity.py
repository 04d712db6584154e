"""Invitations, meetings and drafts: the activity stream."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.errors import NotFound
from ..core.event_ref import MeetingEventRef
from ..core.invitation import Invitation, InvitationStatus, Participant
from ..core.meeting import Meeting, MeetingChange, MeetingStatus
from .models import DraftRow, InvitationRow, MeetingRow
from .serialize import (
    details_from_json,
    details_to_json,
    event_ref_from_json,
    event_ref_to_json,
    notifications_from_json,
    notifications_to_json,
    time_frame_from_json,
    time_frame_to_json,
)


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(
        participant=Participant(row.participant_name, row.participant_email),
        details=details_from_json(row.details),
        time_frame=time_frame_from_json(row.time_frame),
        notifications=notifications_from_json(row.notifications),
        status=InvitationStatus(row.status),
        id=row.id,
        token=row.token,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def _meeting(row: MeetingRow) -> Meeting:
    return Meeting(
        invitation_id=row.invitation_id,
        subject=row.subject,
        start=row.start,
        end=row.end,
        participant_name=row.participant_name,
        participant_email=row.participant_email,
        event_uid=row.event_uid,
        status=MeetingStatus(row.status),
        resource_keys=tuple(row.resource_keys),
        conflict=row.conflict,
        id=row.id,
        booked_at=row.booked_at,
        manage_url=row.manage_url,
        sequence=row.sequence or 0,
    )


class Invitations:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, invitation: Invitation, now: datetime) -> Invitation:
        row = InvitationRow(created_at=now)
        self._write(row, invitation, now)
        self._session.add(row)
        self._session.flush()
        return _invitation(row)

    def save(self, invitation: Invitation, now: datetime) -> Invitation:
        row = self._row(invitation.id)
        self._write(row, invitation, now)
        self._session.flush()
        return _invitation(row)

    def _write(self, row: InvitationRow, invitation: Invitation, now: datetime) -> None:
        row.token = invitation.token
        row.status = invitation.status.value
        row.participant_name = invitation.participant.name
        row.participant_email = invitation.participant.email
        row.subject = invitation.details.subject
        row.details = details_to_json(invitation.details)
        row.time_frame = time_frame_to_json(invitation.time_frame)
        row.notifications = notifications_to_json(invitation.notifications)
        row.expires_at = invitation.expires_at
        row.updated_at = now

    def get(self, invitation_id: int | None) -> Invitation:
        return _invitation(self._row(invitation_id))

    def set_links(self, invitation_id: int, links: dict[str, Any]) -> None:
        self._row(invitation_id).links = links

    def links(self, invitation_id: int) -> dict[str, Any]:
        return dict(self._row(invitation_id).links or {})

    def list(self, statuses: Sequence[InvitationStatus] = (), search: str = "") -> list[Invitation]:
        query = select(InvitationRow).order_by(
            InvitationRow.created_at.desc(), InvitationRow.id.desc()
        )
        if statuses:
            query = query.where(InvitationRow.status.in_([s.value for s in statuses]))
        if search.strip():
            pattern = f"%{search.strip()}%"
            query = query.where(
                or_(
                    InvitationRow.subject.ilike(pattern),
                    InvitationRow.participant_name.ilike(pattern),
                    InvitationRow.participant_email.ilike(pattern),
                )
            )
        return [_invitation(r) for r in self._session.scalars(query)]

    def _row(self, invitation_id: int | None) -> InvitationRow:
        row = None if invitation_id is None else self._session.get(InvitationRow, invitation_id)
        if row is None:
            raise NotFound(f"There is no invitation {invitation_id}.")
        return row


class Meetings:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, meeting: Meeting, booking_id: str | None, customer_time_zone: str | None
    ) -> Meeting:
        row = MeetingRow(
            invitation_id=meeting.invitation_id,
            booking_id=booking_id,
            subject=meeting.subject,
            start=meeting.start,
            end=meeting.end,
            participant_name=meeting.participant_name,
            participant_email=meeting.participant_email,
            event_uid=meeting.event_uid,
            status=meeting.status.value,
            resource_keys=list(meeting.resource_keys),
            conflict=meeting.conflict,
            booked_at=meeting.booked_at,
            customer_time_zone=customer_time_zone,
            manage_url=meeting.manage_url,
        )
        self._session.add(row)
        self._session.flush()
        return _meeting(row)

    def by_booking(self, booking_id: str) -> Meeting | None:
        row = self._session.scalars(
            select(MeetingRow).where(MeetingRow.booking_id == booking_id)
        ).first()
        return None if row is None else _meeting(row)

    def for_invitation(self, invitation_id: int) -> Meeting | None:
        row = self._session.scalars(
            select(MeetingRow).where(MeetingRow.invitation_id == invitation_id)
        ).first()
        return None if row is None else _meeting(row)

    def update(
        self, meeting_id: int, *, status: MeetingStatus | None = None, conflict: str | None = None
    ) -> Meeting:
        row = self._session.get(MeetingRow, meeting_id)
        if row is None:
            raise NotFound(f"There is no meeting {meeting_id}.")
        if status is not None:
            row.status = status.value
        if conflict is not None:
            row.conflict = conflict
        return _meeting(row)

    def get(self, meeting_id: int) -> Meeting:
        return _meeting(self._row(meeting_id))

    def customer_time_zone(self, meeting_id: int) -> str | None:
        return self._row(meeting_id).customer_time_zone

    def event_ref(self, meeting_id: int) -> MeetingEventRef | None:
        ref = self._row(meeting_id).event_ref
        return None if ref is None else event_ref_from_json(ref)

    def set_event_ref(
        self, meeting_id: int, ref: MeetingEventRef | None, status: MeetingStatus
    ) -> None:
        """Where the event was written; a meeting cancelled meanwhile stays cancelled."""
        row = self._row(meeting_id)
        row.event_ref = None if ref is None else event_ref_to_json(ref)
        if row.status != MeetingStatus.CANCELLED.value:
            row.status = status.value

    def cancel(self, meeting_id: int) -> Meeting:
        """Cancelled, with the SEQUENCE its cancellation carries one higher."""
        row = self._row(meeting_id)
        row.status = MeetingStatus.CANCELLED.value
        row.sequence = (row.sequence or 0) + 1
        return _meeting(row)

    def by_uid(self, uid: str) -> Meeting | None:
        row = self._session.scalars(select(MeetingRow).where(MeetingRow.event_uid == uid)).first()
        return None if row is None else _meeting(row)

    def booking_id(self, meeting_id: int) -> str | None:
        """The relay's row the meeting stands on now: its booking, or its latest change."""
        return self._row(meeting_id).booking_id

    def changed_by(self, meeting_id: int) -> str | None:
        return self._row(meeting_id).changed_by

    def move(
        self,
        meeting_id: int,
        change: MeetingChange,
    ) -> Meeting:
        """Moved to the change's time, with the SEQUENCE its update carries one higher."""
        row = self._row(meeting_id)
        row.start, row.end = change.start, change.end
        row.resource_keys = list(change.resource_keys)
        row.conflict = change.conflict
        row.booking_id = change.booking_id
        row.changed_by = change.by
        row.sequence = (row.sequence or 0) + 1
        if row.status == MeetingStatus.CONFIRMED.value:
            row.status = MeetingStatus.BOOKED.value  # until the calendar event follows
        return _meeting(row)

    def mark_changed(self, meeting_id: int, booking_id: str, by: str) -> None:
        """The relay's row of a change applied here, and who made it."""
        row = self._row(meeting_id)
        row.booking_id, row.changed_by = booking_id, by

    def upcoming_starts(self, now: datetime) -> list[tuple[int, int, datetime]]:
        """(id, invitation id, start) of every meeting that still stands and has not started."""
        query = select(MeetingRow.id, MeetingRow.invitation_id, MeetingRow.start).where(
            MeetingRow.start > now, MeetingRow.status != MeetingStatus.CANCELLED.value
        )
        return [(i, invitation, start) for i, invitation, start in self._session.execute(query)]

    def sequence(self, meeting_id: int) -> int:
        return self._row(meeting_id).sequence or 0

    def _row(self, meeting_id: int) -> MeetingRow:
        row = self._session.get(MeetingRow, meeting_id)
        if row is None:
            raise NotFound(f"There is no meeting {meeting_id}.")
        return row

    def list(self, search: str = "", since: datetime | None = None) -> list[Meeting]:
        query = select(MeetingRow).order_by(MeetingRow.start)
        if since is not None:
            query = query.where(MeetingRow.end > since)
        if search.strip():
            pattern = f"%{search.strip()}%"
            query = query.where(
                or_(
                    MeetingRow.subject.ilike(pattern),
                    MeetingRow.participant_name.ilike(pattern),
                    MeetingRow.participant_email.ilike(pattern),
                )
            )
        return [_meeting(r) for r in self._session.scalars(query)]


class Drafts:
    """Wizard state saved part-way, as the wizard's own JSON."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(
        self, state: dict[str, Any], title: str, now: datetime, draft_id: int | None = None
    ) -> int:
        row = self._session.get(DraftRow, draft_id) if draft_id is not None else None
        if row is None:
            row = DraftRow()
            self._session.add(row)
        row.state, row.title, row.updated_at = state, title, now
        self._session.flush()
        return row.id

    def list(self) -> list[tuple[int, str, datetime]]:
        rows = self._session.scalars(select(DraftRow).order_by(DraftRow.updated_at.desc()))
        return [(r.id, r.title, r.updated_at) for r in rows]

    def load(self, draft_id: int) -> dict[str, Any]:
        row = self._session.get(DraftRow, draft_id)
        if row is None:
            raise NotFound(f"There is no draft {draft_id}.")
        return dict(row.state)

    def delete(self, draft_id: int) -> None:
        row = self._session.get(DraftRow, draft_id)
        if row is not None:
            self._session.delete(row)
