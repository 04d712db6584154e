"""Reading .ics files into busy occurrences, streamed and bounded.

The file is read line by line; a plain event becomes an occurrence as soon as
its END line is read, and a recurring series is expanded lazily once the whole
file (its moved and cancelled occurrences included) has been read. Limits keep
an import bounded: bytes per file, events per file, occurrences per event and
repetitions and candidate dates examined per event (see :mod:`.repeat_rules`); each
limit that is hit is said in one sentence.

Every wall time is resolved to an instant as RFC 5545 says: one in a gap is
shifted forward by the gap, one that repeats is its first occurrence. All-day
dates and floating times belong to one zone chosen for the file: the team
member's (or room's) own zone, else the file's declared X-WR-TIMEZONE, else the
profile's; the report says which.

An occurrence's identity is its UID and RECURRENCE-ID, or for an event without
a UID a digest of its content, so two events at the same moment never replace
each other and an event that moved replaces where it was.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple

from dateutil import rrule as dateutil_rrule

from ...core.errors import UnknownTimeZone, ValidationError
from ...core.timezones import resolve_wall, zone
from .ics_lines import Component, Prop, components, parse_date_time, parse_duration, unfolded
from .repeat_rules import RuleStopped, StepBudget, expand, never_produces


@dataclass(frozen=True, slots=True)
class IcsLimits:
    max_bytes: int = 64 * 1024 * 1024
    max_events: int = 100_000
    max_occurrences: int = 10_000
    """Occurrences of one recurring event kept in the import window."""
    max_repetitions: int = 200_000
    """Repetitions of one recurring event examined, before the window and in it."""
    max_rule_steps: int = 250_000
    """Candidate dates the repeat rules of one event may examine in all, found or not."""


DEFAULT_LIMITS = IcsLimits()


class IcsOccurrence(NamedTuple):
    identity: str
    title: str
    start: datetime
    end: datetime
    transparent: bool
    location: str
    description: str


@dataclass(frozen=True, slots=True)
class FloatingZone:
    """The zone of all-day dates and floating times, and where it came from."""

    name: str
    source: str


@dataclass(slots=True)
class IcsReport:
    """What reading a file found, for the import's summary."""

    window_start: datetime
    window_end: datetime
    zone: FloatingZone | None = None
    events: int = 0
    imported: int = 0
    occurrences: int = 0
    free: int = 0
    """Cancelled events, left out."""
    transparent: int = 0
    """Events marked free: imported, but they block no time."""
    empty: int = 0
    outside: int = 0
    past_window: int = 0
    problems: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)


class _Problem(Exception):
    """One event cannot be read; the message completes "Line N, event 'X': ..."."""


class _When(NamedTuple):
    """A DATE or a wall DATE-TIME, and its zone (None: the floating zone)."""

    wall: datetime
    tz: tzinfo | None
    all_day: bool


class _Event(NamedTuple):
    component: Component
    uid: str
    title: str
    start: _When
    duration: timedelta | None
    end: _When | None


def read_ics(
    stream: Iterable[bytes],
    window_start: datetime,
    window_end: datetime,
    own_zone: str | None,
    profile_zone: str,
    limits: IcsLimits = DEFAULT_LIMITS,
) -> tuple[Iterator[IcsOccurrence], IcsReport]:
    """The file's busy occurrences over the window (lazily), and the report they fill in."""
    report = IcsReport(window_start, window_end)
    reader = _Reader(report, limits, own_zone, profile_zone)
    return reader.occurrences(stream), report


