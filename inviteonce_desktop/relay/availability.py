"""Which slots of an offer are still free, given the resources already held.

A booking holds each of its resources over its meeting [start, end) and, with
its offer's buffers, over [start - buffer before, end + buffer after). A slot
of another offer conflicts with it when the slot's own buffered span overlaps
the meeting, or the slot's meeting overlaps the booking's buffered span: the
buffers keep meetings apart, as the desktop's availability does, and two
buffers may touch each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .offer import Offer, Slot


@dataclass(frozen=True, slots=True)
class Held:
    """One resource of a booking: its meeting and its buffered span."""

    start: int
    end: int
    held_start: int
    held_end: int


BusyTimes = Mapping[str, Sequence[Held]]


def _clashes(slot: Slot, before: int, after: int, held: Held) -> bool:
    meeting = slot.start < held.end and slot.end > held.start
    padded = slot.start - before < held.end and slot.end + after > held.start
    inside_buffer = slot.start < held.held_end and slot.end > held.held_start
    return meeting or padded or inside_buffer


def busy_keys(slot: Slot, busy: BusyTimes, before: int = 0, after: int = 0) -> set[str]:
    """The keys of *slot* (with buffers *before*/*after* s) that some booking blocks."""
    return {
        key
        for key in slot.keys()
        if any(_clashes(slot, before, after, held) for held in busy.get(key, ()))
    }


def choose_keys(
    slot: Slot, busy: set[str], skip: frozenset[str] = frozenset()
) -> tuple[str, ...] | None:
    """Every required key plus one distinct free member per pool, or None.

    Members in *skip* are chosen only when no other member is free, so that
    concurrent bookings of one pool spread over its members.
    """
    if any(key in busy for key in slot.resources):
        return None
    chosen = list(slot.resources)
    taken = set(chosen)
    for pool in slot.pools:
        free = [key for key in pool if key not in busy and key not in taken]
        preferred = [key for key in free if key not in skip] or free
        if not preferred:
            return None
        chosen.append(preferred[0])
        taken.add(preferred[0])
    return tuple(chosen)


def bookable(offer: Offer, slot: Slot, now: float) -> bool:
    """Whether *slot* may still be booked at *now*: in the future, past the notice."""
    return slot.start > now and slot.start >= offer.earliest_start(now)


def free_slots(offer: Offer, busy: BusyTimes, now: float) -> list[Slot]:
    """The offer's slots that are past the notice and can still be booked."""
    before, after = offer.buffer_before, offer.buffer_after
    return [
        slot
        for slot in offer.slots
        if bookable(offer, slot, now)
        and choose_keys(slot, busy_keys(slot, busy, before, after)) is not None
    ]


def offer_keys(slots: Iterable[Slot]) -> set[str]:
    found: set[str] = set()
    for slot in slots:
        found |= slot.keys()
    return found


def minutes(start: int, end: int) -> range:
    """The whole minutes (since the epoch) that [start, end) touches."""
    return range(start // 60, -(-end // 60))
