"""The relay operator's booking receipts, through aiosmtpd: once each, through 4xx and restarts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.booking import BookingDesk
from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.feed import BookingSignal
from inviteonce_desktop.relay.offer import Offer, Slot
from inviteonce_desktop.relay.offer_store import OfferStore
from inviteonce_desktop.relay.organizers import OrganizerDirectory
from inviteonce_desktop.relay.receipts import Receipts, ReceiptServer
from inviteonce_desktop.relay.recheck import Rechecks
from inviteonce_desktop.relay.schema import receipts
from inviteonce_desktop.relay.settings import RelaySettings
from tests.integration.mail.smtp_faults import FaultySmtp, faulty_smtp, free_port

from .servers import http_client

NOW = 1_800_000_000  # 2027-01-15T08:00:00Z
SENDER = "Bookings <bookings@relay.example>"


def receipt_settings(port: int, password_file: Path) -> RelaySettings:
    return RelaySettings(
        bookings_per_minute=0,
        receipt_smtp_host="127.0.0.1",
        receipt_smtp_port=port,
        receipt_smtp_security="none",
        receipt_smtp_username="relay",
        receipt_smtp_password_file=str(password_file),
        receipt_from=SENDER,
    )


@pytest.fixture
def smtp() -> Iterator[FaultySmtp]:
    with faulty_smtp() as server:
        yield server


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "smtp-password"
    path.write_text("operator-secret\n")
    return path


# -- the outbox, on a clock of its own ------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated relay database of the test's own."""
    name = "postgres_schema_url" if request.param == "postgresql" else "sqlite_url"
    engine = create_relay_engine(request.getfixturevalue(name))
    yield engine
    engine.dispose()


def offer(email: str | None = "carla@example.org") -> Offer:
    start = NOW + 86400
    return Offer(
        "Kitchen planning",
        30,
        "Ann Organizer",
        MeetingType.IN_PERSON,
        "Showroom, 1 Main Street",
        "Europe/Paris",
        TimeZoneConversion.CUSTOMER,
        None,
        NOW + 7 * 86400,
        (Slot(start, start + 1800, ("ann",)),),
        customer_name="Carla Customer",
        customer_email=email,
    )


def outbox(engine: Engine, settings: RelaySettings, clock: Clock) -> tuple[Receipts, BookingDesk]:
    server = ReceiptServer.of(settings)
    assert server is not None
    sender = Receipts(engine, server, "https://book.example.com", clock)
    return sender, BookingDesk(engine, OfferStore(engine, clock), clock, sender.queue)


def book(engine: Engine, desk: BookingDesk, published: Offer, clock: Clock) -> None:
    directory = OrganizerDirectory(engine, clock)
    key = directory.add(f"Ann {len(str(clock.now))}-{time.monotonic_ns()}")
    organizer = directory.authenticate(key)
    assert organizer is not None
    token = OfferStore(engine, clock).publish(organizer, key, "7", published).token
    desk.book(token, start=published.slots[0].start, time_zone="Asia/Tokyo")


def rows(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(select(receipts))]


def test_a_receipt_is_queued_with_the_booking_and_sent_once(
    engine: Engine, smtp: FaultySmtp, password_file: Path
) -> None:
    clock = Clock()
    sender, desk = outbox(engine, receipt_settings(smtp.port, password_file), clock)
    book(engine, desk, offer(), clock)
    assert [r["recipient"] for r in rows(engine)] == ["carla@example.org"]

    assert sender.send_due() == 1
    assert sender.send_due() == 0

    (received,) = smtp.messages
    assert parseaddr(str(received["From"])) == ("Bookings", "bookings@relay.example")
    assert parseaddr(str(received["To"])) == ("Carla Customer", "carla@example.org")
    assert received["Subject"] == "Booked: Kitchen planning"
    plain = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert plain is not None and html is not None
    # 2027-01-16T08:00Z is 17:00 in Tokyo, the customer's zone
    text = plain.get_content()
    assert "16 January 2027" in text and "17:00" in text and "17:30" in text
    assert "Japan Standard Time" in plain.get_content()
    assert "17:00 – 17:30" in html.get_content()
    assert "operator-secret" not in received.as_string()


def test_a_4xx_is_retried_after_its_backoff_and_the_receipt_goes_once(
    engine: Engine, smtp: FaultySmtp, password_file: Path
) -> None:
    clock = Clock()
    sender, desk = outbox(engine, receipt_settings(smtp.port, password_file), clock)
    book(engine, desk, offer(), clock)
    smtp.fail("rcpt", "451 4.3.0 Try again later")

    assert sender.send_due() == 0
    assert sender.send_due() == 0
    clock.now += 5
    assert sender.send_due() == 1
    clock.now += 3600
    assert sender.send_due() == 0

    assert len(smtp.messages) == 1
    (row,) = rows(engine)
    assert row["attempts"] == 2 and row["sent_at"] is not None


