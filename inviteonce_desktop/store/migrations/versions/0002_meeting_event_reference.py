"""meeting event reference

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 14:42:28.829420
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_ref', sa.JSON(), nullable=True))




def downgrade() -> None:

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('event_ref')


