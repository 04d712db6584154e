"""When each organizer's desktop last asked for bookings, so pages can say what comes next.

Revision ID: 0003_i19_organizer_seen
Revises: 0002_i14_buffers_version
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_i19_organizer_seen"
down_revision = "0002_i14_buffers_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizers") as batch:
        batch.add_column(sa.Column("seen_at", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organizers") as batch:
        batch.drop_column("seen_at")
