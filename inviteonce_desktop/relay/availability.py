"""Which slots of an offer are still free, given the resources already held."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .offer import Offer, Slot

BusyTimes = Mapping[str, Sequence[tuple[int, int]]]


def busy_keys(slot: Slot, busy: BusyTimes) -> set[str]:
    """The keys of *slot* held by some booking during the slot."""
    return {
        key
        for key in slot.keys()
        if any(start < slot.end and end > slot.start for start, end in busy.get(key, ()))
    }


def choose_keys(slot: Slot, busy: set[str]) -> tuple[str, ...] | None:
    """Every required key plus one distinct free member per pool, or None."""
    if any(key in busy for key in slot.resources):
        return None
    chosen = list(slot.resources)
    taken = set(chosen)
    for pool in slot.pools:
        member = next((key for key in pool if key not in busy and key not in taken), None)
        if member is None:
            return None
        chosen.append(member)
        taken.add(member)
    return tuple(chosen)


def free_slots(offer: Offer, busy: BusyTimes, now: float) -> list[Slot]:
    """The offer's slots that start after *now* and can still be booked."""
    return [
        slot
        for slot in offer.slots
        if slot.start > now and choose_keys(slot, busy_keys(slot, busy)) is not None
    ]


def offer_keys(slots: Iterable[Slot]) -> set[str]:
    found: set[str] = set()
    for slot in slots:
        found |= slot.keys()
    return found


def minutes(start: int, end: int) -> range:
    """The whole minutes (since the epoch) that [start, end) touches."""
    return range(start // 60, -(-end // 60))
