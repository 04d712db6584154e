"""Secrets in an encrypted file for a system with no keyring: chosen, opened, reported."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from inviteonce_desktop.application.doctor import QT_PROBE_MARK, Verdict, examine, plan_for
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.application.secrets import PASSPHRASE_FILE_VARIABLE
from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from tests.cli_runner import Ran
from tests.cli_runner import run_inviteonce as run

PASSPHRASE = "a long passphrase, 2026"
STAND_IN_QT = [sys.executable, "-c", f"print('{QT_PROBE_MARK}offscreen')"]


@pytest.fixture
def no_keyring(memory_keyring: MemoryKeyring) -> None:
    """A Linux session with no Secret Service: keyring's fail backend."""
    keyring.set_keyring(fail.Keyring())


def passphrase_file(tmp_path: Path, text: str = PASSPHRASE, name: str = "passphrase") -> Path:
    path = tmp_path / name
    path.write_text(text + "\n")
    path.chmod(0o600)
    return path


def with_passphrase(
    monkeypatch: pytest.MonkeyPatch, home: Path, path: Path | None, *args: str, stdin: str = ""
) -> Ran:
    if path is None:
        monkeypatch.delenv(PASSPHRASE_FILE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(PASSPHRASE_FILE_VARIABLE, str(path))
    return run(home, *args, stdin=stdin)


def smtp_with_password(home: Path, monkeypatch: pytest.MonkeyPatch, path: Path | None) -> Ran:
    return with_passphrase(
        monkeypatch,
        home,
        path,
        *("settings", "mail", "smtp", "mail.example.com", "--username", "ann"),
        "--password-stdin",
        stdin="smtp-secret-7\n",
    )


def test_with_no_keyring_the_secrets_go_to_the_encrypted_file(
    tmp_path: Path, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, phrase = tmp_path / "ws", passphrase_file(tmp_path)
    refused = smtp_with_password(home, monkeypatch, None)
    assert refused.returncode != 0 and "no keyring service" in refused.stderr

    chosen = run(home, "settings", "secrets", "file", "--passphrase-file", str(phrase))
    assert chosen.returncode == 0, chosen.stderr
    saved = smtp_with_password(home, monkeypatch, phrase)

    assert saved.returncode == 0, saved.stderr
    stored = (home / "secrets.enc").read_bytes()
    assert b"smtp-secret-7" not in stored and PASSPHRASE.encode() not in stored
    assert b"smtp-secret-7" not in (home / "inviteonce.sqlite3").read_bytes()
    shown = with_passphrase(monkeypatch, home, phrase, "settings", "secrets", "show", "--json")
    assert json.loads(shown.stdout) == {
        "storage": "file",
        "file": str(home / "secrets.enc"),
        "locked": False,
    }
    for output in (chosen, saved, shown):
        assert PASSPHRASE not in output.stdout + output.stderr


def test_the_file_must_be_opened_and_a_wrong_passphrase_is_one_sentence(
    tmp_path: Path, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, phrase = tmp_path / "ws", passphrase_file(tmp_path)
    run(home, "settings", "secrets", "file", "--passphrase-file", str(phrase))

    locked = with_passphrase(monkeypatch, home, None, "settings", "mail", "show")
    wrong = with_passphrase(
        monkeypatch,
        home,
        passphrase_file(tmp_path, "not it at all", "wrong"),
        "settings",
        "mail",
        "show",
    )

    shown = with_passphrase(monkeypatch, home, None, "settings", "secrets", "show", "--json")
    assert json.loads(shown.stdout)["locked"] is True
    assert locked.returncode == 2
    assert locked.stderr == (
        f"inviteonce: InviteOnce keeps its secrets in the encrypted file {home / 'secrets.enc'}: "
        "run this in a terminal to type its passphrase, or name a file holding it in "
        f"{PASSPHRASE_FILE_VARIABLE}.\n"
    )
    assert wrong.returncode == 2
    assert wrong.stderr == (
        f"inviteonce: The passphrase does not open the secrets file {home / 'secrets.enc'}.\n"
    )


def test_a_short_passphrase_is_refused(tmp_path: Path, no_keyring: None) -> None:
    short = run(
        tmp_path / "ws",
        "settings",
        "secrets",
        "file",
        "--passphrase-file",
        str(passphrase_file(tmp_path, "short")),
    )
    assert short.returncode == 2
    assert short.stderr == "inviteonce: Choose a passphrase of at least 8 characters.\n"


def test_the_doctor_reports_the_file_open_or_locked(tmp_path: Path, no_keyring: None) -> None:
    app = InviteOnce.open(tmp_path / "ws")
    try:
        app.keep_secrets_in_file(PASSPHRASE)
        relay = "http://127.0.0.1:9"
        plan = plan_for(app, STAND_IN_QT, dict(os.environ), relay_url=relay)
        (opened,) = [f for f in examine(plan) if f.check == "Keyring"]
    finally:
        app.close()
    locked_app = InviteOnce.open(tmp_path / "ws")
    try:
        plan = plan_for(locked_app, STAND_IN_QT, dict(os.environ), relay_url=relay)
        (locked,) = [f for f in examine(plan) if f.check == "Keyring"]
    finally:
        locked_app.close()

    secrets = tmp_path / "ws" / "secrets.enc"
    assert opened.verdict is Verdict.OK
    assert (
        opened.message == f"Calendar tokens and passwords are kept in the encrypted file {secrets}."
    )
    assert locked.verdict is Verdict.PROBLEM
    assert f"{secrets}, which is not open" in locked.message


def test_the_secrets_kept_so_far_go_into_the_file_with_it(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = InviteOnce.open(tmp_path / "ws")
    try:
        app.configure_mail(
            MailSettings("smtp", "mail.example.com", username="ann"), "smtp-secret-7"
        )
        assert app.keep_secrets_in_file(PASSPHRASE) == 1
        memory_keyring._secrets.clear()
        assert app.mail.transport() is not None
        assert app.credentials.get("mail", "smtp-password") == "smtp-secret-7"
    finally:
        app.close()
    assert b"smtp-secret-7" not in (tmp_path / "ws" / "secrets.enc").read_bytes()


def test_back_to_a_keyring_moves_the_secrets(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    app = InviteOnce.open(tmp_path / "ws")
    try:
        app.keep_secrets_in_file(PASSPHRASE)
        app.credentials.set(3, "token", "refresh-abc")
        assert memory_keyring._secrets == {}
        assert app.keep_secrets_in_keyring() == 1
        assert not app.secrets_in_file()
        assert app.credentials.get(3, "token") == "refresh-abc"
        assert "refresh-abc" in memory_keyring._secrets.values()
    finally:
        app.close()
