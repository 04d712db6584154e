"""busy refresh problem: a resource whose calendar could not be read

Revision ID: 0004_i12_busy_problem
Revises: 0003_i10_drafts_as_requests
Create Date: 2026-12-01 16:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_i12_busy_problem"
down_revision = "0003_i10_drafts_as_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("busy_refresh", schema=None) as batch_op:
        batch_op.add_column(sa.Column("problem", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("busy_refresh", schema=None) as batch_op:
        batch_op.drop_column("problem")
