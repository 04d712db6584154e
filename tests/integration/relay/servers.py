"""Standalone relays for tests: ``inviteonce-relay serve`` processes on SQLite or PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

import httpx
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.organizers import OrganizerDirectory

QUICK_RECHECK_SECONDS = 0.05
"""A hold's deadline on the relays whose tests do not re-check picks: a pick made while its
organizer reads the feed is held, and nobody answers, so the relay confirms it on its own
data at the deadline (the default 4 s made every such booking wait)."""


LOOPBACK_TLS = httpx.create_ssl_context()
"""The TLS context of every test client: each httpx client would load the certificate
authorities anew (~25 ms cpu), and the relays on loopback speak plain HTTP anyway."""


def http_client(base_url: str = "", **options: Any) -> httpx.Client:
    """An httpx client on the shared LOOPBACK_TLS."""
    return httpx.Client(base_url=base_url, verify=LOOPBACK_TLS, **options)


def async_http_client(base_url: str = "", **options: Any) -> httpx.AsyncClient:
    """An async httpx client on the shared LOOPBACK_TLS."""
    return httpx.AsyncClient(base_url=base_url, verify=LOOPBACK_TLS, **options)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema on the test server; the URL points into it. Dropped afterwards."""
    schema = f"relay_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


Statement = tuple[str, Any, bool]
"""What the relay handed its PostgreSQL cursor: the SQL, its parameters, whether many."""


def recorded_migration(url: str) -> list[Statement]:
    """The statements the relay's migrations run on an empty schema of the server at *url*,
    recorded on a schema of their own (dropped afterwards)."""
    statements: list[Statement] = []

    def record(*call: Any) -> None:
        _connection, _cursor, statement, parameters, _context, many = call
        statements.append((statement, parameters, many))

    with postgres_schema(url) as scoped:
        engine = create_relay_engine(scoped, pool_size=1)
        event.listen(engine, "before_cursor_execute", record)
        migrate(engine)
        engine.dispose()
    return statements


@contextmanager
def migrated_postgres_schema(url: str, migration: list[Statement]) -> Iterator[str]:
    """A fresh schema as the relay's migrations leave it: their recorded statements run
    again, in one transaction, on the driver's own cursor (Alembic is not run)."""
    with postgres_schema(url) as scoped:
        engine = create_engine(scoped, poolclass=NullPool)
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            for statement, parameters, many in migration:
                if many:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters)
            connection.commit()
        finally:
            connection.close()
            engine.dispose()
        yield scoped


@contextmanager
def postgres_database(url: str, connection_limit: int) -> Iterator[str]:
    """A fresh database that allows only *connection_limit* connections."""
    name = f"relay_burst_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" CONNECTION LIMIT {connection_limit}'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def migrated_sqlite(template: Path, path: Path) -> str:
    """The URL of a relay database at *path*, a copy of the migrated *template*."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def add_organizer(database_url: str, name: str = "Ann") -> str:
    engine = create_relay_engine(database_url, pool_size=1)
    migrate(engine)
    key = OrganizerDirectory(engine).add(name)
    engine.dispose()
    return key


def _launch(database_url: str, workers: int, environ: dict[str, str]) -> tuple[Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "INVITEONCE_RELAY_BOOKINGS_PER_MINUTE": "0", **environ}
    command = [
        sys.executable,
        "-m",
        "inviteonce_desktop.relay.cli",
        "serve",
        "--database-url",
        database_url,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    return subprocess.Popen(command, env=env), f"http://127.0.0.1:{port}"


def _wait_healthy(server: Popen[bytes], base_url: str, deadline: float) -> None:
    with http_client(base_url) as probe:
        while True:
            try:
                if probe.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the relay exited"
            assert time.monotonic() < deadline, "the relay did not start"
            time.sleep(0.05)  # Nothing to wait on: uvicorn's workers say nothing when ready.


@contextmanager
def serve(database_url: str, workers: int, **environ: str) -> Iterator[str]:
    """``inviteonce-relay serve`` with *workers*; yields its base URL once healthy."""
    server, base_url = _launch(database_url, workers, environ)
    try:
        _wait_healthy(server, base_url, time.monotonic() + 60)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass(frozen=True, slots=True)
class ServedRelay:
    """A running ``inviteonce-relay serve --workers 4``, shared: each user takes an
    organizer of its own (and its own resource keys), so they cannot meet."""

    base_url: str
    database_url: str

    def organizer(self) -> str:
        """A new organizer's key."""
        return add_organizer(self.database_url, f"organizer-{uuid.uuid4().hex[:12]}")


SERVED_CONNECTIONS = 20
"""The database connections a session's shared relay may open (five a worker). Derived
from the server, each would take nearly all of them and keep them open after a contest,
and the test server is shared by every test worker's relays and tests (how the budget is
derived is tested in test_database_budget.py)."""


def served(database_url: str) -> Iterator[ServedRelay]:
    """``serve`` with four workers, as the session's shared relays run (holds settle at
    QUICK_RECHECK_SECONDS; test_recheck_holds.py re-checks picks on relays of its own)."""
    with serve(
        database_url,
        4,
        INVITEONCE_RELAY_RECHECK_SECONDS=str(QUICK_RECHECK_SECONDS),
        INVITEONCE_RELAY_DATABASE_CONNECTIONS=str(SERVED_CONNECTIONS),
    ) as url:
        yield ServedRelay(url, database_url)