class _Reader:
    def __init__(
        self, report: IcsReport, limits: IcsLimits, own_zone: str | None, profile_zone: str
    ) -> None:
        self.report = report
        self.limits = limits
        self.own_zone = own_zone
        self.profile_zone = profile_zone
        self.declared: str | None = None
        self.floating: tzinfo = UTC
        self.zones: dict[str, tzinfo] = {}
        self.series: dict[str, list[Component]] = {}
        self.pending: list[Component] = []

    # Reading

    def occurrences(self, stream: Iterable[bytes]) -> Iterator[IcsOccurrence]:
        begun = ended = False
        for item in components(unfolded(stream, self.limits.max_bytes)):
            if isinstance(item, Prop):
                begun |= item.name == "BEGIN"
                ended |= item.name == "END"
                if item.name == "X-WR-TIMEZONE" and self.declared is None:
                    self.declared = item.value.strip()
                continue
            if self.report.zone is None:
                self._choose_zone()
            if item.name == "VTIMEZONE":
                self._add_zone(item)
            elif item.name == "VEVENT":
                if self.report.events >= self.limits.max_events:
                    self.report.limits.append(
                        f"The file holds more than {self.limits.max_events:,} events; only the "
                        f"first {self.limits.max_events:,} were read."
                    )
                    break
                self.report.events += 1
                yield from self._event(item)
        if not begun:
            raise ValidationError("The file is not an iCalendar (.ics) file: it has no calendar.")
        if not ended and self.report.events < self.limits.max_events:
            raise ValidationError(
                "The file ends in the middle of its calendar (no END:VCALENDAR); it may have "
                "been cut short."
            )
        if self.report.zone is None:
            self._choose_zone()
        for component in self.pending:
            yield from self._event(component, last_try=True)
        for members in self.series.values():
            yield from self._series(members)

    def _choose_zone(self) -> None:
        if self.own_zone:
            choice = FloatingZone(self.own_zone, "its own zone")
        elif self.declared and self._known(self.declared) is not None:
            choice = FloatingZone(self.declared, "the file's X-WR-TIMEZONE")
        else:
            choice = FloatingZone(self.profile_zone, "the profile's zone")
        self.report.zone = choice
        self.floating = self._known(choice.name) or zone(self.profile_zone)

    @staticmethod
    def _known(name: str) -> tzinfo | None:
        try:
            return zone(name)
        except UnknownTimeZone:
            pass
        from icalendar.timezone import tzp

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found: tzinfo | None = tzp.timezone(name)
        return found

    def _add_zone(self, component: Component) -> None:
        tzid = component.text("TZID").strip()
        if not tzid or tzid in self.zones:
            return
        known = self._known(tzid)
        if known is not None:
            self.zones[tzid] = known
            return
        import icalendar

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = icalendar.Timezone.from_ical("\r\n".join(component.raw))
                assert isinstance(parsed, icalendar.Timezone)
                self.zones[tzid] = parsed.to_tz(lookup_tzid=False)
        except Exception:  # noqa: BLE001 - any unreadable VTIMEZONE is one problem, named
            self.report.problems.append(
                f"Line {component.line}: the time zone definition '{tzid}' cannot be read."
            )

    def _zone(self, tzid: str) -> tzinfo | None:
        if tzid not in self.zones:
            found = self._known(tzid)
            if found is None:
                return None
            self.zones[tzid] = found
        return self.zones[tzid]

    # Events

    def _event(self, component: Component, last_try: bool = False) -> Iterator[IcsOccurrence]:
        status = component.text("STATUS").strip().upper()
        recurring = component.first("RRULE") or component.first("RDATE")
        if recurring or component.first("RECURRENCE-ID"):
            uid = component.text("UID").strip() or _digest(component)
            self.series.setdefault(uid, []).append(component)
            return
        if status == "CANCELLED":
            self.report.free += 1
            return
        try:
            event = self._read(component)
        except _UnknownZone as unknown:
            if last_try:
                self._problem(component, f"its time zone '{unknown}' is not known; skipped.")
            else:
                self.pending.append(component)
            return
        except _Problem as problem:
            self._problem(component, str(problem))
            return
        occurrence = self._occurrence(event, event.start, event.uid)
        if occurrence is None:
            self.report.empty += 1
        elif occurrence.end <= self.report.window_start or (
            occurrence.start >= self.report.window_end
        ):
            self.report.outside += 1
        else:
            self._count(component, 1)
            yield occurrence

    def _count(self, component: Component, occurrences: int) -> None:
        if occurrences:
            self.report.imported += 1
            self.report.occurrences += occurrences
            if component.text("TRANSP").strip().upper() == "TRANSPARENT":
                self.report.transparent += 1

    def _problem(self, component: Component, message: str) -> None:
        title = component.text("SUMMARY").strip().replace("\n", " ")[:60] or "untitled"
        self.report.problems.append(f'Line {component.line}, event "{title}": {message}')

    def _read(self, component: Component) -> _Event:
        start_prop = component.first("DTSTART")
        if start_prop is None:
            raise _Problem("it has no start (DTSTART); skipped.")
        start = self._when(start_prop)
        end_prop = component.first("DTEND")
        duration_prop = component.first("DURATION")
        end: _When | None = None
        duration: timedelta | None = None
        if end_prop is not None:
            end = self._when(end_prop)
            if end.tz is start.tz:
                duration = end.wall - start.wall
                backwards = duration < timedelta(0)
            else:
                backwards = self._instant(end) < self._instant(start)
            if backwards:
                raise _Problem("it ends before it starts; skipped.")
        elif duration_prop is not None:
            try:
                duration = parse_duration(duration_prop.value)
            except ValueError:
                raise _Problem(f"'{duration_prop.value}' is not a duration; skipped.") from None
            if duration < timedelta(0):
                raise _Problem("its duration is negative; skipped.")
        elif start.all_day:
            duration = timedelta(days=1)
        else:
            duration = timedelta(0)
        uid = component.text("UID").strip() or _digest(component)
        return _Event(component, uid, component.text("SUMMARY", "Busy"), start, duration, end)

    def _when(self, prop: Prop) -> _When:
        first = prop.value.split(",")[0]
        try:
            value = parse_date_time(first)
        except ValueError:
            raise _Problem(f"'{first}' in {prop.name} is not a date or time; skipped.") from None
        if not isinstance(value, datetime):
            return _When(datetime(value.year, value.month, value.day), None, True)
        if value.tzinfo is not None:
            return _When(value.replace(tzinfo=None), UTC, False)
        tzid = prop.params.get("TZID")
        if not tzid:
            return _When(value, None, False)
        tz = self._zone(tzid)
        if tz is None:
            raise _UnknownZone(tzid)
        return _When(value, tz, False)

    def _instant(self, when: _When) -> datetime:
        return resolve_wall(when.wall, when.tz or self.floating)

    def _occurrence(self, event: _Event, start: _When, identity: str) -> IcsOccurrence | None:
        first = self._instant(start)
        last = self._end(event, start, first)
        if last <= first:
            return None
        return _made(event, identity, first, last)

    def _end(self, event: _Event, start: _When, first: datetime) -> datetime:
        """The end instant of the occurrence of *event* at *start* (instant *first*)."""
        if event.duration is not None:
            end = _When(start.wall + event.duration, event.end.tz if event.end else start.tz, False)
            return self._instant(end)
        assert event.end is not None
        return first + (self._instant(event.end) - self._instant(event.start))

    # Recurring series

    def _series(self, members: list[Component]) -> Iterator[IcsOccurrence]:
        masters = [m for m in members if m.first("RECURRENCE-ID") is None]
        overrides = [m for m in members if m.first("RECURRENCE-ID") is not None]
        moved: dict[datetime, Component] = {}
        for override in overrides:
            try:
                rid = self._instant(self._when(_required(override, "RECURRENCE-ID")))
            except (_Problem, _UnknownZone):
                self._problem(override, "its RECURRENCE-ID cannot be read; skipped.")
                continue
            moved[rid] = override
        if masters:
            master = masters[-1]
            yield from self._expand(master, moved)
        for rid, override in moved.items():
            yield from self._single(override, rid)

    def _single(self, component: Component, rid: datetime) -> Iterator[IcsOccurrence]:
        if component.text("STATUS").strip().upper() == "CANCELLED":
            return
        try:
            event = self._read(component)
        except _UnknownZone as unknown:
            self._problem(component, f"its time zone '{unknown}' is not known; skipped.")
            return
        except _Problem as problem:
            self._problem(component, str(problem))
            return
        rid_text = _required(component, "RECURRENCE-ID").value.strip()
        occurrence = self._occurrence(event, event.start, f"{event.uid}#{rid_text}")
        if occurrence is not None and _in_window(occurrence, self.report):
            self._count(component, 1)
            yield occurrence

    def _expand(
        self, master: Component, moved: dict[datetime, Component]
    ) -> Iterator[IcsOccurrence]:
        if master.text("STATUS").strip().upper() == "CANCELLED":
            self.report.free += 1
            return
        try:
            event = self._read(master)
            rules = self._rules(master, event.start)
            excluded = self._excluded(master, event.start)
        except _UnknownZone as unknown:
            self._problem(master, f"its time zone '{unknown}' is not known; skipped.")
            return
        except _Problem as problem:
            self._problem(master, str(problem))
            return
        walk = _Walk()
        try:
            yield from self._walk(master, event, rules, moved, excluded, walk)
        except RuleStopped as stopped:
            self._problem(
                master,
                f"its repeat rule (RRULE) was stopped after {stopped.steps:,} candidate dates; "
                + (
                    f"only the first {walk.kept:,} occurrences were read."
                    if walk.kept
                    else "skipped."
                ),
            )
        else:
            if not walk.dates:
                # The rule searched to its end (or the year 9999) without finding a date.
                self._problem(master, f"{_NEVER}; skipped.")
        if walk.kept:
            self._count(master, walk.kept)
        else:
            self.report.outside += 1

    def _walk(
        self,
        master: Component,
        event: _Event,
        rules: Iterator[datetime],
        moved: dict[datetime, Component],
        excluded: set[datetime],
        walk: _Walk,
    ) -> Iterator[IcsOccurrence]:
        """The occurrences of *rules* in the window, within the limits; *walk* counts."""
        limits = self.limits
        for wall in _guarded(rules):
            if wall is None:
                return
            walk.dates += 1
            if walk.dates > limits.max_repetitions:
                self._problem(
                    master,
                    f"it repeats more than {limits.max_repetitions:,} times before or in the "
                    "import window; "
                    + (
                        f"only the first {walk.kept:,} occurrences were read."
                        if walk.kept
                        else "skipped."
                    ),
                )
                return
            when = _When(wall, event.start.tz, event.start.all_day)
            start = self._instant(when)
            if start >= self.report.window_end:
                self.report.past_window += 1
                return
            if start in moved or start in excluded:
                continue
            end = self._end(event, when, start)
            if end <= start or end <= self.report.window_start:
                continue  # no length, or before the window: nothing to build
            if walk.kept >= limits.max_occurrences:
                self._problem(
                    master,
                    f"it repeats more than {limits.max_occurrences:,} times in the import "
                    f"window; only the first {limits.max_occurrences:,} were read.",
                )
                return
            walk.kept += 1
            yield _made(event, _identity(event.uid, when), start, end)

    def _rules(self, master: Component, start: _When) -> Iterator[datetime]:
        tz = start.tz or self.floating
        rules: list[dateutil_rrule.rrule] = []
        try:
            for prop in master.all("RRULE"):
                if never_produces(prop.value):
                    raise _Problem(f"{_NEVER}; skipped.")
                text = _naive_until(prop.value, tz, start.all_day)
                rule = dateutil_rrule.rrulestr(f"RRULE:{text}", dtstart=start.wall)
                if not isinstance(rule, dateutil_rrule.rrule):
                    raise ValueError(text)
                rules.append(rule)
        except (ValueError, TypeError, OverflowError):
            raise _Problem("its repeat rule (RRULE) cannot be read; skipped.") from None
        dates = [value for prop in master.all("RDATE") for value in self._walls(prop, tz)]
        if not rules:
            dates.append(start.wall)
        return expand(rules, dates, StepBudget(self.limits.max_rule_steps))

    def _excluded(self, master: Component, start: _When) -> set[datetime]:
        """The instants EXDATE leaves out; an occurrence is matched by its instant."""
        tz = start.tz or self.floating
        return {
            resolve_wall(wall, tz)
            for prop in master.all("EXDATE")
            for wall in self._walls(prop, tz)
        }

    def _walls(self, prop: Prop, tz: tzinfo) -> Iterator[datetime]:
        for piece in prop.value.split(","):
            text = piece.split("/")[0]
            when = self._when(Prop(prop.name, prop.params, text, prop.line))
            if when.tz is None or when.tz is tz:
                yield when.wall
            else:
                yield self._instant(when).astimezone(tz).replace(tzinfo=None)


