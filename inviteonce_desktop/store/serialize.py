"""Core objects to and from the JSON documents kept in the database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ..core.event_ref import MeetingEventRef
from ..core.hours import WeeklyHours
from ..core.invitation import (
    AdvancedSettings,
    CalendarChoice,
    CalendarEventSettings,
    ConferencingPlacement,
    Confirmation,
    MeetingDetails,
    MeetingType,
    Notifications,
    SendMode,
    TimeZoneConversion,
    Visibility,
)
from ..core.timeframe import TimeFrame


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


def _optional_minutes(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)


def time_frame_to_json(frame: TimeFrame) -> dict[str, Any]:
    return {
        "time_zone": frame.time_zone,
        "weekly_hours": frame.weekly_hours.to_json(),
        "start_date": frame.start_date.isoformat() if frame.start_date else None,
        "end_date": frame.end_date.isoformat() if frame.end_date else None,
        "rolling_days": frame.rolling_days,
        "slot_interval_minutes": _minutes(frame.slot_interval),
        "minimum_notice_minutes": _minutes(frame.minimum_notice),
        "buffer_before_minutes": _minutes(frame.buffer_before),
        "buffer_after_minutes": _minutes(frame.buffer_after),
    }


def time_frame_from_json(data: dict[str, Any]) -> TimeFrame:
    return TimeFrame(
        time_zone=data["time_zone"],
        weekly_hours=WeeklyHours.from_json(data["weekly_hours"]),
        start_date=date.fromisoformat(data["start_date"]) if data.get("start_date") else None,
        end_date=date.fromisoformat(data["end_date"]) if data.get("end_date") else None,
        rolling_days=data.get("rolling_days"),
        slot_interval=timedelta(minutes=data["slot_interval_minutes"]),
        minimum_notice=timedelta(minutes=data["minimum_notice_minutes"]),
        buffer_before=timedelta(minutes=data["buffer_before_minutes"]),
        buffer_after=timedelta(minutes=data["buffer_after_minutes"]),
    )


def details_to_json(details: MeetingDetails) -> dict[str, Any]:
    return {
        "subject": details.subject,
        "duration_minutes": _minutes(details.duration),
        "team_member_ids": list(details.team_member_ids),
        "description": details.description,
        "conferencing": details.conferencing,
        "meeting_type": details.meeting_type.value,
        "location": details.location,
        "room_ids": list(details.room_ids),
        "pool_ids": list(details.pool_ids),
    }


def details_from_json(data: dict[str, Any]) -> MeetingDetails:
    return MeetingDetails(
        subject=data["subject"],
        duration=timedelta(minutes=data["duration_minutes"]),
        team_member_ids=tuple(data["team_member_ids"]),
        description=data.get("description", ""),
        conferencing=data.get("conferencing", ""),
        meeting_type=MeetingType(data.get("meeting_type", "video")),
        location=data.get("location", ""),
        room_ids=tuple(data.get("room_ids", ())),
        pool_ids=tuple(data.get("pool_ids", ())),
    )


def notifications_to_json(value: Notifications) -> dict[str, Any]:
    event = value.advanced.event
    return {
        "send_mode": value.send_mode.value,
        "promoted_slots": [s.isoformat() for s in value.promoted_slots],
        "add_to_calendar_event": value.confirmation.add_to_calendar_event,
        "send_confirmation_email": value.confirmation.send_confirmation_email,
        "change_lead_minutes": (
            None
            if value.confirmation.change_lead is None
            else _minutes(value.confirmation.change_lead)
        ),
        "time_zone_conversion": value.advanced.time_zone_conversion.value,
        "fixed_time_zone": value.advanced.fixed_time_zone,
        "event": {
            "title_template": event.title_template,
            "calendar": None if event.calendar is None else event.calendar.key(),
            "invite_customer": event.invite_customer,
            "visibility": event.visibility.value,
            "conferencing_placement": event.conferencing_placement.value,
        },
        "reminder_minutes": None
        if value.reminders is None
        else [_minutes(r) for r in value.reminders],
    }


def notifications_from_json(data: dict[str, Any]) -> Notifications:
    event = data.get("event", {})
    return Notifications(
        send_mode=SendMode(data.get("send_mode", "email")),
        promoted_slots=tuple(datetime.fromisoformat(s) for s in data.get("promoted_slots", ())),
        confirmation=Confirmation(
            add_to_calendar_event=data.get("add_to_calendar_event", True),
            send_confirmation_email=data.get("send_confirmation_email", True),
            change_lead=_optional_minutes(data.get("change_lead_minutes")),
        ),
        advanced=AdvancedSettings(
            time_zone_conversion=TimeZoneConversion(data.get("time_zone_conversion", "customer")),
            fixed_time_zone=data.get("fixed_time_zone"),
            event=CalendarEventSettings(
                title_template=event.get("title_template", "{subject} with {participant}"),
                calendar=_calendar_choice(event),
                invite_customer=event.get("invite_customer", True),
                visibility=Visibility(event.get("visibility", "default")),
                conferencing_placement=ConferencingPlacement(
                    event.get("conferencing_placement", "body")
                ),
            ),
        ),
        reminders=_reminders(data),
    )


def _reminders(data: dict[str, Any]) -> tuple[timedelta, ...] | None:
    """The stored reminders; an invitation saved before reminders existed has none."""
    if "reminder_minutes" not in data:
        return ()
    minutes = data["reminder_minutes"]
    return None if minutes is None else tuple(timedelta(minutes=int(m)) for m in minutes)


def _calendar_choice(event: dict[str, Any]) -> CalendarChoice | None:
    """The stored choice; invitations saved before the default calendar existed use the default."""
    key = event.get("calendar")
    return CalendarChoice.from_key(key) if isinstance(key, str) else None


def event_ref_to_json(ref: MeetingEventRef) -> dict[str, Any]:
    return {
        "account_id": ref.account_id,
        "calendar_id": ref.calendar_id,
        "provider_id": ref.provider_id,
        "uid": ref.uid,
        "join_url": ref.join_url,
        "web_link": ref.web_link,
        "kind": ref.kind,
        "extra": dict(ref.extra),
    }


def event_ref_from_json(data: dict[str, Any]) -> MeetingEventRef:
    return MeetingEventRef(
        account_id=data.get("account_id"),
        calendar_id=str(data["calendar_id"]),
        provider_id=str(data["provider_id"]),
        uid=str(data["uid"]),
        join_url=data.get("join_url"),
        web_link=data.get("web_link"),
        kind=str(data.get("kind") or ""),
        extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
    )
