"""Importing .ics files: bounded, faithful, replacing what the file held, saying what it did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inviteonce_desktop.application.busy_import import BusyImport, import_busy_file
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.services.calendars.ics import IcsLimits

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # the app fixture's clock


def calendar(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{head}{body}END:VCALENDAR\r\n"
    return text.replace("\n        ", "\n").encode()


def event(uid: str, start: str, end: str, summary: str = "Busy", extra: str = "") -> str:
    lines = [f"UID:{uid}" if uid else "", f"SUMMARY:{summary}", start, end, extra]
    return "\r\n".join(line for line in lines if line)


def load(
    app: InviteOnce, tmp_path: Path, data: bytes, name: str = "cal.ics", ref: str = "Ann"
) -> BusyImport:
    path = tmp_path / name
    path.write_bytes(data)
    return app.import_busy(ref, path)


def spans(app: InviteOnce, ref: str = "Ann") -> list[tuple[str, str, str]]:
    events = app.busy(ref, NOW - timedelta(days=40), NOW + timedelta(days=420))
    return sorted((e.title, f"{e.start:%Y-%m-%d %H:%M}", f"{e.end:%Y-%m-%d %H:%M}") for e in events)


@pytest.fixture
def ann(app: InviteOnce) -> None:
    app.set_profile("Org", "org@example.com", "UTC")
    app.add_member("Ann", "ann@example.com")


def load_limited(app: InviteOnce, tmp_path: Path, data: bytes, limits: IcsLimits) -> BusyImport:
    """:func:`load` for Ann, with *limits* in place of the product's."""
    path = tmp_path / "cal.ics"
    path.write_bytes(data)
    with app.workspace.session() as session:
        from inviteonce_desktop.store.directory import Directory

        member = Directory(session).member("Ann")
    return import_busy_file(app.local_calendar, member, path, NOW, "UTC", limits)


def fast(rule: str) -> bytes:
    return calendar(
        event("fast", "DTSTART:20261201T100000Z", "DURATION:PT1S", "Fast", f"RRULE:{rule}"),
        event("lunch", "DTSTART:20261201T120000Z", "DTEND:20261201T130000Z", "Lunch"),
    )


@pytest.mark.usefixtures("ann")
def test_a_rule_that_repeats_without_bound_is_cut_at_the_product_limit_and_said(
    app: InviteOnce, tmp_path: Path
) -> None:
    result = load(app, tmp_path, fast("FREQ=MINUTELY"))
    assert result.report.occurrences == 10_001
    [problem] = result.report.problems
    assert problem == (
        'Line 4, event "Fast": it repeats more than 10,000 times in the import window; '
        "only the first 10,000 were read."
    )
    assert problem in result.lines()
    assert ("Lunch", "2026-12-01 12:00", "2026-12-01 13:00") in spans(app)


@pytest.mark.usefixtures("ann")
@pytest.mark.parametrize(
    "rule", ["FREQ=MINUTELY", "FREQ=SECONDLY;COUNT=1000000000", "FREQ=MINUTELY;INTERVAL=1"]
)
def test_a_rule_that_repeats_without_bound_is_cut_at_the_limit_and_said(
    app: InviteOnce, tmp_path: Path, rule: str
) -> None:
    result = load_limited(app, tmp_path, fast(rule), IcsLimits(max_occurrences=100))
    assert result.report.occurrences == 101
    [problem] = result.report.problems
    assert problem == (
        'Line 4, event "Fast": it repeats more than 100 times in the import window; '
        "only the first 100 were read."
    )
    assert problem in result.lines()
    assert ("Lunch", "2026-12-01 12:00", "2026-12-01 13:00") in spans(app)


@pytest.mark.usefixtures("ann")
def test_a_rule_that_repeats_too_often_before_the_window_is_said(
    app: InviteOnce, tmp_path: Path
) -> None:
    data = calendar(
        event("old", "DTSTART:20200101T000000Z", "DURATION:PT1S", "Old", "RRULE:FREQ=MINUTELY")
    )
    result = load_limited(app, tmp_path, data, IcsLimits(max_repetitions=2_000))
    assert result.report.problems == [
        'Line 4, event "Old": it repeats more than 2,000 times before or in the import '
        "window; skipped."
    ]


