"""The organizer's profile."""

from __future__ import annotations

from dataclasses import dataclass

from .timezones import zone
from .validation import clean_name, validate_email


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    email: str
    time_zone: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_name(self.name, "organizer's name"))
        object.__setattr__(self, "email", validate_email(self.email))
        zone(self.time_zone)
