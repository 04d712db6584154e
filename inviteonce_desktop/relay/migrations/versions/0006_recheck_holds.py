"""picks held while the organizer's desktop re-checks its calendars

Revision ID: 0006_recheck_holds
Revises: 0005_manage_links
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_recheck_holds"
down_revision = "0005_manage_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_rechecks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "offer_id", sa.Integer(), sa.ForeignKey("offers.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "organizer_id",
            sa.Integer(),
            sa.ForeignKey("organizers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "booking_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("deadline_ms", sa.BigInteger(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=True),
        sa.Column("answered_at", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_booking_rechecks_offer_id", "booking_rechecks", ["offer_id"])
    op.create_index("ix_booking_rechecks_booking_id", "booking_rechecks", ["booking_id"])
    op.create_index("ix_booking_rechecks_open", "booking_rechecks", ["organizer_id", "verdict"])


def downgrade() -> None:
    op.drop_table("booking_rechecks")
