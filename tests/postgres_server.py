"""A throwaway PostgreSQL server for a test session, when none answers at the URL.

The server is the machine's own (``pg_ctl`` from the PostgreSQL package), run
through pytest-postgresql's executor in a fresh folder and removed afterwards.
PostgreSQL refuses to run as root, so under root it runs as the ``postgres``
user the package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from pytest_postgresql.executors import PostgreSQLExecutor
from sqlalchemy.engine import make_url

SERVICE_USER = "postgres"


def answers(url: str) -> bool:
    """Whether a PostgreSQL server takes connections at the SQLAlchemy *url*."""
    parsed = make_url(url)
    try:
        with psycopg.connect(
            host=parsed.host or "127.0.0.1",
            port=parsed.port or 5432,
            user=parsed.username or SERVICE_USER,
            password=parsed.password or None,
            dbname=parsed.database or "postgres",
            connect_timeout=2,
        ):
            return True
    except psycopg.OperationalError:
        return False


def pg_ctl() -> str:
    """The machine's ``pg_ctl``: on the PATH, or where Debian's packages put it."""
    found = shutil.which("pg_ctl") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)), None
    )
    if found is None:
        raise RuntimeError(
            "No PostgreSQL server answers and none is installed: apt-get install postgresql"
        )
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_service_user(folder: Path, executable: str) -> str:
    """A ``pg_ctl`` that drops root for the ``postgres`` user, and a folder it may write."""
    wrapper = folder / "pg_ctl"
    wrapper.write_text(f'#!/bin/sh\nexec runuser -u {SERVICE_USER} -- "{executable}" "$@"\n')
    wrapper.chmod(0o755)
    shutil.chown(folder, SERVICE_USER)
    return str(wrapper)


@contextmanager
def throwaway_postgres(database: str = "test") -> Iterator[str]:
    """A running server with an empty *database*; yields its SQLAlchemy URL."""
    folder = Path(tempfile.mkdtemp(prefix="inviteonce-postgres-"))
    try:
        executable = pg_ctl()
        if os.geteuid() == 0:
            executable = _as_service_user(folder, executable)
        port = _free_port()
        executor = PostgreSQLExecutor(
            executable=executable,
            host="127.0.0.1",
            port=port,
            datadir=str(folder / "data"),
            unixsocketdir=str(folder),
            logfile=str(folder / "server.log"),
            startparams="-w",
            dbname=database,
            user=SERVICE_USER,
        )
        with executor:
            with psycopg.connect(
                host="127.0.0.1", port=port, user=SERVICE_USER, dbname="postgres", autocommit=True
            ) as connection:
                connection.execute(f'CREATE DATABASE "{database}"')
            yield f"postgresql+psycopg://{SERVICE_USER}@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