def test_a_receipt_queued_before_a_restart_is_sent_after_it(
    tmp_path: Path, smtp: FaultySmtp, password_file: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    clock = Clock()
    first = create_relay_engine(url)
    migrate(first)
    sender, desk = outbox(first, receipt_settings(free_port(), password_file), clock)
    book(first, desk, offer(), clock)
    assert sender.send_due() == 0  # the mail server is down
    first.dispose()

    clock.now += 600
    again = create_relay_engine(url)
    try:
        restarted, _desk = outbox(again, receipt_settings(smtp.port, password_file), clock)
        assert restarted.send_due() == 1
        assert restarted.send_due() == 0
    finally:
        again.dispose()
    assert len(smtp.messages) == 1


def test_a_5xx_is_kept_as_failed_and_never_retried(
    engine: Engine, smtp: FaultySmtp, password_file: Path
) -> None:
    clock = Clock()
    sender, desk = outbox(engine, receipt_settings(smtp.port, password_file), clock)
    book(engine, desk, offer(), clock)
    smtp.fail("rcpt", "550 5.1.1 No such user")

    assert sender.send_due() == 0
    clock.now += 86400
    assert sender.send_due() == 0

    (row,) = rows(engine)
    assert row["failed"] == "The mail server refused the recipient 550." and row["sent_at"] is None
    assert smtp.messages == []


def test_no_customer_address_no_receipt(
    engine: Engine, smtp: FaultySmtp, password_file: Path
) -> None:
    clock = Clock()
    sender, desk = outbox(engine, receipt_settings(smtp.port, password_file), clock)
    book(engine, desk, offer(email=None), clock)
    assert rows(engine) == [] and sender.send_due() == 0


def test_receipts_are_off_unless_the_operator_sets_them_up() -> None:
    assert ReceiptServer.of(RelaySettings()) is None
    with pytest.raises(ValidationError, match="INVITEONCE_RELAY_RECEIPT_FROM must be an email"):
        ReceiptServer.of(RelaySettings(receipt_smtp_host="smtp.example.com"))
    with pytest.raises(ValidationError, match="must be starttls, tls or none"):
        ReceiptServer.of(
            RelaySettings.from_environ(
                {
                    "INVITEONCE_RELAY_RECEIPT_SMTP_HOST": "smtp.example.com",
                    "INVITEONCE_RELAY_RECEIPT_SMTP_SECURITY": "ssl",
                }
            )
        )


# -- end to end: a customer books and reads the booked page -----------------------


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_booked_page_says_a_receipt_is_on_its_way_and_it_arrives(
    sqlite_url: str, smtp: FaultySmtp, password_file: Path
) -> None:
    settings = receipt_settings(smtp.port, password_file)
    relay = EmbeddedRelay(sqlite_url, settings=settings)
    key = relay.create_organizer("Ann")
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    body = {
        "subject": "Kitchen planning",
        "duration_minutes": 30,
        "organizer_name": "Ann Organizer",
        "meeting_type": "phone",
        "time_zone": "Europe/Paris",
        "expires_at": _iso(start + timedelta(days=5)),
        "slots": [{"start": _iso(start), "end": _iso(start + timedelta(minutes=30))}],
        "customer_name": "Carla Customer",
        "customer_email": "carla@example.org",
    }
    with relay, http_client(relay.base_url, follow_redirects=True) as client:
        published = client.put(
            "/api/v1/offers/9", json=body, headers={"Authorization": f"Bearer {key}"}
        )
        assert published.status_code == 201, published.text
        token = published.json()["token"]
        booked = client.post(f"/api/v1/i/{token}/book", json={"start": _iso(start)})
        assert booked.status_code == 201, booked.text
        page = client.get(f"/i/{token}/confirmed")
        deadline = time.monotonic() + 30
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.05)

    assert "A receipt is on its way to carla@example.org." in page.text
    (received,) = smtp.messages
    assert isinstance(received, EmailMessage)
    assert parseaddr(str(received["To"]))[1] == "carla@example.org"


# -- a pick held for the organizer's re-check ------------------------------------


@pytest.mark.parametrize(("verdict", "sent"), [("free", 1), ("busy", 0)])
def test_a_held_pick_gets_its_receipt_once_it_stands_and_never_when_released(
    engine: Engine, smtp: FaultySmtp, password_file: Path, verdict: str, sent: int
) -> None:
    clock = Clock()
    sender, desk = outbox(engine, receipt_settings(smtp.port, password_file), clock)
    directory = OrganizerDirectory(engine, clock)
    key = directory.add("Ann")
    organizer = directory.authenticate(key)
    assert organizer is not None
    directory.seen(organizer)  # the organizer's desktop is connected: picks are held
    published = offer()
    token = OfferStore(engine, clock).publish(organizer, key, "7", published).token
    rechecks = Rechecks(engine, desk, BookingSignal(), 30, clock)
    _booking, held = rechecks.book(token, start=published.slots[0].start, time_zone="UTC")
    assert held

    assert sender.send_due() == 0
    (ask,) = rechecks.asks(organizer)
    rechecks.answer(organizer, ask.id, verdict)  # type: ignore[arg-type]
    assert sender.send_due() == sent

    assert len(smtp.messages) == sent


def test_a_hold_past_its_deadline_stands_and_gets_its_receipt(
    engine: Engine, smtp: FaultySmtp, password_file: Path
) -> None:
    clock = Clock()
    sender, desk = outbox(engine, receipt_settings(smtp.port, password_file), clock)
    directory = OrganizerDirectory(engine, clock)
    key = directory.add("Ann")
    organizer = directory.authenticate(key)
    assert organizer is not None
    directory.seen(organizer)
    published = offer()
    token = OfferStore(engine, clock).publish(organizer, key, "7", published).token
    rechecks = Rechecks(engine, desk, BookingSignal(), 30, clock)
    assert rechecks.book(token, start=published.slots[0].start, time_zone="UTC")[1]

    clock.now += 31  # no answer: the relay confirms on its own data
    assert sender.send_due() == 1