_NEVER = "its repeat rule (RRULE) never produces a date"


@dataclass(slots=True)
class _Walk:
    """How far the expansion of one series went: dates the rule produced, occurrences kept."""

    dates: int = 0
    kept: int = 0


class _UnknownZone(Exception):
    """A TZID not known yet; its VTIMEZONE may come later in the file."""


def _required(component: Component, name: str) -> Prop:
    prop = component.first(name)
    if prop is None:
        raise _Problem(f"it has no {name}; skipped.")
    return prop


def _guarded(walls: Iterator[datetime]) -> Iterator[datetime | None]:
    """*walls*, then None if the repeat library finds the rule empty part-way."""
    try:
        yield from walls
    except ValueError:
        yield None


def _naive_until(rule: str, tz: tzinfo, all_day: bool) -> str:
    """*rule* with an UNTIL in UTC rewritten as a wall time of *tz*, as dateutil needs."""
    parts = []
    for part in rule.strip().split(";"):
        key, _, value = part.partition("=")
        if key.strip().upper() == "UNTIL":
            until = parse_date_time(value)
            if isinstance(until, datetime) and until.tzinfo is not None:
                until = until.astimezone(tz).replace(tzinfo=None)
            elif not isinstance(until, datetime):
                until = datetime(until.year, until.month, until.day, 23, 59, 59)
            if all_day:
                until = until.replace(hour=23, minute=59, second=59)
            value = f"{until:%Y%m%dT%H%M%S}"
        parts.append(f"{key}={value}")
    return ";".join(parts)


