"""The month calendar of a link page: which days have times, which one is open.

A customer moves with plain links (``?month=2026-12``, ``?day=2026-12-07``),
so the calendar works without scripts; the script only adds arrow keys and
swaps the times in place.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from inviteonce_desktop.core.languages import Language

from .presentation import DayView
from .zone_labels import ENGLISH

_MONTH = re.compile(r"\d{4}-\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class DayCell:
    date: date
    label: str
    times: int
    selected: bool

    @property
    def iso(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True, slots=True)
class MonthView:
    first: date
    weeks: list[list[DayCell | None]]
    previous: date | None
    next: date | None
    lang: Language = ENGLISH

    @property
    def label(self) -> str:
        return self.lang.month(self.first)

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"


@dataclass(frozen=True, slots=True)
class Picked:
    """The month shown and the day whose times are listed (None: a month without times)."""

    month: MonthView
    day: DayView | None


def _parse_day(text: str) -> date | None:
    if not _DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _parse_month(text: str) -> date | None:
    if not _MONTH.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text + "-01")
    except ValueError:
        return None


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month(first: date, days: list[DayView], selected: DayView | None, lang: Language) -> MonthView:
    by_date = {day.date: day for day in days}
    weeks: list[list[DayCell | None]] = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        row: list[DayCell | None] = []
        for when in week:
            if when.month != first.month:
                row.append(None)
                continue
            found = by_date.get(when)
            row.append(
                DayCell(
                    when,
                    lang.day(when),
                    found.count if found else 0,
                    found is not None and found is selected,
                )
            )
        weeks.append(row)
    start, end = days[0].date.replace(day=1), days[-1].date.replace(day=1)
    previous = _shift(first, -1)
    following = _shift(first, 1)
    return MonthView(
        first,
        weeks,
        previous if previous >= start else None,
        following if following <= end else None,
        lang,
    )


def pick(
    days: list[DayView], day: str = "", month: str = "", lang: Language = ENGLISH
) -> Picked | None:
    """The month and day a request asks for, within the days that have times.

    An unknown or out-of-range *day* or *month* falls back to the first day
    with times; None when there are no days at all.
    """
    if not days:
        return None
    wanted = _parse_day(day)
    chosen = next((d for d in days if d.date == wanted), None)
    if chosen is None:
        first = _parse_month(month)
        start, end = days[0].date.replace(day=1), days[-1].date.replace(day=1)
        if first is None or not start <= first <= end:
            first = start
        chosen = next((d for d in days if d.date.replace(day=1) == first), None)
    else:
        first = chosen.date.replace(day=1)
    return Picked(_month(first, days, chosen, lang), chosen)
