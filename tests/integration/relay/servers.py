"""Standalone relays for tests: ``inviteonce-relay serve`` processes on SQLite or PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.organizers import OrganizerDirectory


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


def add_organizer(database_url: str, name: str = "Ann") -> str:
    engine = create_relay_engine(database_url, pool_size=1)
    migrate(engine)
    key = OrganizerDirectory(engine).add(name)
    engine.dispose()
    return key


@contextmanager
def serve(database_url: str, workers: int, **environ: str) -> Iterator[str]:
    """``inviteonce-relay serve`` with *workers*; yields its base URL once healthy."""
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
    server = subprocess.Popen(command, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base_url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the relay exited"
            assert time.monotonic() < deadline, "the relay did not start"
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)
