"""meetings keep the customer's manage link, and who changed them last

Revision ID: 0007_manage_meeting_links
Revises: 0006_i13_outbox_delivery
"""
from alembic import op
import sqlalchemy as sa


revision = "0007_manage_meeting_links"
down_revision = "0006_i13_outbox_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manage_url", sa.String(500), nullable=True))
        batch_op.add_column(sa.Column("changed_by", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("changed_by")
        batch_op.drop_column("manage_url")
