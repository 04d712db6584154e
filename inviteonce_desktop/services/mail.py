"""Sending email: over SMTP (aiosmtplib) or a connected account (see ``mail_accounts``).

    MailError
    ├── MailNotConfigured    no way to send is set up yet
    ├── MailUnavailable      the server cannot be reached right now (retry later)
    └── MailRejected         the server refused the message or the login

Messages carry a deterministic Message-ID, so a retry after a crash is
recognisable as the same message. The password never appears in a message.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from email.message import EmailMessage


SENDING_KINDS = ("google", "microsoft", "exchange")
"""Kinds of connected calendar account that can send mail as their user."""


class MailError(Exception):
    """Sending failed; the message is one sentence."""


class MailNotConfigured(MailError):
    pass


class MailUnavailable(MailError):
    pass


class MailRejected(MailError):
    pass


class Security(StrEnum):
    STARTTLS = "starttls"
    TLS = "tls"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: Security = Security.STARTTLS
    username: str = ""
    timeout: float = 20.0


class MailTransport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    """Sends through an SMTP server; the password is handed in, never stored here."""

    def __init__(self, settings: SmtpSettings, password: str | None = None) -> None:
        self._settings = settings
        self._password = password

    async def send(self, message: EmailMessage) -> None:
        import aiosmtplib

        s = self._settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.host,
                port=s.port,
                username=s.username or None,
                password=self._password if s.username else None,
                use_tls=s.security == Security.TLS,
                start_tls=True if s.security == Security.STARTTLS else False,
                timeout=s.timeout,
                tls_context=ssl.create_default_context(),
            )
        except aiosmtplib.SMTPAuthenticationError:
            raise MailRejected(
                f"The mail server {s.host} refused the login; check the user name and password."
            ) from None
        except aiosmtplib.SMTPRecipientsRefused:
            raise MailRejected(f"The mail server {s.host} refused the recipient.") from None
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, OSError):
            raise MailUnavailable(f"The mail server {s.host}:{s.port} cannot be reached.") from None
        except aiosmtplib.SMTPResponseException as error:
            if 400 <= error.code < 500:
                raise MailUnavailable(
                    f"The mail server {s.host} asked to try again later ({error.code})."
                ) from None
            raise MailRejected(
                f"The mail server {s.host} refused the message ({error.code})."
            ) from None
        except aiosmtplib.SMTPException:
            raise MailUnavailable(f"Sending through {s.host} failed; it will be retried.") from None


class NoTransport:
    """What sends when nothing is set up: it says so."""

    async def send(self, message: EmailMessage) -> None:
        raise MailNotConfigured("Mail sending is not set up yet; set it up in Settings, Mail.")
