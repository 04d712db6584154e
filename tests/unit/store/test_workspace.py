"""A new workspace is created at the head schema at once; an old one is migrated on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from inviteonce_desktop.store.models import Base
from inviteonce_desktop.store.workspace import (
    DATABASE_NAME,
    HEAD_REVISION,
    Workspace,
    _alembic_config,
)

Shape = dict[
    str, tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]
]


def _migrated(path: Path, revision: str = "head") -> None:
    """A database built the long way: every migration from the first, by Alembic."""
    engine = create_engine(f"sqlite:///{path}")
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def _shape(path: Path) -> Shape:
    """Each table's columns (name, type, not null, default, key), indexes and foreign keys."""
    connection = sqlite3.connect(path)
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    shape: Shape = {}
    for table in tables:
        columns = sorted(row[1:] for row in connection.execute(f"PRAGMA table_info('{table}')"))
        indexes = sorted(
            (
                unique,
                tuple(column[2] for column in connection.execute(f"PRAGMA index_info('{name}')")),
            )
            for _, name, unique, *_ in connection.execute(f"PRAGMA index_list('{table}')")
        )
        keys = sorted(row[2:] for row in connection.execute(f"PRAGMA foreign_key_list('{table}')"))
        shape[table] = (columns, indexes, keys)
    connection.close()
    return shape


def test_a_new_workspace_has_the_schema_the_migrations_build(tmp_path: Path) -> None:
    Workspace(tmp_path / "new").close()
    _migrated(tmp_path / "migrated.sqlite3")

    created = _shape(tmp_path / "new" / DATABASE_NAME)
    migrated = _shape(tmp_path / "migrated.sqlite3")

    assert "alembic_version" in created
    assert set(created) == set(migrated)
    for table, expected in migrated.items():
        assert created[table] == expected, table


def test_the_migrations_build_the_models_schema(tmp_path: Path) -> None:
    path = tmp_path / "migrated.sqlite3"
    _migrated(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_new_workspace_is_stamped_with_the_head_revision(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "new")
    try:
        assert workspace.schema_revision() == HEAD_REVISION == Workspace.head_revision()
    finally:
        workspace.close()


def test_an_old_workspace_is_migrated_on_open_and_keeps_its_rows(tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir()
    _migrated(home / DATABASE_NAME, "0002")
    engine = create_engine(f"sqlite:///{home / DATABASE_NAME}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO members (name, email) VALUES ('Ann', 'a@x.org')"))
    engine.dispose()

    workspace = Workspace(home)
    try:
        assert workspace.schema_revision() == HEAD_REVISION
        with workspace.engine.connect() as connection:
            rows = connection.execute(text("SELECT name, name_key FROM members")).all()
        assert [tuple(row) for row in rows] == [("Ann", "ann")]
    finally:
        workspace.close()
