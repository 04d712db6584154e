"""outbox delivery: the invitation and meeting of each job, the hand-over mark,
the invitations' history and the meeting's SEQUENCE

Revision ID: 0006_i13_outbox_delivery
Revises: 0005_i11_name_keys
"""
from alembic import op
import sqlalchemy as sa

from inviteonce_desktop.store.types import UTCDateTime


revision = "0006_i13_outbox_delivery"
down_revision = "0005_i11_name_keys"
branch_labels = None
depends_on = None

_INVITATION_KINDS = ("publish", "invitation_email", "cancel_offer")


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invitation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("handed_over_at", UTCDateTime(), nullable=True))
        batch_op.create_index("ix_outbox_invitation_id", ["invitation_id"])
        batch_op.create_index("ix_outbox_meeting_id", ["meeting_id"])
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "invitation_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "invitation_id",
            sa.Integer(),
            sa.ForeignKey("invitations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_invitation_history_invitation_id", "invitation_history", ["invitation_id"])
    _fill_owners()


def _fill_owners() -> None:
    """Jobs queued before: their invitation and meeting, from their payload."""
    connection = op.get_bind()
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("payload", sa.JSON),
        sa.column("invitation_id", sa.Integer),
        sa.column("meeting_id", sa.Integer),
    )
    meetings = sa.table("meetings", sa.column("id", sa.Integer), sa.column("invitation_id", sa.Integer))
    owners = dict(connection.execute(sa.select(meetings.c.id, meetings.c.invitation_id)).all())
    for row in connection.execute(sa.select(outbox.c.id, outbox.c.kind, outbox.c.payload)).all():
        payload = row.payload or {}
        if row.kind in _INVITATION_KINDS and "id" in payload:
            values = {"invitation_id": int(payload["id"])}
        elif "meeting_id" in payload:
            meeting = int(payload["meeting_id"])
            values = {"meeting_id": meeting, "invitation_id": owners.get(meeting)}
        else:
            continue
        connection.execute(sa.update(outbox).where(outbox.c.id == row.id).values(**values))


def downgrade() -> None:
    op.drop_index("ix_invitation_history_invitation_id", "invitation_history")
    op.drop_table("invitation_history")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("sequence")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_meeting_id")
        batch_op.drop_index("ix_outbox_invitation_id")
        batch_op.drop_column("handed_over_at")
        batch_op.drop_column("meeting_id")
        batch_op.drop_column("invitation_id")
