"""The relay's change counter, read cheaply on every page.

Every publish, cancel and booking raises ``relay_version`` inside its own
transaction (:func:`~.offer_store.bump_version`), so a worker that reads it
knows whether anything changed since it rendered a page, whichever worker or
host made the change. The read is a plain driver query on a raw connection:
on SQLite one connection kept for it (microseconds, on the event loop), on
PostgreSQL a pooled one in the thread pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

_READ = "SELECT version FROM relay_version WHERE id = 1"
UNKNOWN = -1
"""What a failed read gives: no cached copy matches it, so the page is rendered afresh."""


class ChangeCounter:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self._kept: Any = None

    async def current(self) -> int:
        if self._sqlite:
            return self._read_kept()
        return await run_in_threadpool(self._read_pooled)

    def _read_kept(self) -> int:
        try:
            if self._kept is None:
                self._kept = self._engine.raw_connection()
            return _read(self._kept)
        except Exception:  # noqa: BLE001 - any failure only means "render afresh"
            self.close()
            return UNKNOWN

    def _read_pooled(self) -> int:
        try:
            connection = self._engine.raw_connection()
        except Exception:  # noqa: BLE001 - the render that follows reports the database
            return UNKNOWN
        try:
            return _read(connection)
        except Exception:  # noqa: BLE001
            return UNKNOWN
        finally:
            connection.close()

    def close(self) -> None:
        kept, self._kept = self._kept, None
        if kept is not None:
            kept.close()


def _read(connection: Any) -> int:
    cursor = connection.cursor()
    try:
        cursor.execute(_READ)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return int(row[0]) if row else UNKNOWN
