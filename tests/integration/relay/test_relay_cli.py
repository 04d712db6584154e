"""``inviteonce-relay`` commands on a real SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from inviteonce_desktop.relay.cli import main
from inviteonce_desktop.relay.database import create_relay_engine, head_revision, schema_revision
from inviteonce_desktop.relay.organizers import OrganizerDirectory


def test_organizers_add_list_rotate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'relay.sqlite3'}"
    assert main(["--database-url", url, "organizers", "add", "Sales"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["--database-url", url, "organizers", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("Sales\tcreated ") and first not in listing
    assert main(["--database-url", url, "organizers", "rotate", "Sales"]) == 0
    second = capsys.readouterr().out.strip()
    engine = create_relay_engine(url)
    directory = OrganizerDirectory(engine)
    assert directory.authenticate(first) is None
    assert directory.authenticate(second) is not None
    engine.dispose()


def test_errors_are_one_sentence_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'relay.sqlite3'}"
    main(["--database-url", url, "organizers", "add", "Sales"])
    capsys.readouterr()
    assert main(["--database-url", url, "organizers", "add", "Sales"]) == 1
    assert (
        capsys.readouterr().err == "inviteonce-relay: An organizer called 'Sales' already exists.\n"
    )
    assert main(["--database-url", url, "organizers", "rotate", "Nobody"]) == 1
    assert "no organizer called 'Nobody'" in capsys.readouterr().err


def test_migrate_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    monkeypatch.setenv("INVITEONCE_RELAY_DATABASE_URL", url)
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
    engine = create_relay_engine(url)
    assert schema_revision(engine) == head_revision()
    engine.dispose()


def test_purge_and_a_bad_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'relay.sqlite3'}"
    assert main(["--database-url", url, "purge"]) == 0
    assert "Removed the content of 0 finished offers." in capsys.readouterr().out
    monkeypatch.setenv("INVITEONCE_RELAY_WORKERS", "many")
    assert main(["--database-url", url, "migrate"]) == 1
    assert capsys.readouterr().err == (
        "inviteonce-relay: INVITEONCE_RELAY_WORKERS must be a whole number, not 'many'.\n"
    )


def test_serve_help_lists_every_setting(capsys: pytest.CaptureFixture[str]) -> None:
    from inviteonce_desktop.relay.settings import RelaySettings

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    shown = capsys.readouterr().out
    assert all(name in shown for name, _default, _meaning in RelaySettings.documented())
