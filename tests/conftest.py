"""Shared fixtures: an offscreen Qt, an in-memory keyring, throwaway workspaces."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from inviteonce_desktop.application.clock import FixedClock  # noqa: E402
from inviteonce_desktop.application.facade import InviteOnce  # noqa: E402
from inviteonce_desktop.services.memory_keyring import MemoryKeyring  # noqa: E402
from tests.cli_runner import Ran, run_inviteonce  # noqa: E402
from tests.postgres_server import answers, throwaway_postgres  # noqa: E402

if TYPE_CHECKING:
    from tests.integration.relay.servers import ServedRelay

POSTGRES_VARIABLE = "INVITEONCE_TEST_POSTGRES_URL"
LAUNCHES_VARIABLE = "INVITEONCE_RECORD_LAUNCHES"
"""A file to note each test that starts ``inviteonce`` as a process (benchmarks/suite.py)."""
SYNC_FORKED = "inviteonce.sync_forked"
"""Audited by the kill tests' sync driver (tests/integration/loop/parts.py) for each
``inviteonce sync`` it forks for a test: the driver itself starts once per session."""
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server's URL: the one the environment names when it answers, else a
    throwaway server of this session's own."""
    url = os.environ.get(POSTGRES_VARIABLE, DEFAULT_POSTGRES_URL)
    if answers(url):
        yield url
        return
    with throwaway_postgres() as own:
        yield own


@pytest.fixture(scope="session")
def served_on_postgres(postgres_url: str) -> Iterator[ServedRelay]:
    """``inviteonce-relay serve --workers 4`` on a schema of the test server, started once for
    the session's modules (the relay's integration tests and the browser's)."""
    from tests.integration.relay.servers import postgres_schema, served

    with postgres_schema(postgres_url) as url:
        yield from served(url)


@pytest.fixture
def inviteonce() -> Callable[..., Ran]:
    """Runs the command line in-process: ``inviteonce(home, "slots", "-m", "Ann")``."""
    return run_inviteonce


_running_test: list[str] = [""]


def _starts_inviteonce(args: object) -> bool:
    """``inviteonce ...``, or a Python that runs its ``main()`` (as the doctor's Qt probe does,
    and the kill tests' driver, which forks each ``inviteonce sync``)."""
    words = [str(a) for a in args] if isinstance(args, (list, tuple)) else [str(args)]
    return bool(words) and (
        os.path.basename(words[0]) == "inviteonce"
        or any("inviteonce_desktop.cli import main" in word for word in words)
        or any(os.path.basename(word) == "sync_driver.py" for word in words)
    )


def _note_launches(path: str) -> None:
    def hook(event: str, args: tuple[object, ...]) -> None:
        launched = event == SYNC_FORKED or (
            event == "subprocess.Popen" and _starts_inviteonce(args[1])
        )
        if launched and _running_test[0]:
            with open(path, "a", encoding="utf-8") as notes:
                notes.write(_running_test[0] + "\n")

    sys.addaudithook(hook)


if os.environ.get(LAUNCHES_VARIABLE):
    _note_launches(os.environ[LAUNCHES_VARIABLE])


@pytest.fixture(autouse=True)
def _name_the_running_test(request: pytest.FixtureRequest) -> Iterator[None]:
    _running_test[0] = request.node.nodeid
    yield
    _running_test[0] = ""


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers more than processors. Many tests wait on a server, a
    subprocess or Chromium; the extra workers use the processors meanwhile."""
    return (os.cpu_count() or 1) + 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files holding browser tests run first, then those holding other slow end-to-end
    tests, each file's tests in their order: the long files start early, each worker runs
    its browser files before Chromium stops for good, and the workers finish together on
    the short ones."""

    def holding(marker: str) -> set[Path]:
        return {item.path for item in items if item.get_closest_marker(marker)}

    browser, slow = holding("browser"), holding("slow")
    items.sort(key=lambda item: (item.path not in browser, item.path not in slow))
