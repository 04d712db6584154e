"""What can go wrong talking to a calendar.

    CalendarError                 any calendar problem, with the account's name
    ├── ReconnectRequired         the token was revoked or the password changed
    ├── RateLimited               429 / rateLimitExceeded; carries Retry-After
    ├── CalendarUnavailable       the network, a timeout or a 5xx
    ├── CalendarRejected          the server refused the request (4xx other than auth)
    └── MalformedResponse         the server answered something we cannot read

Messages never include tokens, passwords or authorization headers.
"""

from __future__ import annotations


class CalendarError(Exception):
    """A calendar problem; the message is one sentence a user can act on."""


class ReconnectRequired(CalendarError):
    """The account's credentials no longer work: reconnect this calendar."""


class RateLimited(CalendarError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CalendarUnavailable(CalendarError):
    """The calendar service could not be reached or failed; try again later."""


class CalendarRejected(CalendarError):
    """The calendar service refused the request."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class MalformedResponse(CalendarError):
    """The calendar service answered with something unreadable."""
