"""The invitation and every setting of the wizard, and its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from .errors import ValidationError
from .reminders import reminder_offsets
from .timeframe import TimeFrame
from .timezones import require_aware, zone
from .validation import clean_name, validate_duration, validate_email


class MeetingType(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"

    @property
    def label(self) -> str:
        return {"in_person": "In person", "phone": "Phone call", "video": "Video call"}[self]


class SendMode(StrEnum):
    EMAIL = "email"
    LINKS = "links"


class TimeZoneConversion(StrEnum):
    CUSTOMER = "customer"
    """Times are shown in the customer's own zone, detected by the booking page."""
    FIXED = "fixed"
    """Times are shown in one fixed zone (the organizer's by default)."""


class Visibility(StrEnum):
    DEFAULT = "default"
    PUBLIC = "public"
    PRIVATE = "private"


class ConferencingPlacement(StrEnum):
    LOCATION = "location"
    BODY = "body"


class InvitationStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


_TRANSITIONS: dict[InvitationStatus, frozenset[InvitationStatus]] = {
    InvitationStatus.DRAFT: frozenset({InvitationStatus.PENDING, InvitationStatus.CANCELLED}),
    InvitationStatus.PENDING: frozenset(
        {InvitationStatus.SCHEDULED, InvitationStatus.CANCELLED, InvitationStatus.EXPIRED}
    ),
    InvitationStatus.SCHEDULED: frozenset({InvitationStatus.CANCELLED}),
    InvitationStatus.CANCELLED: frozenset(),
    InvitationStatus.EXPIRED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Participant:
    """The external participant: the customer who picks the time."""

    name: str
    email: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_name(self.name, "participant's name"))
        object.__setattr__(self, "email", validate_email(self.email))


@dataclass(frozen=True, slots=True)
class MeetingDetails:
    """Step 1 of the wizard."""

    subject: str
    duration: timedelta
    team_member_ids: tuple[int, ...]
    description: str = ""
    conferencing: str = ""
    meeting_type: MeetingType = MeetingType.VIDEO
    location: str = ""
    room_ids: tuple[int, ...] = ()
    pool_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject", clean_name(self.subject, "subject", 255))
        validate_duration(self.duration)
        if not self.team_member_ids:
            raise ValidationError("Choose at least one team member.")
        if len(self.description) > 10_000:
            raise ValidationError("The description is longer than 10,000 characters.")
        if "\r" in self.location or "\n" in self.location:
            raise ValidationError("The location cannot contain line breaks.")


MAX_CHANGE_LEAD = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Confirmation:
    add_to_calendar_event: bool = True
    send_confirmation_email: bool = True
    change_lead: timedelta | None = None
    """Until how long before the start the customer may reschedule or cancel with their
    manage link; None until the invitation is created (then: the Settings default)."""

    def __post_init__(self) -> None:
        lead = self.change_lead
        if lead is not None and not timedelta(0) <= lead <= MAX_CHANGE_LEAD:
            raise ValidationError(
                f"The change lead time must be between 0 and {MAX_CHANGE_LEAD.days} days."
            )


@dataclass(frozen=True, slots=True)
class CalendarChoice:
    """The calendar that gets a meeting's event.

    ``account_id`` None is the built-in calendar; ``calendar_id`` None is the
    connected account's own calendar (its default one).
    """

    account_id: int | None = None
    calendar_id: str | None = None

    @property
    def built_in(self) -> bool:
        return self.account_id is None

    def key(self) -> str:
        """A stable text form: ``built-in``, ``3`` or ``3/<calendar id>``."""
        if self.account_id is None:
            return BUILT_IN_KEY
        return f"{self.account_id}/{self.calendar_id}" if self.calendar_id else str(self.account_id)

    @classmethod
    def from_key(cls, key: str) -> CalendarChoice:
        if key == BUILT_IN_KEY:
            return cls()
        account, _, calendar = key.partition("/")
        if not account.isdigit():
            raise ValidationError(f"'{key}' does not name a calendar.")
        return cls(int(account), calendar or None)


BUILT_IN_KEY = "built-in"
BUILT_IN_CALENDAR = CalendarChoice()


@dataclass(frozen=True, slots=True)
class CalendarEventSettings:
    title_template: str = "{subject} with {participant}"
    calendar: CalendarChoice | None = None
    """None: the organizer's default calendar when the meeting is booked."""
    invite_customer: bool = True
    visibility: Visibility = Visibility.DEFAULT
    conferencing_placement: ConferencingPlacement = ConferencingPlacement.BODY

    def title(self, subject: str, participant: Participant) -> str:
        text = self.title_template.replace("{subject}", subject)
        text = text.replace("{participant}", participant.name)
        return " ".join(text.split()) or subject


@dataclass(frozen=True, slots=True)
class AdvancedSettings:
    time_zone_conversion: TimeZoneConversion = TimeZoneConversion.CUSTOMER
    fixed_time_zone: str | None = None
    event: CalendarEventSettings = field(default_factory=CalendarEventSettings)

    def __post_init__(self) -> None:
        if self.fixed_time_zone is not None:
            zone(self.fixed_time_zone)


@dataclass(frozen=True, slots=True)
class Notifications:
    """Step 3 of the wizard."""

    send_mode: SendMode = SendMode.EMAIL
    promoted_slots: tuple[datetime, ...] = ()
    confirmation: Confirmation = field(default_factory=Confirmation)
    advanced: AdvancedSettings = field(default_factory=AdvancedSettings)
    reminders: tuple[timedelta, ...] | None = None
    """How long before the meeting the customer is reminded, earliest first; None: the
    workspace's default, which the invitation takes when it is saved."""

    def __post_init__(self) -> None:
        for start in self.promoted_slots:
            require_aware(start, "promoted slot")
        if self.reminders is not None:
            object.__setattr__(self, "reminders", reminder_offsets(self.reminders))


@dataclass(frozen=True, slots=True)
class Invitation:
    participant: Participant
    details: MeetingDetails
    time_frame: TimeFrame
    notifications: Notifications = field(default_factory=Notifications)
    status: InvitationStatus = InvitationStatus.DRAFT
    id: int | None = None
    token: str | None = None
    created_at: datetime | None = None
    expires_at: datetime | None = None

    def moved_to(self, status: InvitationStatus) -> Invitation:
        """This invitation in *status*, if the lifecycle allows the move."""
        if status == self.status:
            return self
        if status not in _TRANSITIONS[self.status]:
            raise ValidationError(f"A {self.status} invitation cannot become {status}.")
        return replace(self, status=status)
