"""Everything the wizard's fields hold, as plain values.

A half-filled wizard is saved as a draft from :meth:`WizardState.to_dict`;
:meth:`WizardState.invitation` builds the validated invitation, raising a
ValidationError with one sentence when a field is wrong.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from ...application.schedules import SlotRequest
from ...core.hours import WeeklyHours
from ...core.invitation import (
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
from ...core.timeframe import TimeFrame

DEFAULT_HOURS = "Mon-Fri 09:00-17:00"


@dataclass
class WizardState:
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
    time_zone_conversion: str = TimeZoneConversion.CUSTOMER.value
    fixed_time_zone: str | None = None
    event_title: str = CalendarEventSettings().title_template
    calendar: str | None = None
    """The key of the calendar the meeting goes to (CalendarChoice.key); None: the default."""
    invite_customer: bool = True
    visibility: str = Visibility.DEFAULT.value
    conferencing_placement: str = ConferencingPlacement.BODY.value

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WizardState:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_invitation(cls, invitation: Invitation) -> WizardState:
        details, frame, notes = invitation.details, invitation.time_frame, invitation.notifications
        advanced = notes.advanced
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
            time_zone_conversion=advanced.time_zone_conversion.value,
            fixed_time_zone=advanced.fixed_time_zone,
            event_title=advanced.event.title_template,
            calendar=advanced.event.calendar.key() if advanced.event.calendar else None,
            invite_customer=advanced.event.invite_customer,
            visibility=advanced.event.visibility.value,
            conferencing_placement=advanced.event.conferencing_placement.value,
        )

    def title(self) -> str:
        who = self.participant_name.strip() or "someone"
        return f"{self.subject.strip() or 'Meeting'} with {who}"

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
            meeting_type=MeetingType(self.meeting_type),
            location=self.location,
            room_ids=tuple(self.room_ids),
            pool_ids=tuple(self.pool_ids),
        )

    def time_frame(self) -> TimeFrame:
        ranged = self.rolling_days is None
        return TimeFrame(
            time_zone=self.time_zone,
            weekly_hours=WeeklyHours.parse(self.weekly_hours),
            start_date=date.fromisoformat(self.start_date) if ranged and self.start_date else None,
            end_date=date.fromisoformat(self.end_date) if ranged and self.end_date else None,
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
        conversion = TimeZoneConversion(self.time_zone_conversion)
        return Notifications(
            send_mode=SendMode(self.send_mode),
            promoted_slots=tuple(datetime.fromisoformat(s) for s in self.promoted_slots),
            confirmation=Confirmation(self.add_to_calendar_event, self.send_confirmation_email),
            advanced=AdvancedSettings(
                time_zone_conversion=conversion,
                fixed_time_zone=(
                    self.fixed_time_zone if conversion == TimeZoneConversion.FIXED else None
                ),
                event=CalendarEventSettings(
                    title_template=self.event_title,
                    calendar=CalendarChoice.from_key(self.calendar) if self.calendar else None,
                    invite_customer=self.invite_customer,
                    visibility=Visibility(self.visibility),
                    conferencing_placement=ConferencingPlacement(self.conferencing_placement),
                ),
            ),
        )

    def invitation(self) -> Invitation:
        return Invitation(
            self.participant(), self.details(), self.time_frame(), self.notifications()
        )


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)
