"""Booking receipts to customers, through the relay operator's own SMTP server.

Off by default. When the operator sets ``receipt_smtp_host`` (and a From
address), every booking of an offer that carries the customer's address queues
one receipt in the ``receipts`` table, in the booking's own transaction: the
receipt exists exactly when the booking does, and survives a restart. Any
worker of any host sends the due ones: it claims a row first (an UPDATE only
one worker can win), sends with the standard library's smtplib in a thread, and
marks it sent. A pick held while the organizer's desktop re-checks it (``recheck``)
gets its receipt once it stands: not before the verdict or the deadline, and
never if the hold is released (the booking goes, and its receipt with it). A
4xx or a lost connection is retried with capped backoff for a
day; a 5xx is kept as failed with its reason. The organizer's calendar
credentials play no part: the receipt is the relay's own email.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Connection, Engine, and_, exists, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from inviteonce_desktop.core.errors import ValidationError

from .booking_record import Booking
from .clock import Clock
from .offer_store import OfferRecord
from .presentation import when_parts
from .schema import booking_rechecks, receipts
from .settings import RelaySettings

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0
"""How often a worker looks for receipts queued by other workers or before a restart."""
CLAIM_SECONDS = 120
GIVE_UP_SECONDS = 86400
MAX_BACKOFF_SECONDS = 900
SMTP_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class ReceiptServer:
    host: str
    port: int
    security: str
    username: str
    password: str
    sender: str

    @classmethod
    def of(cls, settings: RelaySettings) -> ReceiptServer | None:
        """The operator's SMTP server from *settings*; None when receipts are off."""
        if not settings.receipts:
            return None
        settings.check_receipts()
        password = settings.receipt_smtp_password
        if settings.receipt_smtp_password_file:
            try:
                text = Path(settings.receipt_smtp_password_file).read_text("utf-8")
            except (OSError, UnicodeError):
                raise ValidationError(
                    f"The receipt SMTP password file {settings.receipt_smtp_password_file} "
                    "cannot be read."
                ) from None
            password = text.splitlines()[0] if text else ""
        return cls(
            settings.receipt_smtp_host,
            settings.receipt_smtp_port,
            settings.receipt_smtp_security,
            settings.receipt_smtp_username,
            password,
            settings.receipt_from,
        )


class ReceiptRefused(Exception):
    """The mail server refused the receipt for good (a 5xx)."""


class ReceiptDelayed(Exception):
    """The mail server said "later" (a 4xx) or could not be reached."""


def compose(record: OfferRecord, booking: Booking, sender: str, base_url: str) -> EmailMessage:
    """The receipt: plain text and HTML, the meeting's time in the customer's zone."""
    offer = record.offer
    assert offer.customer_email is not None
    when = when_parts(booking.start, booking.end, booking.customer_time_zone)
    host = urlsplit(base_url).hostname or "inviteonce.invalid"
    digest = hashlib.sha256(f"{record.salt}:{booking.id}".encode()).hexdigest()[:16]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((offer.customer_name, offer.customer_email))
    message["Subject"] = f"Booked: {offer.subject}"
    message["Date"] = formatdate(booking.booked_at, usegmt=True)
    message["Message-ID"] = f"<receipt.{booking.id}.{digest}@{host}>"
    message["Auto-Submitted"] = "auto-generated"
    where = f"Where: {offer.location}\n" if offer.location else ""
    greeting = f"Hello {offer.customer_name}," if offer.customer_name else "Hello,"
    message.set_content(
        f"{greeting}\n\n"
        f"your meeting with {offer.organizer_name} is booked.\n\n"
        f"{offer.subject}\n"
        f"When: {when.day}, {when.times}\n"
        f"Time zone: {when.zone_label}\n"
        f"{where}\n"
        f"{offer.organizer_name}'s confirmation and calendar invitation follow separately.\n"
        "This receipt was sent automatically; replies are not read.\n"
    )
    e = html.escape
    location = f"<p>Where: {e(offer.location)}</p>" if offer.location else ""
    message.add_alternative(
        "<!doctype html><html><body>"
        f"<p>{e(greeting)}</p>"
        f"<p>your meeting with {e(offer.organizer_name)} is booked.</p>"
        f'<h1 style="font-size:1.2em">{e(offer.subject)}</h1>'
        f"<p><strong>{e(when.day)}, {e(when.times)}</strong><br>{e(when.zone_label)}</p>"
        f"{location}"
        f"<p>{e(offer.organizer_name)}'s confirmation and calendar invitation follow "
        "separately.</p>"
        '<p style="color:#666">This receipt was sent automatically; replies are not read.</p>'
        "</body></html>",
        subtype="html",
    )
    return message


