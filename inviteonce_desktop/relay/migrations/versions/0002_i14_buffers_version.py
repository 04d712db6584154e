"""Buffered spans of booked resources, and the relay's change counter.

Revision ID: 0002_i14_buffers_version
Revises: 0001_relay_initial
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_i14_buffers_version"
down_revision = "0001_relay_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("booking_resources") as batch:
        batch.add_column(sa.Column("held_start", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("held_end", sa.BigInteger(), nullable=True))
    op.execute("UPDATE booking_resources SET held_start = start_at, held_end = end_at")
    with op.batch_alter_table("booking_resources") as batch:
        batch.alter_column("held_start", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("held_end", existing_type=sa.BigInteger(), nullable=False)
    version = op.create_table(
        "relay_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(version, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("relay_version")
    with op.batch_alter_table("booking_resources") as batch:
        batch.drop_column("held_end")
        batch.drop_column("held_start")
