"""Calendar tokens and passwords, kept in the operating system's keyring only.

Keys look like ``calendar:<account_id>:token``; the service name is fixed.
Nothing here logs a secret or puts one in an exception message.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE_NAME = "InviteOnce Desktop"


_NO_BACKEND = ("keyring.backends.fail", "keyring.backends.null")


class CredentialsUnavailable(Exception):
    """The keyring could not be read or written."""


def backend_name(backend: KeyringBackend) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__name__}"


def is_usable(backend: KeyringBackend) -> bool:
    """False for keyring's stand-ins that store nothing (no keyring service was found)."""
    if type(backend).__module__ in _NO_BACKEND:
        return False
    children = getattr(backend, "backends", None)
    if isinstance(children, list) and type(backend).__module__ == "keyring.backends.chainer":
        return any(is_usable(child) for child in children)
    return True


def keyring_advice(platform: str = sys.platform) -> str:
    """How to get a keyring on *platform*, as the end of a sentence."""
    if platform.startswith("linux") or platform.startswith("freebsd"):
        return (
            "install and unlock a Secret Service keyring "
            "(GNOME Keyring or KWallet; Debian/Ubuntu: sudo apt install gnome-keyring), "
            "then start InviteOnce again."
        )
    if platform == "darwin":
        return "unlock the login keychain in Keychain Access and try again."
    return "check that Windows Credential Manager is available to your account."


class CredentialStore:
    """Reads and writes secrets for calendar accounts in one keyring."""

    def __init__(
        self, backend: KeyringBackend | None = None, service_name: str = SERVICE_NAME
    ) -> None:
        self._backend = backend
        self._service = service_name

    def use(self, backend: KeyringBackend | None) -> None:
        """Keep secrets in *backend* from now on (None: the system keyring)."""
        self._backend = backend

    def backend(self) -> KeyringBackend:
        """Where the secrets are kept now."""
        return self._keyring()

    def _keyring(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        import keyring  # loaded on first use: it probes the platform's backends

        return keyring.get_keyring()

    @staticmethod
    def key(account_id: int | str, name: str) -> str:
        return f"calendar:{account_id}:{name}"

    def _unavailable(self, verb: str) -> CredentialsUnavailable:
        backend = self._keyring()
        if not is_usable(backend):
            return CredentialsUnavailable(
                f"The system keyring could not be {verb}: this session has no keyring service; "
                + keyring_advice()
            )
        return CredentialsUnavailable(
            f"The system keyring ({backend_name(backend)}) could not be {verb}; "
            "unlock it and try again."
        )

    def get(self, account_id: int | str, name: str) -> str | None:
        from keyring.errors import KeyringError

        try:
            return self._keyring().get_password(self._service, self.key(account_id, name))
        except KeyringError:
            raise self._unavailable("read") from None

    def set(self, account_id: int | str, name: str, secret: str) -> None:
        from keyring.errors import KeyringError

        try:
            self._keyring().set_password(self._service, self.key(account_id, name), secret)
        except KeyringError:
            raise self._unavailable("written") from None

    def delete(self, account_id: int | str, name: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._keyring().delete_password(self._service, self.key(account_id, name))
        except PasswordDeleteError:
            return
        except KeyringError:
            raise self._unavailable("written") from None

    def forget_account(self, account_id: int | str, names: tuple[str, ...]) -> None:
        for name in names:
            self.delete(account_id, name)
