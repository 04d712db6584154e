"""Organizers and their API keys (stored as digests only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, insert, or_, select, update

from inviteonce_desktop.core.errors import NotFound, ValidationError
from inviteonce_desktop.core.validation import clean_name

from .clock import Clock, system_clock
from .database import write_transaction
from .keys import digest, new_organizer_key
from .schema import organizers

ONLINE_SECONDS = 60
"""A desktop long-polls the feed without pause while it runs; a minute's silence is offline."""


@dataclass(frozen=True, slots=True)
class Organizer:
    id: int
    name: str
    created_at: int
    rotated_at: int | None


class OrganizerDirectory:
    def __init__(self, engine: Engine, clock: Clock = system_clock) -> None:
        self._engine = engine
        self._clock = clock

    def add(self, name: str) -> str:
        """Registers *name* and returns its new key, which is never shown again."""
        name = clean_name(name, "organizer name", 100)
        key = new_organizer_key()
        with write_transaction(self._engine) as connection:
            exists = connection.execute(
                select(organizers.c.id).where(organizers.c.name == name)
            ).first()
            if exists is not None:
                raise ValidationError(f"An organizer called '{name}' already exists.")
            connection.execute(
                insert(organizers).values(
                    name=name, key_hash=digest(key), created_at=int(self._clock())
                )
            )
        return key

    def rotate(self, name: str) -> str:
        """A new key for *name*; the old one stops working at once."""
        key = new_organizer_key()
        with write_transaction(self._engine) as connection:
            result = connection.execute(
                update(organizers)
                .where(organizers.c.name == name)
                .values(key_hash=digest(key), rotated_at=int(self._clock()))
            )
            if result.rowcount != 1:
                raise NotFound(f"There is no organizer called '{name}'.")
        return key

    def list(self) -> list[Organizer]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(organizers).order_by(organizers.c.name)).all()
        return [Organizer(r.id, r.name, r.created_at, r.rotated_at) for r in rows]

    def seen(self, organizer_id: int) -> None:
        """The organizer's desktop is asking for bookings now (written at most every 10 s)."""
        now = int(self._clock())
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(organizers)
                .where(
                    organizers.c.id == organizer_id,
                    or_(organizers.c.seen_at.is_(None), organizers.c.seen_at < now - 10),
                )
                .values(seen_at=now)
            )

    def online(self, organizer_id: int) -> bool:
        """Whether the organizer's desktop asked for bookings within the last minute."""
        with self._engine.connect() as connection:
            seen = connection.execute(
                select(organizers.c.seen_at).where(organizers.c.id == organizer_id)
            ).scalar_one_or_none()
        return seen is not None and seen >= self._clock() - ONLINE_SECONDS

    def authenticate(self, key: str) -> int | None:
        """The organizer id owning *key*, or None."""
        if not key or len(key) > 200:
            return None
        with self._engine.connect() as connection:
            return connection.execute(
                select(organizers.c.id).where(organizers.c.key_hash == digest(key))
            ).scalar_one_or_none()