def _made(event: _Event, identity: str, first: datetime, last: datetime) -> IcsOccurrence:
    component = event.component
    return IcsOccurrence(
        identity=identity,
        title=event.title,
        start=first,
        end=last,
        transparent=component.text("TRANSP").strip().upper() == "TRANSPARENT",
        location=component.text("LOCATION"),
        description=component.text("DESCRIPTION"),
    )


def _in_window(occurrence: IcsOccurrence, report: IcsReport) -> bool:
    return occurrence.end > report.window_start and occurrence.start < report.window_end


def _identity(uid: str, recurrence: _When) -> str:
    """UID and RECURRENCE-ID as the file would write it: two occurrences that a skipped
    hour puts at the same instant (02:00 and 03:00) stay two."""
    if recurrence.all_day:
        return f"{uid}#{recurrence.wall:%Y%m%d}"
    suffix = "Z" if recurrence.tz is UTC else ""
    return f"{uid}#{recurrence.wall:%Y%m%dT%H%M%S}{suffix}"


def _digest(component: Component) -> str:
    """An identity for an event without a UID: a digest of what it says."""
    content = "\n".join(line for line in component.raw if not line.upper().startswith("DTSTAMP"))
    return "content-" + hashlib.sha256(content.encode()).hexdigest()[:32]
