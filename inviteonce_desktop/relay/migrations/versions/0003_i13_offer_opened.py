"""offers remember when a customer's browser first opened them

Revision ID: 0003_i13_offer_opened
Revises: 0002_i14_buffers_version
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_i13_offer_opened"
down_revision = "0002_i14_buffers_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offers") as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch_op:
        batch_op.drop_column("opened_at")
