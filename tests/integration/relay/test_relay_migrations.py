"""The migrations build exactly the schema the code describes."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from inviteonce_desktop.relay.database import (
    create_relay_engine,
    head_revision,
    migrate,
    schema_revision,
)
from inviteonce_desktop.relay.schema import metadata


def test_migrated_schema_matches_the_tables(tmp_path: Path) -> None:
    engine = create_relay_engine(f"sqlite:///{tmp_path / 'relay.sqlite3'}")
    migrate(engine)
    migrate(engine)
    assert schema_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert [d for d in differences if "relay_alembic_version" not in str(d)] == []
