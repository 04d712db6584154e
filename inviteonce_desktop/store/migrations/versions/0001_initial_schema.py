"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 14:30:17.217204
"""
from alembic import op
import sqlalchemy as sa

from inviteonce_desktop.store.types import UTCDateTime


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('busy_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_key', sa.String(length=40), nullable=False),
    sa.Column('start', UTCDateTime(), nullable=False),
    sa.Column('end', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('busy_cache', schema=None) as batch_op:
        batch_op.create_index('ix_busy_cache_resource_start', ['resource_key', 'start'], unique=False)

    op.create_table('busy_refresh',
    sa.Column('resource_key', sa.String(length=40), nullable=False),
    sa.Column('fetched_at', UTCDateTime(), nullable=False),
    sa.Column('range_start', UTCDateTime(), nullable=False),
    sa.Column('range_end', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('resource_key')
    )
    op.create_table('calendar_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('last_refresh', UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('participant_name', sa.String(length=200), nullable=False),
    sa.Column('participant_email', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('time_frame', sa.JSON(), nullable=False),
    sa.Column('notifications', sa.JSON(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_status'), ['status'], unique=False)

    op.create_table('local_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('start', UTCDateTime(), nullable=False),
    sa.Column('end', UTCDateTime(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('transparent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('organizer_email', sa.String(length=254), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('local_events', schema=None) as batch_op:
        batch_op.create_index('ix_local_events_start', ['start'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('done_at', UTCDateTime(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_status'), ['status'], unique=False)

    op.create_table('pools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('local_event_attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('calendar_id', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('partstat', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['local_events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'calendar_id')
    )
    with op.batch_alter_table('local_event_attendees', schema=None) as batch_op:
        batch_op.create_index('ix_local_event_attendees_calendar', ['calendar_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('start', UTCDateTime(), nullable=False),
    sa.Column('end', UTCDateTime(), nullable=False),
    sa.Column('participant_name', sa.String(length=200), nullable=False),
    sa.Column('participant_email', sa.String(length=254), nullable=False),
    sa.Column('event_uid', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resource_keys', sa.JSON(), nullable=False),
    sa.Column('conflict', sa.Text(), nullable=True),
    sa.Column('booked_at', UTCDateTime(), nullable=False),
    sa.Column('customer_time_zone', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('booking_id'),
    sa.UniqueConstraint('event_uid')
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_start'), ['start'], unique=False)

    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=True),
    sa.Column('working_hours', sa.JSON(), nullable=True),
    sa.Column('calendar_account_id', sa.Integer(), nullable=True),
    sa.Column('calendar_id', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['calendar_account_id'], ['calendar_accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('pool_members',
    sa.Column('pool_id', sa.Integer(), nullable=False),
    sa.Column('resource_key', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pool_id'], ['pools.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pool_id', 'resource_key')
    )
    op.create_table('rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('calendar_account_id', sa.Integer(), nullable=True),
    sa.Column('calendar_id', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['calendar_account_id'], ['calendar_accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )



def downgrade() -> None:

    op.drop_table('rooms')
    op.drop_table('pool_members')
    op.drop_table('members')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_start'))
        batch_op.drop_index(batch_op.f('ix_meetings_invitation_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('local_event_attendees', schema=None) as batch_op:
        batch_op.drop_index('ix_local_event_attendees_calendar')

    op.drop_table('local_event_attendees')
    op.drop_table('settings')
    op.drop_table('pools')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_status'))

    op.drop_table('outbox')
    with op.batch_alter_table('local_events', schema=None) as batch_op:
        batch_op.drop_index('ix_local_events_start')

    op.drop_table('local_events')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_status'))

    op.drop_table('invitations')
    op.drop_table('drafts')
    op.drop_table('calendar_accounts')
    op.drop_table('busy_refresh')
    with op.batch_alter_table('busy_cache', schema=None) as batch_op:
        batch_op.drop_index('ix_busy_cache_resource_start')

    op.drop_table('busy_cache')

