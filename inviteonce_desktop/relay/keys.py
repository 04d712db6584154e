"""Organizer keys and link tokens. Only their SHA-256 digests are stored.

A link token is derived from the organizer's key and a random salt kept with
the offer: publishing the same offer again with the same key gives the same
token, and the database alone cannot rebuild any link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

KEY_PREFIX = "io_"
TOKEN_LENGTH = 24  # base64url characters: 144 bits
SALT_BYTES = 16


def new_organizer_key() -> str:
    """A fresh organizer key with 256 random bits."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def link_token(organizer_key: str, salt: str, invitation_id: str) -> str:
    """The customer link token of an offer: 144 bits, URL-safe."""
    message = f"link\x00{salt}\x00{invitation_id}".encode()
    mac = hmac.new(organizer_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:TOKEN_LENGTH]


def looks_like_token(value: str) -> bool:
    """Cheap shape check before any database lookup."""
    return len(value) == TOKEN_LENGTH and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in value
    )
