"""The workspace: a folder holding the SQLite database, migrated on open."""

from __future__ import annotations

import errno
import functools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..core.validation import is_record_id
from .home import HOME_VARIABLE, default_home

__all__ = ["HOME_VARIABLE", "Workspace", "WorkspaceUnavailable", "default_home"]

DATABASE_NAME = "inviteonce.sqlite3"
_MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0008_remind_outbox_not_before"
"""The newest migration; a workspace already there opens without loading Alembic."""


class WorkspaceUnavailable(Exception):
    """The workspace's folder cannot be written (or read); the message names it and why.

    Nothing is half-written: SQLite rolls back the transaction that failed.
    """

    def __init__(self, home: Path, cause: str) -> None:
        super().__init__(f"The workspace folder {home} cannot be used: {cause}.")
        self.home = home
        self.cause = cause


_CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "it is on a read-only disk",
    errno.EACCES: "you may not write there",
    errno.EPERM: "you may not write there",
    errno.ENOENT: "it does not exist",
}


def _cause_of(error: BaseException, home: Path) -> str | None:
    """Why the disk refused, for the errors a disk gives; None for anything else."""
    if isinstance(error, OSError) and error.errno in _CAUSES:
        return _CAUSES[error.errno]
    text = str(getattr(error, "orig", error)).lower()
    if "disk is full" in text or "disk full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "it is read-only"
    if "unable to open database file" in text and _read_only(home):
        return "it is on a read-only disk"
    if "unable to open database file" in text:
        return "its database file cannot be opened or created (is the folder writable?)"
    if "disk i/o error" in text:
        return "the disk is full" if _nearly_full(home) else "the disk reported an error"
    return None


def _read_only(home: Path) -> bool:
    try:
        return bool(os.statvfs(home).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _nearly_full(home: Path) -> bool:
    try:
        return shutil.disk_usage(home).free < 1024 * 1024
    except OSError:
        return False


@contextmanager
def _disk_errors(home: Path) -> Iterator[None]:
    """Disk errors as one sentence naming the folder; other errors as they are."""
    try:
        yield
    except (OSError, OperationalError) as error:
        cause = _cause_of(error, home)
        if cause is None:
            raise
        raise WorkspaceUnavailable(home, cause) from error


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


class _Session(Session):
    """A session whose ``get`` takes any int: an id outside SQLite's 64-bit range names
    no row, where binding it would raise OverflowError in the driver."""

    def get(self, entity: Any, ident: Any, **options: Any) -> Any:
        if isinstance(ident, int) and not is_record_id(ident):
            return None
        return super().get(entity, ident, **options)


@functools.cache
def _head_schema() -> tuple[str, ...]:
    """The models' CREATE TABLE and CREATE INDEX statements for SQLite, in dependency
    order, as ``create_all`` issues them: compiled once per process, however many
    workspaces it creates."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from .models import Base

    dialect = sqlite.dialect()
    statements: list[str] = []
    for table in Base.metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        statements.extend(
            str(CreateIndex(index).compile(dialect=dialect))
            for index in sorted(table.indexes, key=lambda index: str(index.name))
        )
    return tuple(statements)


class Workspace:
    """Opens (creating and migrating) the workspace database in *home*."""

    def __init__(self, home: Path) -> None:
        self.home = home
        with _disk_errors(home):
            home.mkdir(parents=True, exist_ok=True)
        self.database_path = home / DATABASE_NAME
        self.engine: Engine = create_engine(
            f"sqlite:///{self.database_path}", connect_args={"check_same_thread": False}
        )
        event.listen(self.engine, "connect", _on_connect)
        self._sessions = sessionmaker(self.engine, class_=_Session, expire_on_commit=False)
        try:
            with _disk_errors(home):
                self.migrate()
        except BaseException:
            self.engine.dispose()
            raise

    def migrate(self) -> None:
        revision = self.schema_revision()
        if revision == HEAD_REVISION:
            return
        if revision is None and self._empty():
            self._create()
            return
        from alembic import command

        config = _alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _empty(self) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(
                text("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            ).scalar()
        return not found

    def _create(self) -> None:
        """A new database gets the head schema at once, as the migrations would leave it
        (a test holds the two to the same tables, columns, keys and indexes), and is
        stamped with the head revision: a first start runs no migration and loads no
        Alembic."""
        with self.engine.begin() as connection:
            for statement in _head_schema():
                connection.exec_driver_sql(statement)
            connection.execute(
                text(
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                )
            )
            connection.execute(
                text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
                {"head": HEAD_REVISION},
            )

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
        """A unit of work: committed when the block ends, rolled back on error.

        A full or read-only disk is :class:`WorkspaceUnavailable`.
        """
        with _disk_errors(self.home), self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
