"""Settings → Team members / Rooms: importing busy time from an .ics file in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.ui.qt import Qt
from inviteonce_desktop.ui.settings.directory_page import DirectoryPage
from inviteonce_desktop.ui.shell import Shell
from tests.ui.wizard_driver import Wait

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Planning\r\nDTSTART;VALUE=DATE:20270317\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Backwards\r\nDTSTART:20270318T100000Z\r\n"
    "DTEND:20270318T090000Z\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def choose(page: DirectoryPage, path: Path | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The organizer picks *path* in the file dialog (None: they cancel)."""
    monkeypatch.setattr(page, "import_source", lambda: path)


def select_first_row(qtbot: QtBot, page: DirectoryPage) -> str:
    page.view.selectRow(0)
    assert page.import_busy.isEnabled()
    return str(page.model.row_values(0)[0])


def test_importing_busy_time_for_a_member_shows_the_summary(
    qtbot: QtBot, shell: Shell, wait: Wait, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = shell.window.settings.members
    assert not page.import_busy.isEnabled()
    name = select_first_row(qtbot, page)
    path = tmp_path / "team.ics"
    path.write_text(ICS, encoding="utf-8")
    choose(page, path, monkeypatch)
    qtbot.mouseClick(page.import_busy, Qt.MouseButton.LeftButton)
    wait(lambda: not page.import_summary.isHidden() or shell.window.banner.isVisible())
    assert not shell.window.banner.isVisible(), shell.window.banner.text.text()
    lines = page.import_summary.text().splitlines()
    assert lines[0].startswith(f"Imported 1 event from team.ics for {name}, reading ")
    assert lines[-1] == 'Line 9, event "Backwards": it ends before it starts; skipped.'
    assert shell.window.status.currentMessage() == lines[0]


def test_an_unreadable_file_is_an_error_in_the_window(
    qtbot: QtBot, shell: Shell, wait: Wait, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = shell.window.settings.rooms
    select_first_row(qtbot, page)
    path = tmp_path / "notes.ics"
    path.write_text("just some notes\n", encoding="utf-8")
    choose(page, path, monkeypatch)
    qtbot.mouseClick(page.import_busy, Qt.MouseButton.LeftButton)
    wait(shell.window.banner.isVisible)
    assert shell.window.banner.text.text() == (
        "The file is not an iCalendar (.ics) file: it has no calendar."
    )
    assert page.import_summary.isHidden()


def test_cancelling_the_file_dialog_imports_nothing(
    qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = shell.window.settings.members
    select_first_row(qtbot, page)
    choose(page, None, monkeypatch)
    qtbot.mouseClick(page.import_busy, Qt.MouseButton.LeftButton)
    assert page.import_summary.isHidden()
    assert page.import_busy.isEnabled()


def test_impossible_repeat_rules_end_with_a_sentence_each_in_the_window(
    qtbot: QtBot, shell: Shell, wait: Wait, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = shell.window.settings.members
    select_first_row(qtbot, page)
    rules = [
        "FREQ=YEARLY;BYMONTH=2;BYYEARDAY=200",
        "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=7",
        "FREQ=MONTHLY;BYDAY=-1FR;BYMONTHDAY=13",
    ]
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:r{i}\r\nSUMMARY:Rule {i}\r\nDTSTART:20270104T090000Z\r\n"
        f"DURATION:PT1H\r\nRRULE:{rule}\r\nEND:VEVENT\r\n"
        for i, rule in enumerate(rules)
    )
    path = tmp_path / "rules.ics"
    path.write_text(ICS.replace("END:VCALENDAR", events + "END:VCALENDAR"), encoding="utf-8")
    choose(page, path, monkeypatch)
    qtbot.mouseClick(page.import_busy, Qt.MouseButton.LeftButton)
    wait(lambda: not page.import_summary.isHidden() or shell.window.banner.isVisible())
    assert not shell.window.banner.isVisible(), shell.window.banner.text.text()
    lines = page.import_summary.text().splitlines()
    assert lines[0].startswith("Imported 1 event from rules.ics")
    assert lines[-3:] == [
        'Line 15, event "Rule 0": its repeat rule (RRULE) never produces a date; skipped.',
        'Line 22, event "Rule 1": its repeat rule (RRULE) never produces a date; skipped.',
        'Line 29, event "Rule 2": its repeat rule (RRULE) was stopped after 250,000 '
        "candidate dates; skipped.",
    ]