@pytest.mark.usefixtures("ann")
def test_the_events_per_file_limit_is_named_and_the_first_events_kept(
    app: InviteOnce, tmp_path: Path
) -> None:
    events = [
        event(f"e{i}", f"DTSTART:202612{1 + i // 24:02d}T{i % 24:02d}0000Z", "DURATION:PT30M")
        for i in range(60)
    ]
    result = load_limited(app, tmp_path, calendar(*events), IcsLimits(max_events=50))
    assert result.report.limits == [
        "The file holds more than 50 events; only the first 50 were read."
    ]
    assert len(spans(app)) == 50


@pytest.mark.usefixtures("ann")
def test_a_file_over_the_byte_limit_is_refused_and_the_earlier_import_kept(
    app: InviteOnce, tmp_path: Path
) -> None:
    first = calendar(event("a", "DTSTART:20261201T090000Z", "DTEND:20261201T100000Z", "Kept"))
    load(app, tmp_path, first)
    with app.workspace.session() as session:
        from inviteonce_desktop.store.directory import Directory

        member = Directory(session).member("Ann")
    big = calendar(
        *[event(f"x{i}", "DTSTART:20261202T090000Z", "DURATION:PT1H") for i in range(40)]
    )
    path = tmp_path / "cal.ics"
    path.write_bytes(big)
    with pytest.raises(ValidationError, match="larger than 0 MiB"):
        import_busy_file(app.local_calendar, member, path, NOW, "UTC", IcsLimits(max_bytes=1000))
    assert spans(app) == [("Kept", "2026-12-01 09:00", "2026-12-01 10:00")]


@pytest.mark.usefixtures("ann")
def test_a_file_cut_short_is_refused_and_the_earlier_import_kept(
    app: InviteOnce, tmp_path: Path
) -> None:
    load(app, tmp_path, calendar(event("a", "DTSTART:20261201T090000Z", "DURATION:PT1H", "Kept")))
    cut = calendar(event("b", "DTSTART:20261202T090000Z", "DURATION:PT1H"))[:-30]
    with pytest.raises(ValidationError, match="cut short"):
        load(app, tmp_path, cut)
    assert [s[0] for s in spans(app)] == ["Kept"]


@pytest.mark.usefixtures("ann")
def test_events_without_a_uid_at_the_same_moment_are_both_kept(
    app: InviteOnce, tmp_path: Path
) -> None:
    data = calendar(
        event("", "DTSTART:20261201T080000Z", "DTEND:20261201T120000Z", "Long"),
        event("", "DTSTART:20261201T080000Z", "DTEND:20261201T090000Z", "Short"),
    )
    load(app, tmp_path, data)
    assert spans(app) == [
        ("Long", "2026-12-01 08:00", "2026-12-01 12:00"),
        ("Short", "2026-12-01 08:00", "2026-12-01 09:00"),
    ]
    load(app, tmp_path, data)
    assert len(spans(app)) == 2


@pytest.mark.usefixtures("ann")
def test_reimporting_replaces_what_the_file_held(app: InviteOnce, tmp_path: Path) -> None:
    load(
        app,
        tmp_path,
        calendar(
            event("m", "DTSTART:20261201T090000Z", "DTEND:20261201T100000Z", "Moves"),
            event("g", "DTSTART:20261202T090000Z", "DTEND:20261202T100000Z", "Goes"),
            event(
                "s",
                "DTSTART:20261207T090000Z",
                "DURATION:PT1H",
                "Series",
                "RRULE:FREQ=DAILY;COUNT=3",
            ),
        ),
    )
    load(
        app,
        tmp_path,
        calendar(event("other", "DTSTART:20261203T090000Z", "DURATION:PT1H", "Other")),
        "other.ics",
    )
    load(
        app,
        tmp_path,
        calendar(
            event("m", "DTSTART:20261201T140000Z", "DTEND:20261201T150000Z", "Moves"),
            event(
                "s",
                "DTSTART:20261208T100000Z",
                "DURATION:PT1H",
                "Series",
                "RRULE:FREQ=DAILY;COUNT=2",
            ),
        ),
    )
    assert spans(app) == [
        ("Moves", "2026-12-01 14:00", "2026-12-01 15:00"),
        ("Other", "2026-12-03 09:00", "2026-12-03 10:00"),
        ("Series", "2026-12-08 10:00", "2026-12-08 11:00"),
        ("Series", "2026-12-09 10:00", "2026-12-09 11:00"),
    ]


