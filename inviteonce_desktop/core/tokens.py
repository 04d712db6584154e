"""Link tokens and opaque resource keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 18  # 144 random bits


def new_token() -> str:
    """A URL-safe token with 144 bits of randomness."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def opaque_key(secret: bytes, resource_key: str) -> str:
    """A stable key for *resource_key* that reveals nothing about it."""
    digest = hmac.new(secret, resource_key.encode(), hashlib.sha256).hexdigest()
    return digest[:32]
