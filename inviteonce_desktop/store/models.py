"""Tables of the workspace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class SettingRow(Base):
    """Workspace settings and the organizer's profile, one JSON value per key."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class CalendarAccountRow(Base):
    __tablename__ = "calendar_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="connected")
    last_refresh: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class MemberRow(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="", server_default="")
    """The name casefolded (:func:`~..core.validation.name_key`), for lookups by name."""
    email: Mapped[str] = mapped_column(String(254), unique=True)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    working_hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    calendar_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("calendar_accounts.id", ondelete="SET NULL")
    )
    calendar_id: Mapped[str | None] = mapped_column(String(500))


class RoomRow(Base):
    __tablename__ = "rooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="", server_default="")
    """The name casefolded (:func:`~..core.validation.name_key`), for lookups by name."""
    email: Mapped[str | None] = mapped_column(String(254))
    capacity: Mapped[int | None]
    calendar_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("calendar_accounts.id", ondelete="SET NULL")
    )
    calendar_id: Mapped[str | None] = mapped_column(String(500))


class PoolRow(Base):
    __tablename__ = "pools"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="", server_default="")
    """The name casefolded (:func:`~..core.validation.name_key`), for lookups by name."""
    members: Mapped[list[PoolMemberRow]] = relationship(
        cascade="all, delete-orphan", order_by="PoolMemberRow.position", lazy="selectin"
    )


class PoolMemberRow(Base):
    __tablename__ = "pool_members"
    pool_id: Mapped[int] = mapped_column(
        ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True
    )
    resource_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class BusyRow(Base):
    """Cached free/busy of a resource, from its calendar or the local calendar."""

    __tablename__ = "busy_cache"
    id: Mapped[int] = mapped_column(primary_key=True)
    resource_key: Mapped[str] = mapped_column(String(40))
    start: Mapped[datetime]
    end: Mapped[datetime]
    __table_args__ = (Index("ix_busy_cache_resource_start", "resource_key", "start"),)


class BusyRefreshRow(Base):
    """When a resource's cached free/busy was last refreshed, and over which range."""

    __tablename__ = "busy_refresh"
    resource_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    fetched_at: Mapped[datetime]
    range_start: Mapped[datetime]
    range_end: Mapped[datetime]
    problem: Mapped[str | None] = mapped_column(Text, default=None)
    """Why the last read failed for this resource; its busy time is unknown until it works."""


class LocalEventRow(Base):
    """An event of the built-in local calendar."""

    __tablename__ = "local_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    start: Mapped[datetime]
    end: Mapped[datetime]
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(500), default="")
    transparent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    organizer_email: Mapped[str | None] = mapped_column(String(254))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str | None] = mapped_column(String(500), index=True)
    """Where an imported event came from (the calendar and file); re-importing replaces them."""
    attendees: Mapped[list[LocalAttendeeRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    __table_args__ = (Index("ix_local_events_start", "start"),)


class LocalAttendeeRow(Base):
    __tablename__ = "local_event_attendees"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("local_events.id", ondelete="CASCADE"))
    calendar_id: Mapped[str] = mapped_column(String(254))
    """The resource key ("member:3") or email address whose calendar holds the event."""
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="required")
    partstat: Mapped[str] = mapped_column(String(20), default="accepted")
    __table_args__ = (
        UniqueConstraint("event_id", "calendar_id"),
        Index("ix_local_event_attendees_calendar", "calendar_id"),
    )


class InvitationRow(Base):
    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    participant_name: Mapped[str] = mapped_column(String(200))
    participant_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    time_frame: Mapped[dict[str, Any]] = mapped_column(JSON)
    notifications: Mapped[dict[str, Any]] = mapped_column(JSON)
    links: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]


class MeetingRow(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    booking_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(500))
    start: Mapped[datetime] = mapped_column(index=True)
    end: Mapped[datetime]
    participant_name: Mapped[str] = mapped_column(String(200))
    participant_email: Mapped[str] = mapped_column(String(254))
    event_uid: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    resource_keys: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conflict: Mapped[str | None] = mapped_column(Text)
    booked_at: Mapped[datetime]
    customer_time_zone: Mapped[str | None] = mapped_column(String(64))
    event_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Where the calendar event was written: provider, calendar and the provider's id."""
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The iCalendar SEQUENCE the customer's copy has; a cancellation sends one more."""
    manage_url: Mapped[str | None] = mapped_column(String(500))
    """The customer's link to reschedule or cancel the meeting on the relay."""
    changed_by: Mapped[str | None] = mapped_column(String(20))
    """Who moved or cancelled the meeting last: "customer" or "organizer"."""


class DraftRow(Base):
    """A wizard filled part-way, saved to finish later."""

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class OutboxRow(Base):
    """Work for the outside world, done exactly once: publishes, emails, calendar writes."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    invitation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The invitation the work belongs to, for its history and its problems."""
    meeting_id: Mapped[int | None] = mapped_column(Integer, index=True)
    handed_over_at: Mapped[datetime | None]
    """When an attempt passed the point of no return (an email's DATA) with no outcome yet."""
    not_before: Mapped[datetime | None]
    """Work that belongs to a later time (a reminder): never done before it, retry or not."""


class HistoryRow(Base):
    """One thing that happened to an invitation: published, emailed, booked, cancelled."""

    __tablename__ = "invitation_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
