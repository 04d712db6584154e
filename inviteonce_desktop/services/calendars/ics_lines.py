"""iCalendar content lines, read as a stream: unfolded, split into name, parameters, value.

Reading never holds the whole file: :func:`components` yields the calendar's
own properties and each top-level component (VEVENT, VTIMEZONE, ...) as soon
as its END line is read, with the line number it began on.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import BinaryIO, NamedTuple, cast

from ...core.errors import ValidationError

_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DURATION = re.compile(r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_UNESCAPE = re.compile(r"\\([\\;,nN])")


class Prop(NamedTuple):
    """One content line: ``NAME;PARAM=VALUE:value``."""

    name: str
    params: dict[str, str]
    value: str
    line: int


@dataclass(slots=True)
class Component:
    """A top-level component, its properties and the raw lines it was read from."""

    name: str
    line: int
    props: list[Prop] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    index: dict[str, Prop] = field(default_factory=dict)
    """The first property of each name."""

    def add(self, prop: Prop) -> None:
        self.props.append(prop)
        self.index.setdefault(prop.name, prop)

    def first(self, name: str) -> Prop | None:
        return self.index.get(name)

    def all(self, name: str) -> list[Prop]:
        return [prop for prop in self.props if prop.name == name]

    def text(self, name: str, default: str = "") -> str:
        prop = self.first(name)
        return default if prop is None else unescape(prop.value)


class FileTooLarge(ValidationError):
    """The file is larger than the import reads."""


def unfolded(stream: Iterable[bytes], max_bytes: int) -> Iterator[tuple[int, str]]:
    """Logical lines with the number of their first physical line; folded lines joined.

    A binary file is decoded by :class:`io.TextIOWrapper` (in C, fast); any other
    iterable of byte lines is decoded line by line. Bad UTF-8 becomes U+FFFD.
    """
    if isinstance(stream, io.BufferedIOBase):
        text = io.TextIOWrapper(cast(BinaryIO, stream), "utf-8", "replace", newline=None)
        try:
            yield from _unfold(text, max_bytes)
        finally:
            text.detach()  # the caller closes its own file
    else:
        yield from _unfold((raw.decode("utf-8", errors="replace") for raw in stream), max_bytes)


def _unfold(lines: Iterable[str], max_bytes: int) -> Iterator[tuple[int, str]]:
    total = 0
    pending: list[str] = []
    pending_line = 0
    for number, raw in enumerate(lines, start=1):
        total += len(raw)
        if total > max_bytes:
            raise FileTooLarge(
                f"The file is larger than {max_bytes // (1024 * 1024)} MiB, the most an import "
                "reads; split it into smaller files."
            )
        text = raw.rstrip("\r\n")
        if number == 1:
            text = text.removeprefix("\ufeff")  # a byte order mark some exporters write
        if text[:1] in (" ", "\t") and pending:
            pending.append(text[1:])
            continue
        if pending:
            yield pending_line, "".join(pending)
        pending, pending_line = [text], number
    if pending:
        yield pending_line, "".join(pending)


def parse_prop(text: str, line: int) -> Prop | None:
    """The property on *text*, or None for a blank or unreadable line."""
    colon = text.find(":")
    if colon < 0:
        return None
    head = text[:colon]
    if ";" not in head:
        name = head.strip().upper()
        return Prop(name, {}, text[colon + 1 :], line) if name else None
    if '"' in head:
        colon = _value_colon(text)
        pieces = _split_params(text[:colon])
    else:
        pieces = head.split(";")
    value = text[colon + 1 :]
    name = pieces[0].strip().upper()
    if not name:
        return None
    params: dict[str, str] = {}
    for raw in pieces[1:]:
        key, sep, param_value = raw.partition("=")
        if sep:
            params[key.strip().upper()] = param_value.strip().strip('"')
    return Prop(name, params, value, line)


def _value_colon(text: str) -> int:
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index
    return -1


def _split_params(head: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in head:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def components(lines: Iterable[tuple[int, str]]) -> Iterator[Prop | Component]:
    """The calendar's own properties (its BEGIN and END too) and each top-level component."""
    depth = 0
    current: Component | None = None
    for number, text in lines:
        if not text.strip():
            continue
        prop = parse_prop(text, number)
        if prop is None:
            if current is not None:
                current.raw.append(text)
            continue
        if prop.name == "BEGIN":
            depth += 1
            kind = prop.value.strip().upper()
            if depth == 2:
                current = Component(kind, number)
        if current is not None:
            current.raw.append(text)
            if depth == 2 and prop.name not in ("BEGIN", "END"):
                current.add(prop)
        elif depth == 1:
            yield prop
        if prop.name == "END":
            if depth == 2 and current is not None:
                yield current
                current = None
            depth = max(depth - 1, 0)


def unescape(value: str) -> str:
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_date_time(value: str) -> date | datetime:
    """A DATE (``20270314``) or DATE-TIME (``20270314T020000``, naive, or aware UTC with Z)."""
    text = value.strip()
    match = _DATE_TIME.match(text)
    if match:
        y, mo, d, h, mi, s = (int(g) for g in match.groups()[:6])
        second = min(s, 59)
        naive = datetime(y, mo, d, h, mi, second)
        return naive.replace(tzinfo=UTC) if match.group(7) else naive
    match = _DATE.match(text)
    if match:
        return date(*(int(g) for g in match.groups()))
    raise ValueError(text)


def parse_duration(value: str) -> timedelta:
    match = _DURATION.match(value.strip().upper())
    if not match or not any(match.groups()[1:]):
        raise ValueError(value)
    sign, weeks, days, hours, minutes, seconds = match.groups()
    length = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -length if sign == "-" else length
