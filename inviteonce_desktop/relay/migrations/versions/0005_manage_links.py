"""the customer's manage links; a meeting's changes as rows of its bookings

Revision ID: 0005_manage_links
Revises: 0004_i13_offer_opened
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_manage_links"
down_revision = "0004_i13_offer_opened"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch_op:
        batch_op.add_column(sa.Column("origin_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("change", sa.String(16), nullable=True))
    op.create_table(
        "manage_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "booking_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_manage_links_booking_id", "manage_links", ["booking_id"])


def downgrade() -> None:
    op.drop_index("ix_manage_links_booking_id", "manage_links")
    op.drop_table("manage_links")
    with op.batch_alter_table("bookings") as batch_op:
        batch_op.drop_column("change")
        batch_op.drop_column("origin_id")
