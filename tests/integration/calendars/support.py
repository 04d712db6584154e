"""Small helpers the provider tests share."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TypeVar

from inviteonce_desktop.services.calendars.base import CalendarProvider

T = TypeVar("T")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def run_then_close(provider: CalendarProvider, work: Awaitable[T]) -> T:
    """Run *work* on a fresh loop, then close the provider on that same loop."""

    async def run() -> T:
        try:
            return await work
        finally:
            await provider.aclose()

    return asyncio.run(run())
