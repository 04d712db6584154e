"""Looks and layout: windows fit the screen, the home page shows what matters, empty lists."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.qt import QGuiApplication, QRect, Qt, QWidget, QWizard
from inviteonce_desktop.ui.screen import fit_to_screen
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId

from .wizard_driver import Wait, click, to_step_three


def _on_screen(widget: QWidget) -> bool:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return screen.availableGeometry().contains(QRect(top_left, widget.size()))


def test_the_wizard_and_its_buttons_stay_on_a_small_screen(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    wizard = shell.window.open_wizard()
    qtbot.waitExposed(wizard)
    assert _on_screen(wizard)
    available = QGuiApplication.primaryScreen().availableGeometry()
    wizard.resize(available.width() * 2, available.height() * 2)
    fit_to_screen(wizard)
    assert _on_screen(wizard)
    to_step_three(qtbot, wizard, wait, [m.id for m in shell.window.app.members()[:1] if m.id])
    for page_id in (PageId.NOTIFICATIONS,):
        assert wizard.currentId() == page_id
        commit = wizard.button(QWizard.WizardButton.CommitButton)
        assert _on_screen(commit) and _on_screen(wizard)
    wizard.back()
    assert _on_screen(wizard.button(QWizard.WizardButton.NextButton))


def test_the_main_window_restores_onto_the_screen(qtbot: QtBot, shell: Shell) -> None:
    window = shell.window
    window.resize(4000, 3000)
    window.move(-500, -500)
    window.save_geometry()
    window._restore_geometry()
    assert _on_screen(window)


def test_schedule_is_the_home_page(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    schedule = shell.window.schedule
    assert schedule.upcoming.lines() == []
    assert schedule.upcoming.empty.text() == "No meetings booked yet."
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, [m.id for m in shell.window.app.members()[:1] if m.id])
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    wizard.accept()
    lines = schedule.waiting.lines()
    assert len(lines) == 1 and lines[0].startswith("Intro call with Dana Customer, open until ")
    assert schedule.attention.lines() == []
    qtbot.mouseClick(schedule.show_activity, Qt.MouseButton.LeftButton)
    assert shell.window.stack.currentIndex() == Page.ACTIVITY


def test_empty_lists_say_so_and_columns_show_whole_dates(qtbot: QtBot, shell: Shell) -> None:
    shell.window.show_page(Page.ACTIVITY)
    meetings = shell.window.activity.meetings.view
    assert meetings.model().rowCount() == 0
    assert meetings.empty_text.startswith("No meetings yet.")
    invitations = shell.window.activity.invitations
    invitations.refresh()
    header = invitations.view.horizontalHeader()
    created = invitations.view.sizeHintForColumn(5)
    assert header.sectionSize(5) >= min(created, 320)


def test_without_a_tray_the_file_menu_has_next_meetings(shell: Shell) -> None:
    texts = [a.text() for a in shell.window.file_menu.actions()]
    assert "&Next meetings" in texts


def test_open_in_calendar_says_where_the_file_is_when_nothing_opens_it() -> None:
    from inviteonce_desktop.ui.activity.meetings_page import no_handler_message
    from inviteonce_desktop.ui.qt import QUrl

    text = no_handler_message(QUrl.fromLocalFile("/home/alex/exports/meeting-3.ics"))
    assert text == (
        "No program on this computer opens calendar files (.ics). The meeting is saved as "
        "/home/alex/exports/meeting-3.ics; import it into your calendar."
    )
