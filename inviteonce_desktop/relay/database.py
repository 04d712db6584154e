"""Engines for SQLite and PostgreSQL, and the relay's own Alembic migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from threading import Lock, RLock
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported by a migration that has work to do, not by importing this module:
# the relay's workers never migrate, and an up-to-date database needs one query.
VERSION_TABLE = "relay_alembic_version"
HEAD_REVISION = "0007_misc_receipts"
"""The newest migration's revision (a test holds it to the migrations' own head)."""
_MIGRATIONS = Path(__file__).with_name("migrations")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the database lock up front, so a read-then-write transaction
    # never fails half way with a stale snapshot.
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_WRITERS: WeakKeyDictionary[Engine, RLock] = WeakKeyDictionary()
_WRITERS_LOCK = Lock()


def _writer_lock(engine: Engine) -> RLock:
    # Reentrant: a write begun inside another on the same thread meets SQLite's own
    # busy timeout (an error), not a thread waiting for itself for ever.
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(engine, RLock())


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-then-write transaction that starts after every earlier write committed.

    On SQLite it is ``BEGIN IMMEDIATE``, and the threads of one process queue
    on a lock of their own first: SQLite's busy handler would have each waiter
    poll the database lock with growing sleeps, so a queue of forty writers
    spent most of its time asleep. Other processes still meet the busy handler.
    On PostgreSQL it is a plain transaction (its callers take advisory locks).
    """
    queue = _writer_lock(engine) if engine.dialect.name == "sqlite" else nullcontext()
    with queue:
        with engine.connect().execution_options(immediate=True) as connection:
            with connection.begin():
                yield connection


def create_relay_engine(url: str, *, pool_size: int = 10, wait: float = 10.0) -> Engine:
    """An engine for *url*: ``sqlite:///path`` or ``postgresql+psycopg://...``.

    On PostgreSQL the pool holds at most *pool_size* connections and never
    overflows: a request waits up to *wait* seconds for one, then the relay
    answers 503 (see :func:`connection_budget`).
    """
    if is_sqlite(url):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,
            max_overflow=30,
            pool_timeout=wait,
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_size=max(1, pool_size),
        max_overflow=0,
        pool_pre_ping=True,
        pool_timeout=wait,
        connect_args=_application_name(url),
    )


APPLICATION_NAME = "inviteonce-relay"
"""How the relay's connections name themselves to PostgreSQL (``pg_stat_activity``)."""


def _application_name(url: str) -> dict[str, str]:
    if "application_name" in make_url(url).query:
        return {}
    return {"application_name": APPLICATION_NAME}


# Connections kept free for `inviteonce-relay migrate`, `organizers` and an operator's psql.
SPARE_CONNECTIONS = 3
_BUDGET = text(
    """
    SELECT current_setting('max_connections')::int
             - current_setting('superuser_reserved_connections')::int,
           (SELECT datconnlimit FROM pg_database WHERE datname = current_database()),
           (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user),
           (SELECT count(*) FROM pg_stat_activity
             WHERE backend_type = 'client backend'
               AND application_name IS DISTINCT FROM :relay)
    """
)


def connection_budget(engine: Engine, hosts: int = 1) -> int:
    """How many connections this relay host may open in all, from what the server allows.

    The smallest of the server's ``max_connections`` (less the reserved ones
    and the connections clients other than relay hosts hold now), the
    database's and the role's connection limits, less a few spare, shared
    evenly by *hosts* relay hosts on this database. Every host works out the
    same share whichever starts first: relay connections (known by their
    application name) are not counted as others' use. SQLite has no such limit: 0.
    """
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as connection:
        server, database, role, others = connection.execute(
            _BUDGET, {"relay": APPLICATION_NAME}
        ).one()
    limits = [int(server) - int(others)]
    limits += [int(limit) for limit in (database, role) if limit is not None and limit >= 0]
    return max(1, (min(limits) - SPARE_CONNECTIONS) // max(1, hosts))


def pool_size_per_worker(budget: int, workers: int) -> int:
    """Each worker's share of *budget* connections (at least one)."""
    return max(1, budget // max(1, workers))


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("version_table", VERSION_TABLE)
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision."""
    if schema_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


_REVISION = text(f"SELECT version_num FROM {VERSION_TABLE}")


def schema_revision(engine: Engine) -> str | None:
    """The database's revision; None before the first migration."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        value = connection.execute(_REVISION).scalar()
    return None if value is None else str(value)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return None if head is None else str(head)
