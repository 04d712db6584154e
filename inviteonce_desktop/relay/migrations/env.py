"""Alembic environment for the relay: runs on the connection handed over."""

from alembic import context

from inviteonce_desktop.relay.database import VERSION_TABLE
from inviteonce_desktop.relay.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
