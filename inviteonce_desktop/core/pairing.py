"""The pairing code: one string that carries a relay's public URL and an organizer key.

``inviteonce-relay init`` prints it; the desktop takes it in Settings, Relay, in the
provisioning file and as ``inviteonce settings relay pair CODE``. It is a secret
(it holds the key): it is shown once and stored only in the keyring.

    iorelay1.<base64url of {"url": ..., "key": ...}>
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ValidationError

PREFIX = "iorelay1."
_MISTYPED = (
    "The pairing code is incomplete or mistyped; copy the whole line that "
    "'inviteonce-relay init' (or 'inviteonce-relay organizers pair') printed."
)


@dataclass(frozen=True, slots=True)
class Pairing:
    url: str
    key: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError("The relay's public URL must start with https:// (or http://).")
        if not self.key or not self.key.isascii() or any(c.isspace() for c in self.key):
            raise ValidationError("The organizer key in the pairing code is not valid.")

    def encode(self) -> str:
        data = json.dumps({"url": self.url, "key": self.key}, separators=(",", ":"))
        return PREFIX + base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, code: str) -> Pairing:
        text = "".join(code.split())
        if not text.startswith(PREFIX):
            raise ValidationError(_MISTYPED)
        body = text[len(PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            data = json.loads(raw)
        except (binascii.Error, ValueError):
            raise ValidationError(_MISTYPED) from None
        if not isinstance(data, dict):
            raise ValidationError(_MISTYPED)
        url, key = data.get("url"), data.get("key")
        if not isinstance(url, str) or not isinstance(key, str):
            raise ValidationError(_MISTYPED)
        return cls(url.rstrip("/"), key)