@pytest.mark.usefixtures("ann")
def test_problems_are_per_event_by_line_and_the_rest_is_imported(
    app: InviteOnce, tmp_path: Path
) -> None:
    data = calendar(
        event("ok", "DTSTART:20261201T090000Z", "DTEND:20261201T100000Z", "Fine"),
        event(
            "tz",
            "DTSTART;TZID=Mars/Olympus:20261201T090000",
            "DTEND;TZID=Mars/Olympus:20261201T100000",
            "Martian",
        ),
        event("back", "DTSTART:20261201T100000Z", "DTEND:20261201T090000Z", "Backwards"),
        event("bad", "DTSTART:tomorrow", "DTEND:20261201T090000Z", "Garbled"),
        event(
            "rule", "DTSTART:20261201T100000Z", "DURATION:PT1H", "Odd rule", "RRULE:FREQ=SOMETIMES"
        ),
    )
    result = load(app, tmp_path, data)
    assert result.lines()[-4:] == [
        "Line 10, event \"Martian\": its time zone 'Mars/Olympus' is not known; skipped.",
        'Line 16, event "Backwards": it ends before it starts; skipped.',
        "Line 22, event \"Garbled\": 'tomorrow' in DTSTART is not a date or time; skipped.",
        'Line 28, event "Odd rule": its repeat rule (RRULE) cannot be read; skipped.',
    ]
    assert result.lines()[0].startswith("Imported 1 event from cal.ics for Ann, reading ")
    assert spans(app) == [("Fine", "2026-12-01 09:00", "2026-12-01 10:00")]


@pytest.mark.usefixtures("ann")
def test_a_zone_defined_in_the_file_is_used_even_after_the_event(
    app: InviteOnce, tmp_path: Path
) -> None:
    zone_block = (
        "BEGIN:VTIMEZONE\r\nTZID:Custom Plus Two\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    body = calendar(
        event(
            "c",
            "DTSTART;TZID=Custom Plus Two:20261201T090000",
            "DTEND;TZID=Custom Plus Two:20261201T100000",
            "Custom",
        )
    ).decode()
    data = body.replace("END:VCALENDAR", zone_block + "END:VCALENDAR").encode()
    result = load(app, tmp_path, data)
    assert result.report.problems == []
    assert spans(app) == [("Custom", "2026-12-01 07:00", "2026-12-01 08:00")]


@pytest.mark.usefixtures("ann")
def test_a_series_going_on_past_the_window_is_said(app: InviteOnce, tmp_path: Path) -> None:
    data = calendar(
        event("w", "DTSTART:20261201T090000Z", "DURATION:PT1H", "Weekly", "RRULE:FREQ=WEEKLY")
    )
    lines = load(app, tmp_path, data).lines()
    assert lines[0] == (
        "Imported 1 event (56 occurrences) from cal.ics for Ann, reading Fri 23 Oct 2026 to "
        "Tue 28 Dec 2027."
    )
    assert (
        "1 recurring event goes on after Tue 28 Dec 2027 and blocks time only up to then; "
        "import the file again before that day."
    ) in lines


@pytest.mark.usefixtures("ann")
@pytest.mark.parametrize(
    ("data", "why"),
    [
        (calendar(), "the file holds no events."),
        (
            calendar(event("old", "DTSTART:20200101T090000Z", "DURATION:PT1H")),
            "its one event lies outside the import window.",
        ),
        (
            calendar(
                event("x", "DTSTART:20261201T090000Z", "DURATION:PT1H", extra="STATUS:CANCELLED")
            ),
            "its events are cancelled, take no time, or lie outside the import window.",
        ),
    ],
)
def test_importing_nothing_says_why(app: InviteOnce, tmp_path: Path, data: bytes, why: str) -> None:
    result = load(app, tmp_path, data)
    assert result.lines()[0].endswith(f"for Ann, reading Fri 23 Oct 2026 to Tue 28 Dec 2027: {why}")


def test_all_day_and_floating_times_are_the_members_zone(app: InviteOnce, tmp_path: Path) -> None:
    app.set_profile("Org", "org@example.com", "UTC")
    app.add_member("Kai", "kai@example.com", "Pacific/Honolulu")
    data = calendar(
        event("off", "DTSTART;VALUE=DATE:20270317", "DTEND;VALUE=DATE:20270318", "Day off"),
        event("float", "DTSTART:20270318T090000", "DTEND:20270318T100000", "Floating"),
        head="X-WR-TIMEZONE:Europe/Berlin\r\n",
    )
    result = load(app, tmp_path, data, ref="Kai")
    assert (
        "All-day and floating times were read in Pacific/Honolulu, Kai's own zone."
        in result.lines()
    )
    assert spans(app, "Kai") == [
        ("Day off", "2027-03-17 10:00", "2027-03-18 10:00"),
        ("Floating", "2027-03-18 19:00", "2027-03-18 20:00"),
    ]


