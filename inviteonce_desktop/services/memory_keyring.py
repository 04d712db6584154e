"""A keyring backend that keeps secrets in memory, for tests and throwaway profiles.

Its priority is below the fail backend, so keyring never picks it on its own;
it is used only when selected explicitly with ``keyring.set_keyring``.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict, forgotten when the process ends."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805
        return -1.0

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError("No such secret.") from None
