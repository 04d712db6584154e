"""an outbox of booking receipts, sent through the operator's own SMTP server

Revision ID: 0007_misc_receipts
Revises: 0006_recheck_holds
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_misc_receipts"
down_revision = "0006_recheck_holds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipts",
        sa.Column(
            "booking_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("next_attempt_at", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("claimed_until", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", sa.BigInteger(), nullable=True),
        sa.Column("failed", sa.Text(), nullable=True),
    )
    op.create_index("ix_receipts_due", "receipts", ["sent_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_receipts_due", table_name="receipts")
    op.drop_table("receipts")
