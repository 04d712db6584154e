"""A keyring backend over one file encrypted with a passphrase, for systems with no keyring.

The file is JSON: the key-derivation parameters (scrypt, a random salt) and
one AES-256-GCM ciphertext of every secret, with a fresh nonce at each write
and the parameters as associated data, so nothing in it is readable or
changeable without the passphrase. Each write replaces the file atomically
(a temporary file, fsync, rename), with mode 0600, under a file lock, after
reading it again, so two processes on one workspace never lose each other's
writes. The passphrase and the key stay in memory only.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from filelock import FileLock
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringError, PasswordDeleteError

FORMAT = "inviteonce-secrets-1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class WrongPassphrase(Exception):
    """The passphrase does not open the file; the message is one sentence."""


class SecretsFileDamaged(KeyringError):
    """The file is not one this backend wrote."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # cryptography is imported only by a workspace that keeps its secrets in the file.
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


class EncryptedFileKeyring(KeyringBackend):
    """Secrets in *path*, opened with *passphrase* (a new file is made when there is none).

    Raises :class:`WrongPassphrase` when the passphrase does not open an existing file.
    """

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805
        return -1.0  # never chosen by keyring on its own

    def __init__(self, path: Path, passphrase: str) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        super().__init__()  # type: ignore[no-untyped-call]
        self.path = path
        self._lock = FileLock(str(path.with_name(path.name + ".lock")), thread_local=False)
        with self._lock:
            if path.exists():
                header = self._header(self._load())
                self._salt = _unb64(header["salt"])
                self._params = (int(header["n"]), int(header["r"]), int(header["p"]))
                self._aes = AESGCM(_key(passphrase, self._salt, *self._params))
                self._read()  # proves the passphrase
            else:
                self._salt = secrets.token_bytes(16)
                self._params = (SCRYPT_N, SCRYPT_R, SCRYPT_P)
                self._aes = AESGCM(_key(passphrase, self._salt, *self._params))
                self._write({})

    # -- keyring's interface ---------------------------------------------------

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(self._name(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            stored = self._read()
            stored[self._name(service, username)] = password
            self._write(stored)

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            stored = self._read()
            if stored.pop(self._name(service, username), None) is None:
                raise PasswordDeleteError("No such secret.")
            self._write(stored)

    def entries(self) -> list[tuple[str, str, str]]:
        """Every (service, username, secret) kept, to move them elsewhere."""
        found = []
        for name, secret in self._read().items():
            service, _, username = name.partition("\n")
            found.append((service, username, secret))
        return found

    # -- the file ----------------------------------------------------------------

    @staticmethod
    def _name(service: str, username: str) -> str:
        return f"{service}\n{username}"

    def _header(self, document: dict[str, Any]) -> dict[str, Any]:
        if document.get("format") != FORMAT or document.get("kdf") != "scrypt":
            raise SecretsFileDamaged(f"{self.path} is not an InviteOnce secrets file.")
        return document

    def _aad(self) -> bytes:
        n, r, p = self._params
        return f"{FORMAT}|scrypt|{_b64(self._salt)}|{n}|{r}|{p}".encode()

    def _load(self) -> dict[str, Any]:
        try:
            document = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise SecretsFileDamaged(f"{self.path} cannot be read.") from error
        if not isinstance(document, dict):
            raise SecretsFileDamaged(f"{self.path} is not an InviteOnce secrets file.")
        return document

    def _read(self) -> dict[str, str]:
        from cryptography.exceptions import InvalidTag

        document = self._header(self._load())
        try:
            plain = self._aes.decrypt(
                _unb64(document["nonce"]), _unb64(document["data"]), self._aad()
            )
        except InvalidTag:
            raise WrongPassphrase(
                f"The passphrase does not open the secrets file {self.path}."
            ) from None
        except (KeyError, ValueError) as error:
            raise SecretsFileDamaged(f"{self.path} is damaged.") from error
        stored = json.loads(plain)
        return {str(k): str(v) for k, v in stored.items()}

    def _write(self, stored: dict[str, str]) -> None:
        n, r, p = self._params
        nonce = secrets.token_bytes(12)
        data = self._aes.encrypt(nonce, json.dumps(stored).encode("utf-8"), self._aad())
        document = {
            "format": FORMAT,
            "kdf": "scrypt",
            "salt": _b64(self._salt),
            "n": n,
            "r": r,
            "p": p,
            "cipher": "AES-256-GCM",
            "nonce": _b64(nonce),
            "data": _b64(data),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".secrets-", dir=self.path.parent)
        try:
            os.chmod(temporary, 0o600)  # mkstemp's own mode, said once more
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
