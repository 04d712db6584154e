"""The invitation request: what the wizard and the command line both fill.

Both fronts put plain values into one :class:`InvitationRequest`; it builds
the validated invitation, its time frame and its slot request, raising a
ValidationError with one sentence when a value is wrong. A request half filled
is kept as a draft in the same JSON form a template has
(:meth:`InvitationRequest.to_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from ..core.errors import ValidationError
from ..core.hours import WeeklyHours
from ..core.invitation import (
    AdvancedSettings,
    CalendarChoice,
    CalendarEventSettings,
    ConferencingPlacement,
    Confirmation,
    Invitation,
    MeetingDetails,
    MeetingType,
    Notifications,
    Participant,
    SendMode,
    TimeZoneConversion,
    Visibility,
)
from ..core.timeframe import TimeFrame
from .schedules import SlotRequest

DEFAULT_HOURS = "Mon-Fri 09:00-17:00"
E = TypeVar("E", bound=StrEnum)

_DETAILS = (
    "subject",
    "duration_minutes",
    "team_member_ids",
    "description",
    "conferencing",
    "meeting_type",
    "location",
    "room_ids",
    "pool_ids",
)
_TIME_FRAME = (
    "time_zone",
    "weekly_hours",
    "start_date",
    "end_date",
    "rolling_days",
    "slot_interval_minutes",
    "minimum_notice_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
)
_NOTIFICATIONS = (
    "send_mode",
    "promoted_slots",
    "add_to_calendar_event",
    "send_confirmation_email",
    "change_lead_minutes",
    "time_zone_conversion",
    "fixed_time_zone",
    "reminder_minutes",
)
_EVENT = {
    "title_template": "event_title",
    "calendar": "calendar",
    "invite_customer": "invite_customer",
    "visibility": "visibility",
    "conferencing_placement": "conferencing_placement",
}


@dataclass
class InvitationRequest:
    participant_name: str = ""
    participant_email: str = ""
    subject: str = ""
    duration_minutes: int = 30
    team_member_ids: list[int] = field(default_factory=list)
    description: str = ""
    conferencing: str = ""
    meeting_type: str = MeetingType.VIDEO.value
    location: str = ""
    room_ids: list[int] = field(default_factory=list)
    pool_ids: list[int] = field(default_factory=list)
    time_zone: str = "UTC"
    rolling_days: int | None = 14
    start_date: str | None = None
    end_date: str | None = None
    weekly_hours: str = DEFAULT_HOURS
    slot_interval_minutes: int = 30
    minimum_notice_minutes: int = 240
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    send_mode: str = SendMode.EMAIL.value
    promoted_slots: list[str] = field(default_factory=list)
    add_to_calendar_event: bool = True
    send_confirmation_email: bool = True
    change_lead_minutes: int | None = None
    """None: the Settings default, when the invitation is created."""
    time_zone_conversion: str = TimeZoneConversion.CUSTOMER.value
    fixed_time_zone: str | None = None
    event_title: str = CalendarEventSettings().title_template
    calendar: str | None = None
    """The calendar the meeting goes to, as ``CalendarChoice.key()``; None: the organizer's
    default when the customer books."""
    invite_customer: bool = True
    visibility: str = Visibility.DEFAULT.value
    conferencing_placement: str = ConferencingPlacement.BODY.value
    reminder_minutes: list[int] | None = None
    """Minutes before the meeting each reminder goes out; None: the workspace's default."""

    def title(self) -> str:
        who = self.participant_name.strip() or "someone"
        return f"{self.subject.strip() or 'Meeting'} with {who}"

    # The JSON form drafts and templates share

    def to_json(self) -> dict[str, Any]:
        """Nested as the stored invitation's parts are; weekly hours as structured days when
        they parse, as typed otherwise."""
        value = self.__dict__
        frame = {name: value[name] for name in _TIME_FRAME}
        try:
            frame["weekly_hours"] = WeeklyHours.parse(self.weekly_hours).to_json()
        except ValidationError:
            pass
        notifications: dict[str, Any] = {name: value[name] for name in _NOTIFICATIONS}
        notifications["event"] = {key: value[name] for key, name in _EVENT.items()}
        return {
            "participant": {"name": self.participant_name, "email": self.participant_email},
            "details": {name: value[name] for name in _DETAILS},
            "time_frame": frame,
            "notifications": notifications,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InvitationRequest:
        """The request *data* holds; keys it lacks keep their defaults."""
        participant = data.get("participant", {})
        frame = dict(data.get("time_frame", {}))
        hours = frame.get("weekly_hours")
        if isinstance(hours, dict):
            frame["weekly_hours"] = str(WeeklyHours.from_json(hours))
        notifications = dict(data.get("notifications", {}))
        event = notifications.pop("event", {})
        values: dict[str, Any] = {
            "participant_name": participant.get("name", ""),
            "participant_email": participant.get("email", ""),
            **data.get("details", {}),
            **frame,
            **notifications,
            **{_EVENT[key]: v for key, v in event.items() if key in _EVENT},
        }
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    @classmethod
    def from_invitation(cls, invitation: Invitation) -> InvitationRequest:
        details, frame, notes = invitation.details, invitation.time_frame, invitation.notifications
        advanced, event = notes.advanced, notes.advanced.event
        return cls(
            participant_name=invitation.participant.name,
            participant_email=invitation.participant.email,
            subject=details.subject,
            duration_minutes=_minutes(details.duration),
            team_member_ids=list(details.team_member_ids),
            description=details.description,
            conferencing=details.conferencing,
            meeting_type=details.meeting_type.value,
            location=details.location,
            room_ids=list(details.room_ids),
            pool_ids=list(details.pool_ids),
            time_zone=frame.time_zone,
            rolling_days=frame.rolling_days,
            start_date=frame.start_date.isoformat() if frame.start_date else None,
            end_date=frame.end_date.isoformat() if frame.end_date else None,
            weekly_hours=str(frame.weekly_hours),
            slot_interval_minutes=_minutes(frame.slot_interval),
            minimum_notice_minutes=_minutes(frame.minimum_notice),
            buffer_before_minutes=_minutes(frame.buffer_before),
            buffer_after_minutes=_minutes(frame.buffer_after),
            send_mode=notes.send_mode.value,
            promoted_slots=[s.isoformat() for s in notes.promoted_slots],
            add_to_calendar_event=notes.confirmation.add_to_calendar_event,
            send_confirmation_email=notes.confirmation.send_confirmation_email,
            change_lead_minutes=(
                None
                if notes.confirmation.change_lead is None
                else _minutes(notes.confirmation.change_lead)
            ),
            time_zone_conversion=advanced.time_zone_conversion.value,
            fixed_time_zone=advanced.fixed_time_zone,
            event_title=event.title_template,
            calendar=event.calendar.key() if event.calendar else None,
            invite_customer=event.invite_customer,
            visibility=event.visibility.value,
            conferencing_placement=event.conferencing_placement.value,
            reminder_minutes=None
            if notes.reminders is None
            else [_minutes(r) for r in notes.reminders],
        )

    def for_participant(self, participant: Participant) -> InvitationRequest:
        return replace(self, participant_name=participant.name, participant_email=participant.email)

    # Building the domain objects

    def participant(self) -> Participant:
        return Participant(self.participant_name, self.participant_email)

    def details(self) -> MeetingDetails:
        return MeetingDetails(
            subject=self.subject,
            duration=timedelta(minutes=self.duration_minutes),
            team_member_ids=tuple(self.team_member_ids),
            description=self.description,
            conferencing=self.conferencing,
            meeting_type=_choice(MeetingType, self.meeting_type, "meeting type"),
            location=self.location,
            room_ids=tuple(self.room_ids),
            pool_ids=tuple(self.pool_ids),
        )

    def time_frame(self) -> TimeFrame:
        ranged = self.rolling_days is None
        return TimeFrame(
            time_zone=self.time_zone,
            weekly_hours=WeeklyHours.parse(self.weekly_hours),
            start_date=_date(self.start_date) if ranged and self.start_date else None,
            end_date=_date(self.end_date) if ranged and self.end_date else None,
            rolling_days=self.rolling_days,
            slot_interval=timedelta(minutes=self.slot_interval_minutes),
            minimum_notice=timedelta(minutes=self.minimum_notice_minutes),
            buffer_before=timedelta(minutes=self.buffer_before_minutes),
            buffer_after=timedelta(minutes=self.buffer_after_minutes),
        )

    def slot_request(self) -> SlotRequest:
        return SlotRequest(
            team_members=list(self.team_member_ids),
            duration=timedelta(minutes=self.duration_minutes),
            time_frame=self.time_frame(),
            rooms=list(self.room_ids),
            pools=list(self.pool_ids),
        )

    def notifications(self) -> Notifications:
        conversion = _choice(TimeZoneConversion, self.time_zone_conversion, "time zone display")
        return Notifications(
            send_mode=_choice(SendMode, self.send_mode, "way of sending"),
            promoted_slots=tuple(_instant(s) for s in self.promoted_slots),
            confirmation=Confirmation(
                self.add_to_calendar_event,
                self.send_confirmation_email,
                None
                if self.change_lead_minutes is None
                else timedelta(minutes=self.change_lead_minutes),
            ),
            advanced=AdvancedSettings(
                time_zone_conversion=conversion,
                # A fixed zone means something only when the customer is shown fixed times.
                fixed_time_zone=(
                    self.fixed_time_zone if conversion == TimeZoneConversion.FIXED else None
                ),
                event=CalendarEventSettings(
                    title_template=self.event_title,
                    calendar=CalendarChoice.from_key(self.calendar) if self.calendar else None,
                    invite_customer=self.invite_customer,
                    visibility=_choice(Visibility, self.visibility, "visibility"),
                    conferencing_placement=_choice(
                        ConferencingPlacement, self.conferencing_placement, "conferencing place"
                    ),
                ),
            ),
            reminders=None
            if self.reminder_minutes is None
            else tuple(timedelta(minutes=int(m)) for m in self.reminder_minutes),
        )

    def invitation(self) -> Invitation:
        return Invitation(
            self.participant(), self.details(), self.time_frame(), self.notifications()
        )


def slot_request(invitation: Invitation) -> SlotRequest:
    """The slot request of a saved invitation, built as the fronts' requests are."""
    return InvitationRequest.from_invitation(invitation).slot_request()


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"'{text}' is not a date like 2026-12-01.") from None


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"'{text}' is not a date and time like 2026-12-01T09:30.") from None


def _choice(kind: type[E], value: str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise ValidationError(f"'{value}' is not a {what}.") from None
