"""Where sign-ins and passwords are kept: the system keyring, or a file encrypted with a passphrase.

The choice is a workspace setting, readable before any secret is; the file
lives in the workspace folder. With the file chosen, the workspace starts
locked: the window asks the passphrase in a dialog, the command line on its
terminal or from the file named by ``INVITEONCE_SECRETS_PASSPHRASE_FILE`` (for
the headless agent). The passphrase itself is never stored, logged or taken
from the environment.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import DomainError, ValidationError
from ..services.credentials import CredentialStore, CredentialsUnavailable, is_usable
from ..store.settings import Settings
from ..store.workspace import Workspace

if TYPE_CHECKING:
    from ..services.secrets_file import EncryptedFileKeyring

# keyring and the secrets file are imported by the first secret read or written: a
# workspace opens (and the window starts) without them.

SECRETS_SETTINGS = "secrets"
SECRETS_FILE = "secrets.enc"
PASSPHRASE_FILE_VARIABLE = "INVITEONCE_SECRETS_PASSPHRASE_FILE"
MIN_PASSPHRASE = 8
SecretKey = tuple[int | str, str]
"""(account, name) of a keyring entry, as :class:`CredentialStore` names them."""


class SecretsLocked(DomainError):
    """The secrets file is chosen and not opened yet."""


class PassphraseRefused(DomainError):
    """The passphrase does not open the secrets file."""


class SecretsNotMoved(DomainError):
    """The system keyring cannot take the secrets; they stay in the file."""


class Secrets:
    def __init__(self, workspace: Workspace, credentials: CredentialStore) -> None:
        self._workspace = workspace
        self._credentials = credentials
        self._unlocked = False

    @property
    def file(self) -> Path:
        return self._workspace.home / SECRETS_FILE

    def in_file(self) -> bool:
        """True when the organizer chose the encrypted file over the system keyring."""
        with self._workspace.session() as session:
            stored = Settings(session).get(SECRETS_SETTINGS) or {}
        return stored.get("storage") == "file"

    def locked(self) -> bool:
        return self.in_file() and not self._unlocked

    def unlock(self, passphrase: str) -> None:
        """Open the chosen secrets file; PassphraseRefused when *passphrase* does not."""
        self._credentials.use(self._open(passphrase))
        self._unlocked = True

    def keep_in_file(self, passphrase: str, carry: Sequence[SecretKey] = ()) -> int:
        """From now on keep secrets in the encrypted file (made with *passphrase* if new),
        with the entries *carry* names copied from where they are now; how many were."""
        if len(passphrase) < MIN_PASSPHRASE:
            raise ValidationError(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters.")
        backend = self._open(passphrase)
        found: dict[SecretKey, str] = {}
        if not self.in_file() and is_usable(self._credentials.backend()):
            for account, name in carry:
                try:
                    secret = self._credentials.get(account, name)
                except CredentialsUnavailable:
                    break  # the keyring is locked or gone: nothing to carry over
                if secret is not None:
                    found[(account, name)] = secret
        self._credentials.use(backend)
        for (account, name), secret in found.items():
            self._credentials.set(account, name, secret)
        self._unlocked = True
        self._store("file")
        return len(found)

    def keep_in_keyring(self) -> int:
        """Back to the system keyring, moving what the file holds; how many secrets moved."""
        from keyring.errors import KeyringError

        from ..services.secrets_file import EncryptedFileKeyring

        if not self.in_file():
            return 0
        if self.locked():
            raise SecretsLocked("Open the secrets file with its passphrase first.")
        current = self._credentials.backend()
        self._credentials.use(None)
        system = self._credentials.backend()
        moved = 0
        try:
            if not is_usable(system):
                raise KeyringError("no keyring")
            if isinstance(current, EncryptedFileKeyring):
                for service, username, secret in current.entries():
                    system.set_password(service, username, secret)
                    moved += 1
        except KeyringError:
            self._credentials.use(current)
            raise SecretsNotMoved(
                "The system keyring cannot take the sign-ins and passwords; "
                "they stay in the encrypted file."
            ) from None
        self._store("keyring")
        self._unlocked = False
        return moved

    def _open(self, passphrase: str) -> EncryptedFileKeyring:
        from ..services.secrets_file import (
            EncryptedFileKeyring,
            SecretsFileDamaged,
            WrongPassphrase,
        )

        if not passphrase:
            raise PassphraseRefused("Enter the passphrase of the secrets file.")
        try:
            return EncryptedFileKeyring(self.file, passphrase)
        except WrongPassphrase as wrong:
            raise PassphraseRefused(str(wrong)) from None
        except (SecretsFileDamaged, OSError) as problem:
            raise PassphraseRefused(
                f"The secrets file {self.file} cannot be used: {problem}"
            ) from None

    def _store(self, storage: str) -> None:
        with self._workspace.session() as session:
            Settings(session).put(SECRETS_SETTINGS, {"storage": storage})


def passphrase_from_file(path: str) -> str:
    """The passphrase kept in the file *path* (its first line)."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeError):
        raise ValidationError(
            f"The passphrase file {path} ({PASSPHRASE_FILE_VARIABLE}) cannot be read."
        ) from None
    return text.splitlines()[0] if text else ""
