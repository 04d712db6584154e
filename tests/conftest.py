"""Shared fixtures: an offscreen Qt, an in-memory keyring, throwaway workspaces."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from inviteonce_desktop.application.clock import FixedClock  # noqa: E402
from inviteonce_desktop.application.facade import InviteOnce  # noqa: E402
from inviteonce_desktop.services.memory_keyring import MemoryKeyring  # noqa: E402

POSTGRES_VARIABLE = "INVITEONCE_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty keyring of its own; no OS keyring is touched."""
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """INVITEONCE_HOME points at a fresh folder, so no test sees the user's workspace."""
    home = tmp_path / "workspace"
    monkeypatch.setenv("INVITEONCE_HOME", str(home))
    # Login items (XDG autostart) go to the test's folder, never the user's.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return home


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))


@pytest.fixture
def app(isolated_home: Path, clock: FixedClock) -> Iterator[InviteOnce]:
    application = InviteOnce.open(isolated_home, clock)
    yield application
    application.close()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL server's URL; CI sets it, and without it the test fails loudly."""
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        pytest.fail(f"Set {POSTGRES_VARIABLE} to a PostgreSQL URL (the Makefile sets a default).")
    return url
