"""The exception tree of the domain.

DomainError                 a user's mistake, shown as one sentence
├── ValidationError         bad input (a malformed email, an end before a start)
│   └── UnknownTimeZone     a zone name that the tz database does not know
├── NotFound                an unknown team member, room, pool or invitation
└── NoAvailableSlots        an invitation whose time frame offers nothing
"""

from __future__ import annotations


class DomainError(Exception):
    """A problem the user can fix; its message is one clear sentence."""


class ValidationError(DomainError, ValueError):
    """Input that does not make sense."""


class UnknownTimeZone(ValidationError):
    """A time zone name that is not in the tz database."""


class NotFound(DomainError, LookupError):
    """Something named by the user does not exist."""


class NoAvailableSlots(DomainError):
    """The time frame offers no slot; the message says why."""
