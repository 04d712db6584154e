"""Request bodies decoded at the door, by the shapes of the relay contract.

``msgspec`` checks types and limits as it decodes (nothing oversized or
nested past the shape is ever built); the checks that need more than one field
follow. An offer that passes can be stored and served: every instant lies
between 2000 and 2999, every key and text is printable.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TypeVar

import msgspec

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.relay_contract import (
    MAX_KEY_LENGTH,
    MAX_KEYS,
    MAX_POOLS,
    MAX_SLOTS,
    MAX_TEXT,
    OfferIn,
    SlotIn,
)
from inviteonce_desktop.core.timezones import is_zone

from .branding import Branding, parse_branding
from .offer import Offer, Slot

__all__ = [
    "MalformedBody",
    "MAX_KEYS",
    "MAX_KEY_LENGTH",
    "MAX_POOLS",
    "MAX_SLOTS",
    "MAX_TEXT",
    "decode",
    "parse_offer",
]

EARLIEST = int(datetime(2000, 1, 1, tzinfo=UTC).timestamp())
LATEST = int(datetime(2999, 12, 31, tzinfo=UTC).timestamp())

Shape = TypeVar("Shape")


class MalformedBody(ValidationError):
    """A request body that is not JSON of the expected shape (answered 400)."""


_AT = re.compile(r" - at `\$(?:\.(?P<path>[^`]*))?`$")


def _sentence(error: msgspec.ValidationError) -> str:
    text = str(error)
    match = _AT.search(text)
    where = (match.group("path") or "") if match else ""
    problem = _AT.sub("", text)
    if problem.startswith("Object contains unknown field"):
        return (
            problem.replace("Object contains unknown field", "Unknown field").replace("`", "'")
            + "."
        )
    if "with a timezone component" in problem:
        return f"The date and time '{where}' must carry a time zone."
    if "matching regex" in problem:
        problem = "no line breaks or control characters, and keys of printable ASCII only"
    problem = problem[0].lower() + problem[1:]
    if not where:
        return f"The body is not valid: {problem}."
    return f"The field '{where}' is not valid: {problem}."


def decode(raw: bytes, shape: type[Shape]) -> Shape:
    """*raw* decoded as *shape*, or a ValidationError with one sentence."""
    try:
        return msgspec.json.decode(raw, type=shape)
    except msgspec.ValidationError as error:
        raise MalformedBody(_sentence(error)) from None
    except msgspec.DecodeError:
        raise MalformedBody("The request body is not valid JSON.") from None


def instant(value: datetime, what: str, *, whole_minute: bool = True) -> int:
    """Epoch seconds of an aware instant within the relay's years (else a 400)."""
    if whole_minute and (value.second or value.microsecond):
        raise MalformedBody(f"The {what} '{value.isoformat()}' must fall on a whole minute.")
    seconds = int(value.timestamp())
    if not EARLIEST <= seconds <= LATEST:
        raise MalformedBody(f"The {what} '{value.isoformat()}' must lie between 2000 and 2999.")
    return seconds


def _text(value: str, name: str, *, required: bool = True) -> str:
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise ValidationError(f"The field '{name}' is empty.")
    return cleaned


def _zone(value: str, name: str) -> str:
    if not is_zone(value):
        raise ValidationError(f"The field '{name}' must name a known time zone.")
    return value


def _slot(value: SlotIn, position: int) -> Slot:
    start = instant(value.start, f"start of slot {position}")
    end = instant(value.end, f"end of slot {position}")
    if end <= start or end - start > 24 * 3600:
        raise ValidationError(f"Slot {position} must end after it starts, within 24 hours.")
    return Slot(
        start,
        end,
        tuple(dict.fromkeys(value.resources)),
        tuple(tuple(dict.fromkeys(pool)) for pool in value.pools),
    )


def _slots(values: list[SlotIn]) -> tuple[Slot, ...]:
    slots = sorted((_slot(item, n + 1) for n, item in enumerate(values)), key=lambda s: s.start)
    for earlier, later in zip(slots, slots[1:], strict=False):
        if earlier.start == later.start:
            raise ValidationError("Two slots start at the same time.")
    return tuple(slots)


def _promoted(values: list[datetime], slots: tuple[Slot, ...]) -> tuple[int, ...]:
    starts = {slot.start for slot in slots}
    promoted: list[int] = []
    for value in values:
        start = instant(value, "promoted slot")
        if start not in starts:
            raise ValidationError(
                f"The promoted slot '{value.isoformat()}' is not one of the slots."
            )
        if start not in promoted:
            promoted.append(start)
    return tuple(promoted)


def to_offer(body: OfferIn) -> Offer:
    """The stored form of a decoded offer, after the checks across fields."""
    slots = _slots(body.slots)
    fixed = body.fixed_time_zone
    return Offer(
        subject=_text(body.subject, "subject"),
        duration_minutes=body.duration_minutes,
        organizer_name=_text(body.organizer_name, "organizer_name"),
        meeting_type=body.meeting_type,
        location=_text(body.location, "location", required=False),
        time_zone=_zone(body.time_zone, "time_zone"),
        time_zone_conversion=body.time_zone_conversion,
        fixed_time_zone=None if fixed is None else _zone(fixed, "fixed_time_zone"),
        expires_at=instant(body.expires_at, "expiry", whole_minute=False),
        slots=slots,
        promoted=_promoted(body.promoted, slots),
        notice=body.minimum_notice_minutes * 60,
        buffer_before=body.buffer_before_minutes * 60,
        buffer_after=body.buffer_after_minutes * 60,
        branding=_branding(body),
        customer_name=_text(body.customer_name, "customer_name", required=False),
        customer_email=body.customer_email,
        change_lead=body.change_lead_minutes * 60,
    )


def _branding(body: OfferIn) -> Branding | None:
    """The branding, its images checked by their first bytes (the relay's own rules)."""
    if body.branding is None:
        return None
    return parse_branding(msgspec.to_builtins(body.branding))


def parse_offer(raw: bytes) -> Offer:
    """The offer in the JSON *raw*, or a :class:`ValidationError` naming the problem."""
    return to_offer(decode(raw, OfferIn))
