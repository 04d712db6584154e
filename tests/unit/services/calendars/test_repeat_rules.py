"""Random repeat rules end within a bounded number of steps, keep dateutil's dates, and a
rule said never to produce a date produces none."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from itertools import islice

import pytest
from dateutil import rrule as dateutil_rrule
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inviteonce_desktop.services.calendars.ics import IcsLimits, read_ics
from inviteonce_desktop.services.calendars.repeat_rules import (
    RuleStopped,
    StepBudget,
    expand,
    never_produces,
)

FREQUENCIES = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
LIMIT = 5_000
LONGEST_PERIOD = 366
"""The most steps one period spends (a year's days), so the most a budget overshoots."""


def nonzero(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high).filter(bool)


def listed(values: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    return st.lists(values, min_size=1, max_size=3).map(lambda v: ",".join(map(str, v)))


@st.composite
def rules(draw: st.DrawFn) -> str:
    parts = [f"FREQ={draw(st.sampled_from(FREQUENCIES))}"]
    optional: dict[str, st.SearchStrategy[str]] = {
        "INTERVAL": st.sampled_from([2, 3, 7, 24, 48, 60, 168, 400]).map(str),
        "BYMONTH": listed(st.integers(1, 12)),
        "BYMONTHDAY": listed(nonzero(-31, 31)),
        "BYYEARDAY": listed(nonzero(-366, 366)),
        "BYWEEKNO": listed(nonzero(-53, 53)),
        "BYDAY": listed(
            st.tuples(
                st.sampled_from(["", "1", "-1", "2", "5", "-5"]), st.sampled_from(WEEKDAYS)
            ).map("".join)
        ),
        "BYHOUR": listed(st.integers(0, 23)),
        "BYMINUTE": listed(st.integers(0, 59)),
        "BYSETPOS": listed(nonzero(-6, 6)),
        "COUNT": st.integers(1, 50).map(str),
        "WKST": st.sampled_from(WEEKDAYS),
    }
    for key, values in optional.items():
        if draw(st.integers(0, 3)) == 0:
            parts.append(f"{key}={draw(values)}")
    return ";".join(parts)


starts = st.datetimes(datetime(2000, 1, 1), datetime(2030, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


def parsed(rule: str, start: datetime) -> dateutil_rrule.rrule:
    try:
        result = dateutil_rrule.rrulestr(f"RRULE:{rule}", dtstart=start)
    except (ValueError, TypeError, OverflowError):
        assume(False)
        raise
    assert isinstance(result, dateutil_rrule.rrule)
    return result


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules(), starts)
def test_any_rule_ends_within_its_steps_with_dateutils_own_dates(
    rule: str, start: datetime
) -> None:
    recurrence = parsed(rule, start)
    budget = StepBudget(LIMIT)
    found: list[datetime] = []
    try:
        for value in expand([recurrence], [], budget):
            found.append(value)
            if len(found) == 20 or value.year > 2040:
                break
    except RuleStopped as stopped:
        assert stopped.steps == LIMIT
        assert LIMIT < budget.used <= LIMIT + LONGEST_PERIOD
    except ValueError:
        return  # dateutil finds the rule empty part-way: it ends
    else:
        # At least one period was counted, and within the budget dateutil's own
        # expansion does the same work, so it too ends, with the same dates.
        assert 0 < budget.used <= LIMIT
        assert found == list(islice(recurrence, len(found)))
    if never_produces(rule):
        assert not found


def test_the_seconds_a_finer_rule_passes_over_between_its_dates_are_steps() -> None:
    """Each night's 60 seconds at 03:05, then 86,340 seconds passed over to the next night's:
    a budget of 1,000 stops the rule in that search, after the first night."""
    start = datetime(2026, 12, 1, 3, 5)
    rule = dateutil_rrule.rrule(dateutil_rrule.SECONDLY, dtstart=start, byhour=3, byminute=5)
    budget = StepBudget(1_000)
    found: list[datetime] = []
    with pytest.raises(RuleStopped):
        found.extend(expand([rule], [], budget))
    assert found == list(islice(rule, 60))
    assert {value.date() for value in found} == {start.date()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rules(), min_size=1, max_size=4), starts)
def test_a_file_of_random_rules_is_read_to_its_end_saying_each_rule_once(
    rule_list: list[str], start: datetime
) -> None:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:r{i}\r\nSUMMARY:Rule {i}\r\nDTSTART:{start:%Y%m%dT%H%M%S}Z\r\n"
        f"DURATION:PT30M\r\nRRULE:{rule}\r\nEND:VEVENT\r\n"
        for i, rule in enumerate(rule_list)
    )
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        f"{events}BEGIN:VEVENT\r\nUID:last\r\nSUMMARY:Last\r\n"
        "DTSTART:20270105T090000Z\r\nDTEND:20270105T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    limits = IcsLimits(max_rule_steps=LIMIT, max_repetitions=500, max_occurrences=100)
    occurrences, report = read_ics(
        io.BytesIO(data), now - timedelta(days=31), now + timedelta(days=400), None, "UTC", limits
    )
    identities = {o.identity.split("#")[0] for o in occurrences}
    assert "last" in identities
    for i in range(len(rule_list)):
        said = [p for p in report.problems if f'event "Rule {i}"' in p]
        assert len(said) <= 1
        if f"r{i}" not in identities and not said:
            assert report.outside or report.past_window
