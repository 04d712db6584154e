"""Sending email: over SMTP (aiosmtplib) or a connected account (see ``mail_accounts``).

    MailError
    ├── MailNotConfigured    no way to send is set up yet
    ├── MailUnavailable      not sent; the server cannot be reached or said "later" (retry)
    │   └── MailOutcomeUnknown   handed over, but no answer came: it may have been sent
    └── MailRejected         the server refused the message or the login

A send hands the message over at one point of no return (SMTP's DATA, the
provider's send request) and calls ``handing_over`` just before it, so the
caller can record that an unanswered send may have gone out. A transport whose
account keeps what it sends offers a :class:`SentFolder` to look a message up
by its Message-ID before sending it again.

Messages carry a deterministic Message-ID, so a retry after a crash is
recognisable as the same message. The password never appears in a message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import getaddresses
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from .tls import mail_tls_context

if TYPE_CHECKING:
    from email.message import EmailMessage


SENDING_KINDS = ("google", "microsoft", "exchange")
"""Kinds of connected calendar account that can send mail as their user."""

HandingOver = Callable[[], Awaitable[None]]
"""Called once, just before the message is handed over for good."""


class MailError(Exception):
    """Sending failed; the message is one sentence."""


class MailNotConfigured(MailError):
    pass


class MailUnavailable(MailError):
    pass


class MailOutcomeUnknown(MailUnavailable):
    """The message was handed over and no answer came; it may have been sent."""


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


class SentFolder(Protocol):
    """Where an account keeps what it sent, searchable by Message-ID."""

    name: str
    """Said in the history: "the Gmail Sent folder"."""

    async def contains(self, message_id: str) -> bool:
        """True when a message with *message_id* is there; raises MailUnavailable if unknown."""
        ...


class MailTransport(Protocol):
    async def send(
        self, message: EmailMessage, handing_over: HandingOver | None = None
    ) -> None: ...

    def sent_folder(self) -> SentFolder | None:
        """Where to look a message up after an unknown outcome; None when nowhere."""
        ...


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The envelope sender and recipients of *message*, from its From, To and Cc."""
    sender = getaddresses([str(message.get("From", ""))])
    recipients = getaddresses(
        [str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])]
    )
    return (sender[0][1] if sender else ""), [address for _, address in recipients if address]


def wire_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire, with CRLF line ends."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


async def _nothing() -> None:
    return None


class SmtpTransport:
    """Sends through an SMTP server, step by step, so each failure is known for what it is.

    Before DATA nothing can have been delivered: a refusal there is certain.
    From DATA on, a reply code says what happened; a dropped connection or a
    timeout says nothing, and is :class:`MailOutcomeUnknown`.
    """

    def __init__(
        self,
        settings: SmtpSettings,
        password: str | None = None,
        sent: SentFolder | None = None,
    ) -> None:
        self._settings = settings
        self._password = password
        self._sent = sent

    def sent_folder(self) -> SentFolder | None:
        return self._sent

    async def send(self, message: EmailMessage, handing_over: HandingOver | None = None) -> None:
        import aiosmtplib

        s = self._settings
        sender, recipients = envelope(message)
        client = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            use_tls=s.security == Security.TLS,
            start_tls=True if s.security == Security.STARTTLS else False,
            timeout=s.timeout,
            tls_context=None if s.security == Security.NONE else mail_tls_context(),
        )
        try:
            await self._envelope(client, sender, recipients)
            await (handing_over or _nothing)()
            await self._data(client, wire_bytes(message))
        finally:
            client.close()

    async def _envelope(self, client: object, sender: str, recipients: list[str]) -> None:
        import aiosmtplib

        assert isinstance(client, aiosmtplib.SMTP)
        s = self._settings
        try:
            await client.connect()
            if s.username:
                await client.login(s.username, self._password or "")
            await client.mail(sender)
            for recipient in recipients:
                await client.rcpt(recipient)
        except aiosmtplib.SMTPAuthenticationError as error:
            if 400 <= error.code < 500:
                raise self._later(error.code, "the login") from None
            raise MailRejected(
                f"The mail server {s.host} refused the login; check the user name and password."
            ) from None
        except aiosmtplib.SMTPResponseException as error:
            stage = _stage(error)
            if 400 <= error.code < 500:
                raise self._later(error.code, stage) from None
            raise MailRejected(
                f"The mail server {s.host} refused {stage} ({error.code}: {_said(error)})."
            ) from None
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, OSError):
            raise MailUnavailable(f"The mail server {s.host}:{s.port} cannot be reached.") from None
        except aiosmtplib.SMTPServerDisconnected:
            raise MailUnavailable(
                f"The mail server {s.host} closed the connection before the message; "
                "it will be retried."
            ) from None
        except aiosmtplib.SMTPException:
            raise MailUnavailable(f"Sending through {s.host} failed; it will be retried.") from None

    async def _data(self, client: object, content: bytes) -> None:
        import aiosmtplib

        assert isinstance(client, aiosmtplib.SMTP)
        s = self._settings
        try:
            await client.data(content)
        except aiosmtplib.SMTPResponseException as error:
            if 400 <= error.code < 500:
                raise self._later(error.code, "the message") from None
            raise MailRejected(
                f"The mail server {s.host} refused the message ({error.code}: {_said(error)})."
            ) from None
        except (aiosmtplib.SMTPException, OSError):
            raise MailOutcomeUnknown(
                f"The mail server {s.host} took the message but did not confirm it "
                "(the connection dropped)."
            ) from None
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            pass  # the message is accepted; a lost goodbye changes nothing

    def _later(self, code: int, stage: str) -> MailUnavailable:
        return MailUnavailable(
            f"The mail server {self._settings.host} asked to try {stage} again later ({code})."
        )


