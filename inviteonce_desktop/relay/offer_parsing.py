"""Turns the JSON body of ``PUT /api/v1/offers/{id}`` into an :class:`Offer`."""

from __future__ import annotations

from typing import Any

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.core.timezones import is_zone

from .branding import parse_branding
from .offer import Offer, Slot, parse_instant

MAX_SLOTS = 2000
MAX_KEYS = 50
MAX_POOLS = 10
MAX_TEXT = 500
MAX_KEY_LENGTH = 128

_FIELDS = {
    "subject",
    "duration_minutes",
    "organizer_name",
    "meeting_type",
    "location",
    "time_zone",
    "time_zone_conversion",
    "fixed_time_zone",
    "expires_at",
    "slots",
    "promoted",
    "branding",
}


def _text(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = body.get(name, None if required else "")
    if not isinstance(value, str):
        raise ValidationError(f"The field '{name}' must be a string.")
    if "\r" in value or "\n" in value:
        raise ValidationError(f"The field '{name}' cannot contain line breaks.")
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError(f"The field '{name}' is empty.")
    if len(value) > MAX_TEXT:
        raise ValidationError(f"The field '{name}' is longer than {MAX_TEXT} characters.")
    return value


def _zone(value: object, name: str) -> str:
    if not isinstance(value, str) or len(value) > 64 or not is_zone(value):
        raise ValidationError(f"The field '{name}' must name a known time zone.")
    return value


def _keys(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_KEYS:
        raise ValidationError(f"The {what} must be a list of at most {MAX_KEYS} keys.")
    keys: list[str] = []
    for key in value:
        if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
            raise ValidationError(f"Each key in the {what} must be a short non-empty string.")
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def _slot(value: object, position: int) -> Slot:
    if not isinstance(value, dict):
        raise ValidationError(f"Slot {position} must be an object.")
    start = parse_instant(value.get("start"), f"start of slot {position}")
    end = parse_instant(value.get("end"), f"end of slot {position}")
    if end <= start or end - start > 24 * 3600:
        raise ValidationError(f"Slot {position} must end after it starts, within 24 hours.")
    pools = value.get("pools", [])
    if not isinstance(pools, list) or len(pools) > MAX_POOLS:
        raise ValidationError(f"The pools of slot {position} must be a list of lists.")
    parsed_pools = tuple(_keys(pool, f"pool of slot {position}") for pool in pools)
    if any(not pool for pool in parsed_pools):
        raise ValidationError(f"A pool of slot {position} has no candidate.")
    resources = _keys(value.get("resources", []), f"resources of slot {position}")
    return Slot(start, end, resources, parsed_pools)


def _slots(value: object) -> tuple[Slot, ...]:
    if not isinstance(value, list) or len(value) > MAX_SLOTS:
        raise ValidationError(f"The field 'slots' must be a list of at most {MAX_SLOTS} slots.")
    slots = sorted((_slot(item, n + 1) for n, item in enumerate(value)), key=lambda s: s.start)
    for earlier, later in zip(slots, slots[1:], strict=False):
        if earlier.start == later.start:
            raise ValidationError("Two slots start at the same time.")
    return tuple(slots)


def _duration(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1440:
        raise ValidationError("The field 'duration_minutes' must be between 1 and 1440.")
    return value


def _promoted(value: object, slots: tuple[Slot, ...]) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) > MAX_SLOTS:
        raise ValidationError("The field 'promoted' must be a list of slot starts.")
    starts = {slot.start for slot in slots}
    promoted: list[int] = []
    for item in value:
        start = parse_instant(item, "promoted slot")
        if start not in starts:
            raise ValidationError(f"The promoted slot '{item}' is not one of the slots.")
        if start not in promoted:
            promoted.append(start)
    return tuple(promoted)


def parse_offer(body: object) -> Offer:
    """The offer described by *body*, or a :class:`ValidationError` naming the problem."""
    if not isinstance(body, dict):
        raise ValidationError("The offer must be a JSON object.")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise ValidationError(f"Unknown field '{unknown[0][:40]}'.")
    try:
        meeting_type = MeetingType(str(body.get("meeting_type")))
        conversion = TimeZoneConversion(str(body.get("time_zone_conversion", "customer")))
    except ValueError:
        raise ValidationError("The meeting type or time zone conversion is not known.") from None
    fixed = body.get("fixed_time_zone")
    slots = _slots(body.get("slots"))
    return Offer(
        subject=_text(body, "subject"),
        duration_minutes=_duration(body.get("duration_minutes")),
        organizer_name=_text(body, "organizer_name"),
        meeting_type=meeting_type,
        location=_text(body, "location", required=False),
        time_zone=_zone(body.get("time_zone"), "time_zone"),
        time_zone_conversion=conversion,
        fixed_time_zone=None if fixed is None else _zone(fixed, "fixed_time_zone"),
        expires_at=parse_instant(body.get("expires_at"), "expiry", whole_minute=False),
        slots=slots,
        promoted=_promoted(body.get("promoted", []), slots),
        branding=parse_branding(body.get("branding")),
    )