def _deliver(server: ReceiptServer, message: EmailMessage) -> None:
    """Sends *message*; ReceiptDelayed or ReceiptRefused when it was not accepted."""
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if server.security == "tls":
            client = smtplib.SMTP_SSL(
                server.host, server.port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT)
        with client:
            client.ehlo()
            if server.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if server.username:
                client.login(server.username, server.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as refused:
        codes = [code for code, _text in refused.recipients.values()]
        _raise_for(min(codes) if codes else 550, "refused the recipient")
    except smtplib.SMTPResponseException as answer:
        _raise_for(answer.smtp_code, "answered")
    except (smtplib.SMTPException, OSError) as problem:
        raise ReceiptDelayed(
            f"The mail server {server.host}:{server.port} could not be reached "
            f"({type(problem).__name__})."
        ) from None


def _raise_for(code: int, what: str) -> None:
    if 400 <= code < 500:
        raise ReceiptDelayed(f"The mail server {what} {code}; it is tried again later.")
    raise ReceiptRefused(f"The mail server {what} {code}.")


class Receipts:
    """The relay's receipt outbox: queued with a booking, sent once by any worker."""

    def __init__(self, engine: Engine, server: ReceiptServer, base_url: str, clock: Clock) -> None:
        self._engine = engine
        self._server = server
        self._base_url = base_url
        self._clock = clock
        self._wake: asyncio.Event | None = None

    def queue(self, connection: Connection, booking: Booking, record: OfferRecord) -> None:
        """In the booking's transaction: one receipt for it, if the offer names the customer."""
        if record.offer.customer_email is None:
            return
        message = compose(record, booking, self._server.sender, self._base_url)
        now = int(self._clock())
        connection.execute(
            insert(receipts).values(
                booking_id=booking.id,
                recipient=record.offer.customer_email,
                message=message.as_string(),
                created_at=now,
                next_attempt_at=now,
                attempts=0,
            )
        )

    def wake(self) -> None:
        """A booking was made in this process: send its receipt now, not at the next look."""
        if self._wake is not None:
            self._wake.set()

    def send_due(self) -> int:
        """Sends every due receipt this worker can claim; how many went out."""
        now = int(self._clock())
        due = (
            select(receipts.c.booking_id)
            .where(
                receipts.c.sent_at.is_(None),
                receipts.c.failed.is_(None),
                receipts.c.next_attempt_at <= now,
                or_(receipts.c.claimed_until.is_(None), receipts.c.claimed_until < now),
                ~self._held(),
            )
            .order_by(receipts.c.next_attempt_at)
            .limit(50)
        )
        with self._engine.connect() as connection:
            ids = list(connection.execute(due).scalars())
        return sum(1 for booking_id in ids if self._send_one(booking_id, now))

    def _send_one(self, booking_id: int, now: int) -> bool:
        claim = (
            update(receipts)
            .where(
                and_(
                    receipts.c.booking_id == booking_id,
                    receipts.c.sent_at.is_(None),
                    receipts.c.failed.is_(None),
                    receipts.c.next_attempt_at <= now,
                    or_(receipts.c.claimed_until.is_(None), receipts.c.claimed_until < now),
                    ~self._held(),
                )
            )
            .values(claimed_until=now + CLAIM_SECONDS, attempts=receipts.c.attempts + 1)
            .returning(receipts.c.message, receipts.c.attempts, receipts.c.created_at)
        )
        with self._writing() as connection:
            row = connection.execute(claim).first()
        if row is None:
            return False  # another worker has it
        message = message_from_string(row.message, policy=policy.default)
        assert isinstance(message, EmailMessage)
        done: dict[str, object]
        try:
            _deliver(self._server, message)
            done = {"sent_at": int(self._clock()), "claimed_until": None}
        except ReceiptDelayed as later:
            log.info("Receipt for booking %s put off: %s", booking_id, later)
            if now - row.created_at >= GIVE_UP_SECONDS:
                done = {"failed": str(later), "claimed_until": None}
            else:
                wait = min(MAX_BACKOFF_SECONDS, 2 ** min(row.attempts, 10))
                done = {"next_attempt_at": now + wait, "claimed_until": None}
        except ReceiptRefused as refused:
            log.warning("Receipt for booking %s refused: %s", booking_id, refused)
            done = {"failed": str(refused), "claimed_until": None}
        with self._writing() as connection:
            connection.execute(
                update(receipts).where(receipts.c.booking_id == booking_id).values(**done)
            )
        return "sent_at" in done

    def _held(self) -> ColumnElement[bool]:
        """The receipt's booking is a hold still waiting for its verdict, within its deadline."""
        return exists().where(
            booking_rechecks.c.booking_id == receipts.c.booking_id,
            booking_rechecks.c.verdict.is_(None),
            booking_rechecks.c.deadline_ms > int(self._clock() * 1000),
        )

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction that takes SQLite's lock up front (waiting, never failing)."""
        with self._engine.connect().execution_options(immediate=True) as connection:
            with connection.begin():
                yield connection

    async def run(self) -> None:
        """Sends receipts as bookings come, and looks for others' every few seconds."""
        self._wake = asyncio.Event()
        while True:
            try:
                await run_in_threadpool(self.send_due)
            except SQLAlchemyError:
                pass  # the database is busy or away; the next round tries again
            try:
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
            except TimeoutError:
                pass
            self._wake.clear()
