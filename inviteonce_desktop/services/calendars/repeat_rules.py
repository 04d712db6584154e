"""Repeat rules (RRULE) expanded with bounded work.

dateutil looks for a rule's next date period by period (a year, a month, a
day, an hour...) and only stops at an UNTIL or COUNT once it has found a date,
so a rule whose filters contradict each other (``BYMONTH=2;BYYEARDAY=200``)
searches every period up to the year 9999. Two guards keep an import quick:

- :func:`never_produces` reads a rule up front and says when it can produce no
  date: when every BYSETPOS lies beyond the most dates one period can hold, or
  when no day of any year satisfies its date filters together (the Gregorian
  calendar repeats every 400 years, so a yearly search of 400 years with the
  same filters is exhaustive);
- :func:`expand` counts the candidate dates dateutil examines against a
  :class:`StepBudget` and stops with :class:`RuleStopped` when it is spent, so
  any other rule ends after a bounded number of steps. That includes the
  minutes or seconds a finer rule passes over between two of its dates
  (``FREQ=SECONDLY;BYHOUR=3;BYMINUTE=5`` passes 86,340 seconds each night).
"""

from __future__ import annotations

import heapq
import re
import types
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any

from dateutil import rrule as dateutil_rrule


class RuleStopped(Exception):
    """The rule examined more candidate dates than its budget allows."""

    def __init__(self, steps: int) -> None:
        super().__init__(steps)
        self.steps = steps


class StepBudget:
    """Candidate dates a rule may examine: a day of a yearly, monthly or weekly period
    counts one, and so does each hour, minute or second period of a finer rule."""

    __slots__ = ("limit", "used")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, steps: int) -> None:
        self.used += steps
        if self.used > self.limit:
            raise RuleStopped(self.limit)


_BaseInfo: Any = getattr(dateutil_rrule, "_iterinfo")  # noqa: B009 - not in the type stubs


class _CountingInfo(_BaseInfo):  # type: ignore[misc]
    """dateutil's per-period day sets, each period's days spent from a budget."""

    def __init__(self, rule: dateutil_rrule.rrule, budget: StepBudget) -> None:
        super().__init__(rule)
        self.budget = budget

    def ydayset(self, year: int, month: int, day: int) -> tuple[list[Any], int, int]:
        return self._spent(super().ydayset(year, month, day))

    def mdayset(self, year: int, month: int, day: int) -> tuple[list[Any], int, int]:
        return self._spent(super().mdayset(year, month, day))

    def wdayset(self, year: int, month: int, day: int) -> tuple[list[Any], int, int]:
        return self._spent(super().wdayset(year, month, day))

    def ddayset(self, year: int, month: int, day: int) -> tuple[list[Any], int, int]:
        return self._spent(super().ddayset(year, month, day))

    def _spent(self, found: tuple[list[Any], int, int]) -> tuple[list[Any], int, int]:
        self.budget.spend(max(found[2] - found[1], 1))
        return found


_ITER = dateutil_rrule.rrule._iter  # type: ignore[attr-defined]
_NAMESPACE = vars(dateutil_rrule)


def _passing(budget: StepBudget) -> Callable[..., Iterator[int]]:
    """``range`` for dateutil's search of the next minute or second a finer rule keeps: the
    first candidate is the next period, counted by its day set; each further one it passes
    over (an hour outside BYHOUR, a minute outside BYMINUTE) is a step of its own."""

    def passing(*bounds: int) -> Iterator[int]:
        for step in range(*bounds):
            if step:
                budget.spend(1)
            yield step

    return passing


def _counted(rule: dateutil_rrule.rrule, budget: StepBudget) -> Iterator[datetime]:
    """dateutil's own expansion of *rule*, its period day sets and the periods its time
    search passes over counted against *budget*."""
    namespace = dict(_NAMESPACE)
    namespace["_iterinfo"] = lambda r: _CountingInfo(r, budget)
    namespace["range"] = _passing(budget)  # _iter's only ranges are those time searches
    iterate: Callable[[dateutil_rrule.rrule], Iterator[datetime]] = types.FunctionType(
        _ITER.__code__, namespace, _ITER.__name__
    )
    return iterate(rule)


