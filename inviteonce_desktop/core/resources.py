"""Team members, rooms and resource pools, and the keys that name them."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValidationError
from .hours import WeeklyHours
from .timezones import zone
from .validation import clean_name, validate_email

MAX_CAPACITY = 100_000


def member_key(member_id: int) -> str:
    return f"member:{member_id}"


def room_key(room_id: int) -> str:
    return f"room:{room_id}"


def pool_key(pool_id: int) -> str:
    return f"pool:{pool_id}"


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A colleague who attends every meeting of an invitation that names them."""

    name: str
    email: str
    id: int | None = None
    time_zone: str | None = None
    working_hours: WeeklyHours | None = None
    calendar_account_id: int | None = None
    calendar_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_name(self.name, "team member's name"))
        object.__setattr__(self, "email", validate_email(self.email))
        if self.time_zone is not None:
            zone(self.time_zone)

    @property
    def key(self) -> str:
        assert self.id is not None, "an unsaved team member has no key"
        return member_key(self.id)


@dataclass(frozen=True, slots=True)
class Room:
    """A meeting room, booked like a team member."""

    name: str
    email: str | None = None
    id: int | None = None
    capacity: int | None = None
    calendar_account_id: int | None = None
    calendar_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_name(self.name, "room's name"))
        if self.capacity is not None and self.capacity > MAX_CAPACITY:
            raise ValidationError(f"A room's capacity cannot be more than {MAX_CAPACITY:,}.")
        if self.email is not None:
            object.__setattr__(self, "email", validate_email(self.email))

    @property
    def key(self) -> str:
        assert self.id is not None, "an unsaved room has no key"
        return room_key(self.id)


@dataclass(frozen=True, slots=True)
class ResourcePool:
    """A set of interchangeable resources: any one free member will do."""

    name: str
    member_keys: tuple[str, ...] = ()
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_name(self.name, "pool's name"))

    @property
    def key(self) -> str:
        assert self.id is not None, "an unsaved pool has no key"
        return pool_key(self.id)
