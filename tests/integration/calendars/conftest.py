from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from inviteonce_desktop.services.memory_keyring import MemoryKeyring

from .fakes.radicale import RadicaleServer, radicale_server


@pytest.fixture()
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous: KeyringBackend = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    folder: Path = tmp_path_factory.mktemp("radicale")
    with radicale_server(folder, {"alice": "alice-app-password", "bob": "bob-pw"}) as server:
        yield server
