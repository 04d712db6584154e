"""One sync loop per workspace: the window, the tray or ``inviteonce agent``, never two.

The loop acknowledges bookings and works the outbox; two of them on one
workspace would race for the same feed and the same queued messages. The lock
is an operating-system file lock on ``sync.lock`` in the workspace, so it is
released when its process ends, however it ends.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from ..core.errors import DomainError

LOCK_NAME = "sync.lock"
_OWNER_NAME = "sync.owner"


class SyncAlreadyRunning(DomainError):
    """Another process already runs the sync loop of this workspace."""


class SyncLock:
    """Held while this process runs the workspace's sync loop."""

    def __init__(self, home: Path, owner: str) -> None:
        self._home = home
        self._owner = owner
        self._lock = FileLock(str(home / LOCK_NAME), timeout=0)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def acquire(self) -> None:
        self._home.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise SyncAlreadyRunning(
                f"{self.holder() or 'Another InviteOnce'} already runs the sync for this "
                "workspace; bookings, emails and calendar updates go through it."
            ) from None
        (self._home / _OWNER_NAME).write_text(f"{self._owner} (process {os.getpid()})\n")

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def holder(self) -> str | None:
        """Who holds the lock, as that process wrote it down ("The window (process 42)")."""
        try:
            return (self._home / _OWNER_NAME).read_text().strip() or None
        except OSError:
            return None

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
