"""The relay's tables. Instants are whole seconds since the epoch (UTC).

``resource_holds`` is the guard against double booking: one row per
(resource key, minute) that a booking occupies, under a primary key. Two
bookings that overlap on a resource would need the same row, so the database
itself refuses the second one, whatever the number of workers. The partial
unique index on ``bookings.offer_id`` keeps one live booking per offer. ``relay_version``
holds one number that every write raises, so each worker can tell in one read
whether a page it rendered is still current.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

organizers = Table(
    "organizers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("rotated_at", BigInteger, nullable=True),
    # When the organizer's desktop last asked for bookings (it long-polls while it runs).
    Column("seen_at", BigInteger, nullable=True),
)

offers = Table(
    "offers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organizer_id", ForeignKey("organizers.id", ondelete="CASCADE"), nullable=False),
    Column("invitation_id", String(200), nullable=False),
    Column("salt", String(32), nullable=False),
    Column("cancelled", Boolean, nullable=False, default=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("content", Text, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("opened_at", BigInteger, nullable=True),
    UniqueConstraint("organizer_id", "invitation_id", name="uq_offers_invitation"),
)

offer_links = Table(
    "offer_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", BigInteger, nullable=False),
)

bookings = Table(
    "bookings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), nullable=False),
    Column("organizer_id", ForeignKey("organizers.id", ondelete="CASCADE"), nullable=False),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Column("resource_keys", Text, nullable=False),
    Column("customer_time_zone", String(64), nullable=False),
    Column("booked_at", BigInteger, nullable=False),
    Column("acknowledged", Boolean, nullable=False, default=False),
    Column("cancelled_at", BigInteger, nullable=True),
    # A customer's or organizer's change appends a row: the meeting's first row
    # (its UID's origin) and what the row records ("moved", "cancelled"; NULL: booked).
    Column("origin_id", Integer, nullable=True),
    Column("change", String(16), nullable=True),
    Index(
        "uq_bookings_live_offer",
        "offer_id",
        unique=True,
        sqlite_where=text("cancelled_at IS NULL"),
        postgresql_where=text("cancelled_at IS NULL"),
    ),
    Index("ix_bookings_feed", "organizer_id", "acknowledged", "id"),
)

booking_resources = Table(
    "booking_resources",
    metadata,
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("resource_key", String(128), primary_key=True),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    # The span the booking keeps free with its offer's buffers.
    Column("held_start", BigInteger, nullable=False),
    Column("held_end", BigInteger, nullable=False),
    Index("ix_booking_resources_key_start", "resource_key", "start_at"),
)

manage_links = Table(
    "manage_links",
    metadata,
    # The customer's manage link of one meeting (its first booking row), by digest.
    Column("token_hash", String(64), primary_key=True),
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", BigInteger, nullable=False),
)

resource_holds = Table(
    "resource_holds",
    metadata,
    Column("resource_key", String(128), primary_key=True),
    Column("minute", BigInteger, primary_key=True),
    Column(
        "booking_id",
        ForeignKey("bookings.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

# A customer's pick held while the organizer's desktop re-checks its calendars: the
# held booking occupies its resources like any booking; ``verdict`` is NULL while
# the re-check runs, then "confirmed", "timeout" (the relay decided) or "conflict"
# (released: ``booking_id`` is then NULL).
booking_rechecks = Table(
    "booking_rechecks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("organizer_id", ForeignKey("organizers.id", ondelete="CASCADE"), nullable=False),
    Column("booking_id", ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Column("deadline_ms", BigInteger, nullable=False),
    Column("verdict", String(16), nullable=True),
    Column("answered_at", BigInteger, nullable=True),
    Index("ix_booking_rechecks_open", "organizer_id", "verdict"),
)

relay_version = Table(
    "relay_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False),
)

receipts = Table(
    "receipts",
    metadata,
    # One receipt per booking, queued in the booking's transaction, sent once by any worker.
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("recipient", String(320), nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("next_attempt_at", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("claimed_until", BigInteger, nullable=True),
    Column("sent_at", BigInteger, nullable=True),
    Column("failed", Text, nullable=True),
    Index("ix_receipts_due", "sent_at", "next_attempt_at"),
)
