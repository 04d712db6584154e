"""The organizer's profile."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValidationError
from .languages import DEFAULT_LANGUAGE, LANGUAGES, supported
from .timezones import zone
from .validation import clean_name, validate_email


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    email: str
    time_zone: str
    language: str = DEFAULT_LANGUAGE
    """The language of the emails to customers and the team (a code of LANGUAGES)."""

    def __post_init__(self) -> None:
        code = supported(self.language)
        if code is None:
            choices = ", ".join(LANGUAGES)
            raise ValidationError(f"The email language must be one of {choices}.")
        object.__setattr__(self, "language", code)
        object.__setattr__(self, "name", clean_name(self.name, "organizer's name"))
        object.__setattr__(self, "email", validate_email(self.email))
        zone(self.time_zone)