def _stage(error: BaseException) -> str:
    import aiosmtplib

    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPRecipientsRefused):
        return "the recipient"
    if isinstance(error, aiosmtplib.SMTPSenderRefused):
        return "the sender"
    if isinstance(error, aiosmtplib.SMTPHeloError):
        return "the greeting"
    if isinstance(error, aiosmtplib.SMTPConnectResponseError):
        return "the connection"
    return "the message"


def _said(error: object) -> str:
    message = str(getattr(error, "message", "")).strip().splitlines()
    return message[0][:120] if message else "no reason given"


class NoTransport:
    """What sends when nothing is set up: it says so."""

    async def send(self, message: EmailMessage, handing_over: HandingOver | None = None) -> None:
        raise MailNotConfigured("Mail sending is not set up yet; set it up in Settings, Mail.")

    def sent_folder(self) -> SentFolder | None:
        return None


@dataclass(frozen=True, slots=True)
class ImapSettings:
    """The IMAP side of an SMTP account, whose Sent folder keeps what the server sent."""

    host: str
    port: int = 993
    security: Security = Security.TLS
    username: str = ""
    folder: str = "Sent"
    timeout: float = 20.0


class ImapSentFolder:
    """Searches an IMAP Sent folder by Message-ID (``SEARCH HEADER Message-ID``).

    For SMTP servers that file what they send in the account's Sent folder, as
    Gmail's and Microsoft 365's do; it is read only, never written.
    """

    def __init__(self, settings: ImapSettings, password: str | None) -> None:
        self._settings = settings
        self._password = password
        self.name = f"the {settings.folder} folder on {settings.host}"

    async def contains(self, message_id: str) -> bool:
        import asyncio

        return await asyncio.to_thread(self._search, message_id)

    def _search(self, message_id: str) -> bool:
        import imaplib

        s = self._settings
        try:
            if s.security == Security.TLS:
                client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    s.host, s.port, ssl_context=mail_tls_context(), timeout=s.timeout
                )
            else:
                client = imaplib.IMAP4(s.host, s.port, timeout=s.timeout)
                if s.security == Security.STARTTLS:
                    client.starttls(mail_tls_context())
        except (OSError, imaplib.IMAP4.error):
            raise MailUnavailable(
                f"The mail server {s.host}:{s.port} (IMAP) cannot be reached."
            ) from None
        try:
            client.login(s.username, self._password or "")
            status, _ = client.select(_quoted(s.folder), readonly=True)
            if status != "OK":
                raise MailRejected(f"The mail server {s.host} has no folder called '{s.folder}'.")
            status, found = client.search(None, "HEADER", "Message-ID", _quoted(message_id))
            if status != "OK":
                raise MailUnavailable(f"The mail server {s.host} could not search '{s.folder}'.")
            return any(part.split() for part in found if isinstance(part, bytes))
        except imaplib.IMAP4.error:
            raise MailRejected(
                f"The mail server {s.host} refused the IMAP login; "
                "check the user name and password."
            ) from None
        except OSError:
            raise MailUnavailable(
                f"The mail server {s.host}:{s.port} (IMAP) cannot be reached."
            ) from None
        finally:
            try:
                client.logout()
            except (OSError, imaplib.IMAP4.error):
                pass


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
