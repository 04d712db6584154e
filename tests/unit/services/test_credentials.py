from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from inviteonce_desktop.services.credentials import (
    SERVICE_NAME,
    CredentialStore,
    CredentialsUnavailable,
)
from inviteonce_desktop.services.memory_keyring import MemoryKeyring


def test_round_trip_through_the_keyring() -> None:
    backend = MemoryKeyring()
    store = CredentialStore(backend)
    store.set(7, "token", "s3cret")
    assert store.get(7, "token") == "s3cret"
    assert backend.get_password(SERVICE_NAME, "calendar:7:token") == "s3cret"
    assert store.get(8, "token") is None


def test_delete_is_idempotent() -> None:
    store = CredentialStore(MemoryKeyring())
    store.set(1, "password", "x")
    store.delete(1, "password")
    store.delete(1, "password")
    assert store.get(1, "password") is None


def test_forget_account_removes_every_named_secret() -> None:
    store = CredentialStore(MemoryKeyring())
    store.set(2, "token", "a")
    store.set(2, "password", "b")
    store.forget_account(2, ("token", "password"))
    assert store.get(2, "token") is None and store.get(2, "password") is None


def test_uses_the_selected_keyring_when_none_is_given() -> None:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        CredentialStore().set(3, "token", "t")
        assert memory.get_password(SERVICE_NAME, "calendar:3:token") == "t"
    finally:
        keyring.set_keyring(previous)


def test_memory_keyring_is_never_chosen_automatically() -> None:
    assert MemoryKeyring.priority < fail.Keyring.priority
    assert not any(
        isinstance(k, MemoryKeyring) for k in keyring.backend.get_all_keyring() if k.priority > 0
    )


def test_a_failing_keyring_gives_a_clear_error_without_the_secret() -> None:
    store = CredentialStore(fail.Keyring())
    with pytest.raises(CredentialsUnavailable) as caught:
        store.set(4, "token", "very-secret")
    assert "very-secret" not in str(caught.value)


def test_no_keyring_service_says_which_one_is_missing_and_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    store = CredentialStore(fail.Keyring())
    with pytest.raises(CredentialsUnavailable) as caught:
        store.set(4, "token", "very-secret")
    assert str(caught.value) == (
        "The system keyring could not be written: this session has no keyring service; "
        "install and unlock a Secret Service keyring (GNOME Keyring or KWallet; "
        "Debian/Ubuntu: sudo apt install gnome-keyring), then start InviteOnce again."
    )


def test_a_locked_keyring_is_named_and_the_user_told_to_unlock_it() -> None:
    class Locked(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("locked")

    with pytest.raises(CredentialsUnavailable) as caught:
        CredentialStore(Locked()).get(4, "token")
    assert str(caught.value) == (
        f"The system keyring ({Locked.__module__}.Locked) could not be read; "
        "unlock it and try again."
    )
