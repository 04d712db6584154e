"""Telling a user what went wrong, in one sentence, whatever layer it came from."""

from __future__ import annotations

from ..core.errors import DomainError

NETWORK_MESSAGE = "The network cannot be reached; try again when you are back online."


def user_message(error: BaseException) -> str | None:
    """The one sentence to show for an expected failure, or None when *error* is a bug.

    Expected failures are a user's mistake (a DomainError) and the outside world
    (a calendar, the mail server, the relay, the keyring, the network); their
    messages are already written for people and never carry secrets.
    """
    if isinstance(error, DomainError):
        return str(error)
    from ..services.autostart import AutostartError
    from ..services.calendars.errors import CalendarError
    from ..services.calendars.oauth_loopback import SignInCancelled
    from ..services.credentials import CredentialsUnavailable
    from ..services.mail import MailError
    from ..services.relay_client import RelayClientError

    expected = (
        CalendarError,
        MailError,
        RelayClientError,
        CredentialsUnavailable,
        SignInCancelled,
        AutostartError,
    )
    if isinstance(error, expected):
        return str(error) or NETWORK_MESSAGE
    if isinstance(error, ConnectionError | TimeoutError):
        return NETWORK_MESSAGE
    if isinstance(error, OSError):
        reason = error.strerror or "an operating system error"
        return f"The operation failed: {reason}."
    return None
