"""``inviteonce busy import`` with repeat rules that never produce a date, or only after a
search with no end: each ends quickly, named by line in one sentence, and the rest of the
file is imported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_runner import run_inviteonce

NEVER = "its repeat rule (RRULE) never produces a date; skipped."
STOPPED = "its repeat rule (RRULE) was stopped after 250,000 candidate dates; skipped."

# The import reads a window around today: the events lie in the week ahead, the odd
# rules starting on a Tuesday, the plain event on the Wednesday after.
_TODAY = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
TUESDAY = _TODAY + timedelta(days=(1 - _TODAY.weekday()) % 7 or 7)
START = TUESDAY.strftime("%Y%m%dT%H%M%SZ")
PLANNING_DAY = (TUESDAY + timedelta(days=1)).date()

# (DTSTART, RRULE, what the import says of it)
RULES = [
    (START, "FREQ=YEARLY;BYMONTH=2;BYYEARDAY=200", NEVER),
    (START, "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=7", NEVER),
    (START, "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", NEVER),
    (START, "FREQ=YEARLY;BYYEARDAY=1;BYMONTHDAY=2", NEVER),
    (START, "FREQ=MONTHLY;BYWEEKNO=20;BYMONTH=1;BYDAY=MO", NEVER),
    (START, "FREQ=YEARLY;BYYEARDAY=-1;BYMONTH=6;COUNT=3", NEVER),
    (START, "FREQ=HOURLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", NEVER),
    # BYSETPOS beyond the most dates one period holds: the second of one time a day,
    # the sixth Monday of a month, the third of two hours.
    (START, "FREQ=DAILY;BYSETPOS=2", NEVER),
    (START, "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", NEVER),
    (START, "FREQ=DAILY;BYHOUR=9,10;BYSETPOS=-3", NEVER),
    # Rules whose parts each hold but that no reading up front can rule out: a Tuesday
    # every seventh day only on Mondays, a month's last Friday on its 13th. dateutil
    # alone would search to the year 9999.
    (START, "FREQ=DAILY;INTERVAL=7;BYDAY=MO", STOPPED),
    (START, "FREQ=MONTHLY;BYDAY=-1FR;BYMONTHDAY=13", STOPPED),
    # Searched to its end without a date: it ends before it starts.
    (START, f"FREQ=WEEKLY;UNTIL={TUESDAY - timedelta(days=30):%Y%m%dT%H%M%SZ}", NEVER),
]


def ics(dtstart: str, rule: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:odd\r\nSUMMARY:Odd rule\r\n"
        f"DTSTART:{dtstart}\r\nDURATION:PT1H\r\nRRULE:{rule}\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:plain\r\nSUMMARY:Planning\r\n"
        f"DTSTART:{PLANNING_DAY:%Y%m%d}T090000Z\r\nDTEND:{PLANNING_DAY:%Y%m%d}T100000Z\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    ).encode()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("rules")
    assert run_inviteonce(home, "profile", "set", "Org", "org@example.com", "UTC").returncode == 0
    assert run_inviteonce(home, "members", "add", "Ann", "ann@example.com").returncode == 0
    return home


@pytest.mark.parametrize(("dtstart", "rule", "said"), RULES, ids=[r for _, r, _ in RULES])
def test_an_impossible_rule_ends_quickly_and_the_rest_is_imported(
    home: Path, tmp_path: Path, dtstart: str, rule: str, said: str
) -> None:
    path = tmp_path / "odd.ics"
    path.write_bytes(ics(dtstart, rule))
    result = run_inviteonce(home, "busy", "import", "Ann", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Imported 1 event from odd.ics for Ann, reading ")
    assert lines[-1] == f'Line 4, event "Odd rule": {said}'
    day = PLANNING_DAY.isoformat()
    listed = run_inviteonce(home, "busy", "list", "Ann", "--from", day, "--to", day)
    assert "Planning" in listed.stdout and "Odd rule" not in listed.stdout
