"""The workspace: a folder holding the SQLite database, migrated on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .home import HOME_VARIABLE, default_home

__all__ = ["HOME_VARIABLE", "Workspace", "default_home"]

DATABASE_NAME = "inviteonce.sqlite3"
_MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0005_i11_name_keys"
"""The newest migration; a workspace already there opens without loading Alembic."""


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Workspace:
    """Opens (creating and migrating) the workspace database in *home*."""

    def __init__(self, home: Path) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.database_path = home / DATABASE_NAME
        self.engine: Engine = create_engine(
            f"sqlite:///{self.database_path}", connect_args={"check_same_thread": False}
        )
        event.listen(self.engine, "connect", _on_connect)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.migrate()

    def migrate(self) -> None:
        if self.schema_revision() == HEAD_REVISION:
            return
        from alembic import command

        config = _alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def schema_revision(self) -> str | None:
        try:
            with self.engine.connect() as connection:
                value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:
            return None
        return None if value is None else str(value)

    @staticmethod
    def head_revision() -> str | None:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        return None if head is None else str(head)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
