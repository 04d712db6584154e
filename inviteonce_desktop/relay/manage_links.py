"""The customer's manage link of a meeting: a token of its own, only its digest stored.

The token is derived from the invitation's link token, the offer's random salt
and the meeting's first booking row: the relay can give it to the customer on
the booked page (who holds the link) and to the organizer's feed (whose key
rebuilds the link), while the database alone cannot rebuild it and a link
token alone (a forwarded invitation) does not give it. Its digest is stored
the first time either shows it, so it is found again in one lookup.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from .database import write_transaction
from .keys import TOKEN_LENGTH, digest
from .schema import bookings, manage_links

PREFIX = "/m/"


def manage_token(link_token: str, salt: str, origin: int) -> str:
    """The manage token of the meeting whose first booking row is *origin*: 144 bits."""
    message = f"manage\x00{salt}\x00{origin}".encode()
    mac = hmac.new(link_token.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:TOKEN_LENGTH]


def manage_path(token: str) -> str:
    return f"{PREFIX}{token}"


def remember(connection: Connection, tokens: Iterable[tuple[str, int]], now: int) -> None:
    """Stores the digest of each (token, origin) not stored yet."""
    wanted = {digest(token): origin for token, origin in tokens}
    if not wanted:
        return
    known = set(
        connection.execute(
            select(manage_links.c.token_hash).where(manage_links.c.token_hash.in_(list(wanted)))
        ).scalars()
    )
    for token_hash, origin in wanted.items():
        if token_hash in known:
            continue
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(manage_links).values(
                        token_hash=token_hash, booking_id=origin, created_at=now
                    )
                )
        except IntegrityError:
            continue  # stored by a concurrent request meanwhile


def remember_all(engine: Engine, tokens: Iterable[tuple[str, int]], now: int) -> None:
    """Stores the digests not stored yet: looked for in a read, written (rarely) in a
    transaction that takes SQLite's write lock first, so it waits for other writers
    instead of failing with "database is locked" on the way from reading to writing."""
    pairs = list(tokens)
    if not pairs:
        return
    with engine.connect() as connection:
        known = set(
            connection.execute(
                select(manage_links.c.token_hash).where(
                    manage_links.c.token_hash.in_([digest(token) for token, _ in pairs])
                )
            ).scalars()
        )
    missing = [(token, origin) for token, origin in pairs if digest(token) not in known]
    if not missing:
        return
    with write_transaction(engine) as connection:
        remember(connection, missing, now)


def origin_of(connection: Connection, token: str) -> int | None:
    """The first booking row of the meeting this manage token belongs to."""
    found = connection.execute(
        select(manage_links.c.booking_id).where(manage_links.c.token_hash == digest(token))
    ).scalar_one_or_none()
    return None if found is None else int(found)


def changes_of(engine: Engine, origin: int) -> int:
    """How often the meeting was moved: the SEQUENCE its calendar file carries."""
    with engine.connect() as connection:
        found = connection.execute(
            select(func.count()).select_from(bookings).where(bookings.c.origin_id == origin)
        ).scalar_one()
    return int(found)
