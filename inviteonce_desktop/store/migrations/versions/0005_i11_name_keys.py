"""casefolded name keys; the source of imported events

Revision ID: 0005_i11_name_keys
Revises: 0004_i12_busy_problem
Create Date: 2026-12-01 16:40:00
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0005_i11_name_keys"
down_revision = "0004_i12_busy_problem"
branch_labels = None
depends_on = None

_NAMED = ("members", "rooms", "pools")


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


def upgrade() -> None:
    for table in _NAMED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("name_key", sa.String(length=200), nullable=False, server_default="")
            )
            batch_op.create_index(f"ix_{table}_name_key", ["name_key"], unique=False)
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("name", sa.String))
        keys = sa.table(table, sa.column("id", sa.Integer), sa.column("name_key", sa.String))
        connection = op.get_bind()
        for row_id, name in connection.execute(sa.select(rows.c.id, rows.c.name)).all():
            connection.execute(
                sa.update(keys).where(keys.c.id == row_id).values(name_key=_key(name))
            )
    with op.batch_alter_table("local_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=500), nullable=True))
        batch_op.create_index("ix_local_events_source", ["source"], unique=False)
    # Busy time stored ending at or before its start (a wall time in a skipped
    # hour compared as a wall time) blocks nothing; it goes.
    events = sa.table(
        "local_events",
        sa.column("id", sa.Integer),
        sa.column("start", sa.DateTime),
        sa.column("end", sa.DateTime),
    )
    attendees = sa.table("local_event_attendees", sa.column("event_id", sa.Integer))
    empty = sa.select(events.c.id).where(events.c.end <= events.c.start)
    op.get_bind().execute(sa.delete(attendees).where(attendees.c.event_id.in_(empty)))
    op.get_bind().execute(sa.delete(events).where(events.c.end <= events.c.start))


def downgrade() -> None:
    with op.batch_alter_table("local_events", schema=None) as batch_op:
        batch_op.drop_index("ix_local_events_source")
        batch_op.drop_column("source")
    for table in reversed(_NAMED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_name_key")
            batch_op.drop_column("name_key")
