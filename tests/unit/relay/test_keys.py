from __future__ import annotations

import base64

from inviteonce_desktop.relay.keys import (
    digest,
    link_token,
    looks_like_token,
    new_organizer_key,
    new_salt,
)


def test_link_tokens_carry_144_bits_and_are_stable_per_key_and_salt() -> None:
    salt = new_salt()
    token = link_token("io_key", salt, "inv-1")
    assert len(base64.urlsafe_b64decode(token)) * 8 == 144
    assert token == link_token("io_key", salt, "inv-1")
    assert token != link_token("io_other", salt, "inv-1")
    assert token != link_token("io_key", new_salt(), "inv-1")
    assert looks_like_token(token)
    assert not looks_like_token(token[:-1]) and not looks_like_token("<" * 24)


def test_keys_are_random_and_stored_as_digests() -> None:
    first, second = new_organizer_key(), new_organizer_key()
    assert first != second and first.startswith("io_")
    assert len(digest(first)) == 64 and first not in digest(first)
