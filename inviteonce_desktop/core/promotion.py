"""Suggesting promoted slots: a few times spread across days and times of day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from .availability import Slot


def suggest_promoted(slots: Sequence[Slot], count: int, tz: tzinfo) -> list[Slot]:
    """Up to *count* slots, one per day in turn, each at a time of day unlike those taken."""
    if count <= 0 or not slots:
        return []
    by_day: dict[object, list[Slot]] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    days = list(by_day.values())
    chosen: list[Slot] = []
    taken_minutes: list[int] = []
    round_number = 0
    while len(chosen) < count and any(days):
        for day in days:
            if not day or len(chosen) >= count:
                continue
            best = max(day, key=lambda s: _distance(_minute(s, tz), taken_minutes, round_number))
            day.remove(best)
            chosen.append(best)
            taken_minutes.append(_minute(best, tz))
        round_number += 1
    return sorted(chosen, key=lambda s: s.start)


def _minute(slot: Slot, tz: tzinfo) -> int:
    local = slot.start.astimezone(tz)
    return local.hour * 60 + local.minute


def _distance(minute: int, taken: list[int], round_number: int) -> tuple[int, int]:
    if not taken:
        return (0, -minute)  # the earliest time on the first day
    return (min(abs(minute - t) for t in taken), -minute)
