"""The encrypted secrets file: a keyring backend that keeps nothing readable on disk."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import keyring.backend
import pytest
from keyring.errors import PasswordDeleteError

from inviteonce_desktop.services.credentials import CredentialStore, is_usable
from inviteonce_desktop.services.secrets_file import (
    EncryptedFileKeyring,
    SecretsFileDamaged,
    WrongPassphrase,
)

SECRET = "ya29.refresh-token-Überall-7f3a"
PASSPHRASE = "correct horse battery staple"


def test_secrets_go_round_trip_through_a_second_opening(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    first = EncryptedFileKeyring(path, PASSPHRASE)
    assert isinstance(first, keyring.backend.KeyringBackend) and is_usable(first)
    first.set_password("InviteOnce Desktop", "calendar:1:token", SECRET)
    first.set_password("InviteOnce Desktop", "mail:smtp-password", "hunter2-smtp")

    again = EncryptedFileKeyring(path, PASSPHRASE)

    assert again.get_password("InviteOnce Desktop", "calendar:1:token") == SECRET
    assert again.get_password("InviteOnce Desktop", "calendar:2:token") is None
    again.delete_password("InviteOnce Desktop", "mail:smtp-password")
    assert first.get_password("InviteOnce Desktop", "mail:smtp-password") is None
    with pytest.raises(PasswordDeleteError):
        again.delete_password("InviteOnce Desktop", "mail:smtp-password")
    assert again.entries() == [("InviteOnce Desktop", "calendar:1:token", SECRET)]


def test_a_wrong_passphrase_is_one_sentence_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    EncryptedFileKeyring(path, PASSPHRASE).set_password("s", "u", SECRET)
    with pytest.raises(WrongPassphrase) as wrong:
        EncryptedFileKeyring(path, "correct horse battery stapler")
    assert str(wrong.value) == f"The passphrase does not open the secrets file {path}."


def test_the_file_never_holds_a_secret_or_the_passphrase_in_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    store = CredentialStore(EncryptedFileKeyring(path, PASSPHRASE))
    store.set(7, "token", SECRET)
    store.set(7, "password", "hunter2-exchange")

    raw = path.read_bytes()
    for plain in (SECRET, "hunter2-exchange", "calendar:7", PASSPHRASE, "InviteOnce Desktop"):
        assert plain.encode() not in raw
        assert plain.encode("utf-16-le") not in raw
    document = json.loads(raw)
    assert document["kdf"] == "scrypt" and document["cipher"] == "AES-256-GCM"
    assert store.get(7, "token") == SECRET


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_file_is_private_and_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    backend = EncryptedFileKeyring(path, PASSPHRASE)
    for number in range(3):
        backend.set_password("s", f"u{number}", SECRET)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secrets.enc", "secrets.enc.lock"]


def test_two_openings_keep_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    window, agent = EncryptedFileKeyring(path, PASSPHRASE), EncryptedFileKeyring(path, PASSPHRASE)
    window.set_password("s", "from-window", "1")
    agent.set_password("s", "from-agent", "2")
    assert EncryptedFileKeyring(path, PASSPHRASE).entries() == [
        ("s", "from-window", "1"),
        ("s", "from-agent", "2"),
    ]


def test_a_changed_or_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    EncryptedFileKeyring(path, PASSPHRASE).set_password("s", "u", SECRET)
    document = json.loads(path.read_text())
    document["n"] = 2**14  # weaker parameters, tampered with: the tag no longer matches
    path.write_text(json.dumps(document))
    with pytest.raises(WrongPassphrase):
        EncryptedFileKeyring(path, PASSPHRASE)
    path.write_text('{"keyring": "something else"}')
    with pytest.raises(SecretsFileDamaged, match="not an InviteOnce secrets file"):
        EncryptedFileKeyring(path, PASSPHRASE)
