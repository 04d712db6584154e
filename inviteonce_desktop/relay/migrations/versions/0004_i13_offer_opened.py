"""offers remember when a customer's browser first opened them

Revision ID: 0004_i13_offer_opened
Revises: 0003_i19_organizer_seen
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_i13_offer_opened"
down_revision = "0003_i19_organizer_seen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offers") as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch_op:
        batch_op.drop_column("opened_at")
