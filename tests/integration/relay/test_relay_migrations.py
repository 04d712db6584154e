"""The migrations build exactly the schema the code describes."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from inviteonce_desktop.relay.database import (
    HEAD_REVISION,
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


def test_the_head_a_current_database_is_checked_against_is_the_migrations_head(
    tmp_path: Path,
) -> None:
    # migrate() skips Alembic when the database is at HEAD_REVISION: a stale constant would
    # leave a database a migration behind (or send every start through Alembic).
    assert head_revision() == HEAD_REVISION
    engine = create_relay_engine(f"sqlite:///{tmp_path / 'relay.sqlite3'}")
    assert schema_revision(engine) is None
    migrate(engine)
    assert schema_revision(engine) == HEAD_REVISION
    engine.dispose()
