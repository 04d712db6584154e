"""Importing busy time from an .ics file, and the summary both fronts show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..core.errors import ValidationError
from ..core.resources import Room, TeamMember
from ..core.timezones import zone
from ..services.calendars.ics import DEFAULT_LIMITS, IcsLimits, IcsReport
from ..services.calendars.local import LocalCalendar

WINDOW_BEFORE = timedelta(days=31)
WINDOW_AFTER = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class BusyImport:
    """What one import did: the file, whose calendar, and what reading it found."""

    file_name: str
    resource: str
    report: IcsReport
    shown_zone: str

    @property
    def imported(self) -> int:
        return self.report.imported

    def lines(self) -> list[str]:
        """The summary: what was imported, in which zone, up to when, and each problem."""
        report = self.report
        tz = zone(self.shown_zone)
        first = f"{report.window_start.astimezone(tz):%a %d %b %Y}"
        last = f"{report.window_end.astimezone(tz):%a %d %b %Y}"
        head = (
            f"Imported {_count(report.imported, 'event')}"
            f"{_occurrences(report)} from {self.file_name} for {self.resource}, "
            f"reading {first} to {last}."
        )
        lines = [head if report.imported else head[:-1] + f": {self._why_none()}"]
        if report.zone is not None:
            source = report.zone.source
            if source == "its own zone":
                source = f"{self.resource}'s own zone"
            lines.append(f"All-day and floating times were read in {report.zone.name}, {source}.")
        if report.past_window:
            lines.append(
                f"{_count(report.past_window, 'recurring event')} "
                f"{'goes' if report.past_window == 1 else 'go'} on after {last} and "
                f"{'blocks' if report.past_window == 1 else 'block'} time only up to then; "
                "import the file again before that day."
            )
        if report.free:
            lines.append(f"{_count(report.free, 'cancelled event')} left out.")
        if report.transparent:
            lines.append(f"{_count(report.transparent, 'event')} shown as free block no time.")
        if report.empty:
            one = report.empty == 1
            lines.append(
                f"{_count(report.empty, 'event')} {'takes' if one else 'take'} no time once "
                "read (inside an hour the clocks skip, or ending as "
                f"{'it starts' if one else 'they start'}) and {'blocks' if one else 'block'} "
                "nothing."
            )
        return lines + report.limits + sorted(report.problems, key=_line_number)

    def _why_none(self) -> str:
        report = self.report
        if not report.events:
            return "the file holds no events."
        if report.problems and not (report.outside or report.free or report.empty):
            return "none of its events could be read (see below)."
        if report.outside and not (report.free or report.empty):
            if report.events == 1:
                return "its one event lies outside the import window."
            return f"all {report.events:,} of its events lie outside the import window."
        return "its events are cancelled, take no time, or lie outside the import window."


def _line_number(problem: str) -> int:
    words = problem.split(maxsplit=2)
    if len(words) > 1 and words[0] == "Line":
        return int(words[1].rstrip(",:") or 0)
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _occurrences(report: IcsReport) -> str:
    if report.occurrences == report.imported:
        return ""
    return f" ({_count(report.occurrences, 'occurrence')})"


def import_busy_file(
    calendar: LocalCalendar,
    resource: TeamMember | Room,
    path: Path,
    now: datetime,
    profile_zone: str,
    limits: IcsLimits = DEFAULT_LIMITS,
) -> BusyImport:
    """Read *path* into *resource*'s local busy time, replacing what that file filed before."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ValidationError(f"The file {path} cannot be read.") from None
    if size > limits.max_bytes:
        raise ValidationError(
            f"The file {path.name} is larger than {limits.max_bytes // (1024 * 1024)} MiB, the "
            "most an import reads; split it into smaller files."
        )
    own_zone = resource.time_zone if isinstance(resource, TeamMember) else None
    try:
        with path.open("rb") as stream:
            report = calendar.import_ics(
                resource.key,
                f"{resource.key}|{path.name}",
                stream,
                (now - WINDOW_BEFORE, now + WINDOW_AFTER),
                own_zone,
                profile_zone,
                limits,
            )
    except OSError:
        raise ValidationError(f"The file {path} cannot be read.") from None
    return BusyImport(path.name, resource.name, report, own_zone or profile_zone)
