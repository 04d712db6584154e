"""The relay's first schema: organizers, offers, links, bookings, resource holds.

Revision ID: 0001_relay_initial
Revises:
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa

revision = "0001_relay_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organizers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("rotated_at", sa.BigInteger(), nullable=True),
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organizer_id",
            sa.Integer(),
            sa.ForeignKey("organizers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("invitation_id", sa.String(200), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("organizer_id", "invitation_id", name="uq_offers_invitation"),
    )
    op.create_table(
        "offer_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "offer_id",
            sa.Integer(),
            sa.ForeignKey("offers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_offer_links_offer_id", "offer_links", ["offer_id"])
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "offer_id",
            sa.Integer(),
            sa.ForeignKey("offers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "organizer_id",
            sa.Integer(),
            sa.ForeignKey("organizers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("resource_keys", sa.Text(), nullable=False),
        sa.Column("customer_time_zone", sa.String(64), nullable=False),
        sa.Column("booked_at", sa.BigInteger(), nullable=False),
        sa.Column("acknowledged", sa.Boolean(), nullable=False),
        sa.Column("cancelled_at", sa.BigInteger(), nullable=True),
    )
    op.create_index(
        "uq_bookings_live_offer",
        "bookings",
        ["offer_id"],
        unique=True,
        sqlite_where=sa.text("cancelled_at IS NULL"),
        postgresql_where=sa.text("cancelled_at IS NULL"),
    )
    op.create_index("ix_bookings_feed", "bookings", ["organizer_id", "acknowledged", "id"])
    op.create_table(
        "booking_resources",
        sa.Column(
            "booking_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("resource_key", sa.String(128), primary_key=True),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
    )
    op.create_index(
        "ix_booking_resources_key_start", "booking_resources", ["resource_key", "start_at"]
    )
    op.create_table(
        "resource_holds",
        sa.Column("resource_key", sa.String(128), primary_key=True),
        sa.Column("minute", sa.BigInteger(), primary_key=True),
        sa.Column(
            "booking_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index("ix_resource_holds_booking_id", "resource_holds", ["booking_id"])


def downgrade() -> None:
    op.drop_table("resource_holds")
    op.drop_table("booking_resources")
    op.drop_table("bookings")
    op.drop_table("offer_links")
    op.drop_table("offers")
    op.drop_table("organizers")
