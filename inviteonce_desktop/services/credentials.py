"""Calendar tokens and passwords, kept in the operating system's keyring only.

Keys look like ``calendar:<account_id>:token``; the service name is fixed.
Nothing here logs a secret or puts one in an exception message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE_NAME = "InviteOnce Desktop"


class CredentialsUnavailable(Exception):
    """The keyring could not be read or written."""


class CredentialStore:
    """Reads and writes secrets for calendar accounts in one keyring."""

    def __init__(
        self, backend: KeyringBackend | None = None, service_name: str = SERVICE_NAME
    ) -> None:
        self._backend = backend
        self._service = service_name

    def _keyring(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        import keyring  # loaded on first use: it probes the platform's backends

        return keyring.get_keyring()

    @staticmethod
    def key(account_id: int | str, name: str) -> str:
        return f"calendar:{account_id}:{name}"

    def get(self, account_id: int | str, name: str) -> str | None:
        from keyring.errors import KeyringError

        try:
            return self._keyring().get_password(self._service, self.key(account_id, name))
        except KeyringError:
            raise CredentialsUnavailable("The system keyring could not be read.") from None

    def set(self, account_id: int | str, name: str, secret: str) -> None:
        from keyring.errors import KeyringError

        try:
            self._keyring().set_password(self._service, self.key(account_id, name), secret)
        except KeyringError:
            raise CredentialsUnavailable("The system keyring could not be written.") from None

    def delete(self, account_id: int | str, name: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._keyring().delete_password(self._service, self.key(account_id, name))
        except PasswordDeleteError:
            return
        except KeyringError:
            raise CredentialsUnavailable("The system keyring could not be written.") from None

    def forget_account(self, account_id: int | str, names: tuple[str, ...]) -> None:
        for name in names:
            self.delete(account_id, name)