@pytest.mark.parametrize(
    ("head", "zone_line", "start"),
    [
        (
            "X-WR-TIMEZONE:Europe/Berlin\r\n",
            "All-day and floating times were read in Europe/Berlin, the file's X-WR-TIMEZONE.",
            "2027-03-16 23:00",
        ),
        (
            "",
            "All-day and floating times were read in America/New_York, the profile's zone.",
            "2027-03-17 04:00",
        ),
    ],
)
def test_without_a_member_zone_the_files_zone_then_the_profiles(
    app: InviteOnce, tmp_path: Path, head: str, zone_line: str, start: str
) -> None:
    app.set_profile("Org", "org@example.com", "America/New_York")
    app.add_room("Éclair")
    data = calendar(event("off", "DTSTART;VALUE=DATE:20270317", "", "Closed"), head=head)
    result = load(app, tmp_path, data, ref="éclair")
    assert zone_line in result.lines()
    [(_, first, _)] = spans(app, "Éclair")
    assert first == start


@pytest.mark.usefixtures("ann")
def test_an_event_in_a_skipped_hour_is_stored_as_rfc_5545_reads_it(
    app: InviteOnce, tmp_path: Path
) -> None:
    data = calendar(
        event(
            "gap",
            "DTSTART;TZID=Europe/Berlin:20270328T023000",
            "DTEND;TZID=Europe/Berlin:20270328T030000",
            "Gap",
        ),
        event(
            "daily",
            "DTSTART;TZID=America/New_York:20270313T020000",
            "DTEND;TZID=America/New_York:20270313T030000",
            "Daily",
            "RRULE:FREQ=DAILY;COUNT=3",
        ),
        event(
            "over",
            "DTSTART;TZID=America/New_York:20270314T023000",
            "DTEND;TZID=America/New_York:20270314T040000",
            "Over",
        ),
    )
    result = load(app, tmp_path, data)
    assert spans(app) == [
        ("Daily", "2027-03-13 07:00", "2027-03-13 08:00"),
        ("Daily", "2027-03-15 06:00", "2027-03-15 07:00"),
        ("Over", "2027-03-14 07:30", "2027-03-14 08:00"),
    ]
    assert (
        "1 event takes no time once read (inside an hour the clocks skip, or ending as it "
        "starts) and blocks nothing."
    ) in result.lines()


@pytest.mark.usefixtures("ann")
def test_an_exdate_in_a_repeated_hour_leaves_out_that_occurrence_only(
    app: InviteOnce, tmp_path: Path
) -> None:
    data = calendar(
        event(
            "h",
            "DTSTART;TZID=Europe/London:20271031T000000",
            "DTEND;TZID=Europe/London:20271031T001500",
            "Hourly",
            "RRULE:FREQ=HOURLY;COUNT=3\r\nEXDATE;TZID=Europe/London:20271031T010000",
        )
    )
    load(app, tmp_path, data)
    assert spans(app) == [
        ("Hourly", "2027-10-30 23:00", "2027-10-30 23:15"),
        ("Hourly", "2027-10-31 02:00", "2027-10-31 02:15"),
    ]


@pytest.mark.usefixtures("ann")
@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=SECONDLY;BYMONTH=4,6;BYMONTHDAY=31,-31;COUNT=5",
        "FREQ=SECONDLY;BYHOUR=25",
    ],
)
def test_a_rule_that_never_happens_is_a_problem_not_a_search_to_the_year_9999(
    app: InviteOnce, tmp_path: Path, rule: str
) -> None:
    data = calendar(
        event("n", "DTSTART:20261201T100000Z", "DURATION:PT1H", "Never", f"RRULE:{rule}")
    )
    result = load(app, tmp_path, data)
    assert result.report.problems == [
        'Line 4, event "Never": its repeat rule (RRULE) never produces a date; skipped.'
    ]


@pytest.mark.usefixtures("ann")
def test_a_byte_order_mark_and_lowercase_names_are_read(app: InviteOnce, tmp_path: Path) -> None:
    data = calendar(event("b", "dtstart:20261201T090000Z", "dtend:20261201T100000Z", "Marked"))
    load(app, tmp_path, b"\xef\xbb\xbf" + data)
    assert spans(app) == [("Marked", "2026-12-01 09:00", "2026-12-01 10:00")]