def expand(
    rules: Iterable[dateutil_rrule.rrule], dates: Iterable[datetime], budget: StepBudget
) -> Iterator[datetime]:
    """The union of *rules* and the extra *dates*, in order, each date once; raises
    :class:`RuleStopped` once the rules have examined more dates than *budget* allows."""
    previous: datetime | None = None
    for value in heapq.merge(*(_counted(r, budget) for r in rules), sorted(set(dates))):
        if value != previous:
            previous = value
            yield value


_DATE_FILTERS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYDAY")
_ORDINAL = re.compile(r"^[+-]?\d+")
_PROBE_START = datetime(2000, 1, 1)
_CYCLE_DAYS = 146_097
"""The days of 400 Gregorian years, after which the calendar and its weekdays repeat."""


def never_produces(rule: str) -> bool:
    """Whether *rule* can produce no date, whatever its start, interval, COUNT or UNTIL.

    Two checks, each sound: every BYSETPOS beyond the size of one period's set,
    or no day of any year satisfying the date filters together (ordinals of
    BYDAY and BYSETPOS dropped, which only narrow the days). An unreadable rule
    is not said empty.
    """
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        parts[key.strip().upper()] = value.strip().upper()
    try:
        if _positions_beyond_the_set(parts):
            return True
    except ValueError:
        return False
    filters = {key: parts[key] for key in _DATE_FILTERS if parts.get(key)}
    if len(filters) < 2:
        return False
    if "BYDAY" in filters:
        filters["BYDAY"] = ",".join(
            dict.fromkeys(_ORDINAL.sub("", day.strip()) for day in filters["BYDAY"].split(","))
        )
    if parts.get("WKST"):
        filters["WKST"] = parts["WKST"]
    return _empty_probe(";".join(f"{key}={value}" for key, value in sorted(filters.items())))


_DAYS_PER_PERIOD = {"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7}
_WEEKDAY_REPEATS = {"YEARLY": 53, "MONTHLY": 5, "WEEKLY": 1}
_TIME_PARTS = {
    "HOURLY": ("BYMINUTE", "BYSECOND"),
    "MINUTELY": ("BYSECOND",),
    "SECONDLY": (),
}


def _positions_beyond_the_set(parts: dict[str, str]) -> bool:
    """Whether every BYSETPOS lies beyond the most dates one period can hold (the second
    of one time a day, the sixth Monday of a month), counted from the rule's own parts."""
    if not parts.get("BYSETPOS"):
        return False
    positions = [abs(int(p)) for p in parts["BYSETPOS"].split(",")]
    freq = parts.get("FREQ", "")

    def distinct(key: str) -> int:
        return len({v.strip() for v in parts[key].split(",")}) if parts.get(key) else 1

    days = _DAYS_PER_PERIOD.get(freq, 1)
    weekdays = [d.strip() for d in parts.get("BYDAY", "").split(",") if d.strip()]
    if weekdays and not any(_ORDINAL.match(d) for d in weekdays):
        days = min(days, _WEEKDAY_REPEATS.get(freq, 1) * len(set(weekdays)))
    if freq == "MONTHLY" and parts.get("BYMONTHDAY"):
        days = min(days, distinct("BYMONTHDAY"))
    if freq == "YEARLY" and parts.get("BYYEARDAY"):
        days = min(days, distinct("BYYEARDAY"))
    times = 1
    for key in _TIME_PARTS.get(freq, ("BYHOUR", "BYMINUTE", "BYSECOND")):
        times *= distinct(key)
    return all(position > days * times for position in positions)


@lru_cache(maxsize=512)
def _empty_probe(filters: str) -> bool:
    """Whether a yearly rule with *filters* finds no date in 400 years from 2000."""
    try:
        probe = dateutil_rrule.rrulestr(f"RRULE:FREQ=YEARLY;{filters}", dtstart=_PROBE_START)
        assert isinstance(probe, dateutil_rrule.rrule)
        next(_counted(probe, StepBudget(_CYCLE_DAYS)))
    except RuleStopped:
        return True
    except (ValueError, TypeError, OverflowError, StopIteration):
        pass
    return False
