"""A keyring backend in a JSON file, so that ``inviteonce`` subprocesses share secrets.

Selected in a child process with ``PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring``
and ``INVITEONCE_TEST_KEYRING_FILE``; the file lives in the test's temporary folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

FILE_VARIABLE = "INVITEONCE_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805
        return -1.0

    def _path(self) -> Path:
        return Path(os.environ[FILE_VARIABLE])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return dict(json.loads(path.read_text("utf-8"))) if path.exists() else {}

    def _save(self, secrets: dict[str, str]) -> None:
        path = self._path()
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(secrets), "utf-8")
        partial.replace(path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._load()
        secrets[f"{service}\n{username}"] = password
        self._save(secrets)

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._load()
        if secrets.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError("No such secret.")
        self._save(secrets)
