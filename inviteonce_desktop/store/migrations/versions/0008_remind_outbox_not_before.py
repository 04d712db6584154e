"""outbox work that belongs to a later time (a reminder): its not-before time

Revision ID: 0008_remind_outbox_not_before
Revises: 0007_manage_meeting_links
"""
from alembic import op
import sqlalchemy as sa

from inviteonce_desktop.store.types import UTCDateTime


revision = "0008_remind_outbox_not_before"
down_revision = "0007_manage_meeting_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("not_before", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("not_before")
