"""Keyboard-only use: one mnemonic per letter on every page, Tab in reading order, Enter goes on."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.qt import Qt, QWidget, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId

from .conftest import Mailbox
from .keyboard import clashes, out_of_reading_order, tab_chain
from .wizard_driver import Wait, click, fill_details, fill_participant, to_step_three


def _check_page(root: QWidget, name: str, within: QWidget | None = None) -> list[str]:
    problems = [f"{name}: Alt+{k.upper()} is {v}" for k, v in clashes(root).items()]
    chain = tab_chain(root, within or root)
    problems += [
        f"{name}: Tab goes from {a} back to {b}" for a, b in out_of_reading_order(root, chain)
    ]
    return problems


def test_every_wizard_page_has_one_mnemonic_per_letter_and_tabs_in_order(
    qtbot: QtBot, shell: Shell, wait: Wait, mailbox: Mailbox
) -> None:
    wizard = shell.window.open_wizard()
    problems = _check_page(wizard, "Participant", wizard.participant_page)
    fill_participant(qtbot, wizard)
    wizard.details_page.add_description.click()
    problems += _check_page(wizard, "Step 1", wizard.details_page)
    fill_details(qtbot, wizard, [m.id for m in shell.window.app.members()[:1] if m.id])
    problems += _check_page(wizard, "Step 2", wizard.time_frame_page)
    wait(lambda: not wizard.time_frame_page.counter.pending)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.notifications_page
    assert page.by_email.isEnabled()
    problems += _check_page(wizard, "Step 3", page)
    page.promote.setChecked(True)
    page.show_advanced.setChecked(True)
    problems += _check_page(wizard, "Step 3 with promotion and advanced settings", page)
    page.promote.setChecked(False)
    page.by_links.setChecked(True)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    problems += _check_page(wizard, "Links", wizard.links_page)
    assert not problems, "\n".join(problems)


def test_every_main_window_page_has_one_mnemonic_per_letter_and_tabs_in_order(
    qtbot: QtBot, shell: Shell
) -> None:
    window = shell.window
    problems = []
    window.show_page(Page.SCHEDULE)
    problems += _check_page(window, "Schedule", window.stack)
    window.show_page(Page.ACTIVITY)
    for tab in (window.activity.invitations, window.activity.meetings):
        window.activity.tabs.setCurrentWidget(tab)
        problems += _check_page(window, f"Activity {tab.view.accessibleName()}", tab)
    window.show_page(Page.SETTINGS)
    settings = window.settings
    for index in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(index)
        name = settings.tabs.tabText(index).replace("&", "")
        problems += _check_page(window, f"Settings {name}", settings.tabs.currentWidget().widget())
    assert not problems, "\n".join(problems)


def test_dialogs_have_one_mnemonic_per_letter(qtbot: QtBot, shell: Shell) -> None:
    quick = shell.open_quick_invite()
    problems = _check_page(quick, "Quick invite")
    quick.reject()
    wizard = shell.window.open_wizard()
    dialog = wizard.open_mail_settings()
    problems += _check_page(dialog, "Mail settings")
    dialog.reject()
    assert not problems, "\n".join(problems)


def test_tab_on_schedule_goes_from_the_pages_list_into_the_page(qtbot: QtBot, shell: Shell) -> None:
    window = shell.window
    chain = tab_chain(window, window)
    navigation = chain.index(window.navigation)
    assert chain[navigation + 1] is window.schedule.invite
    assert chain[navigation + 2] is window.schedule.quick


def test_enter_in_a_number_box_goes_on_once_the_count_is_in(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    fill_details(qtbot, wizard, [m.id for m in shell.window.app.members()[:1] if m.id])
    page = wizard.time_frame_page
    wait(lambda: not page.counter.pending)
    page.rolling_days.setFocus()
    page.rolling_days.setValue(10)
    assert page.counter.pending
    qtbot.keyClick(page.rolling_days, Qt.Key.Key_Return)
    wait(lambda: wizard.currentId() == PageId.NOTIFICATIONS)


def test_enter_in_a_text_field_goes_on_when_the_page_is_complete(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    wizard = shell.window.open_wizard()
    page = wizard.participant_page
    qtbot.keyClicks(page.name, "Dana Customer")
    qtbot.keyClick(page.name, Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.PARTICIPANT
    qtbot.keyClicks(page.email, "dana@example.com")
    qtbot.keyClick(page.email, Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.DETAILS


def test_each_step_says_where_it_is(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, [m.id for m in shell.window.app.members()[:1] if m.id])
    titles = [
        wizard.page(i).title() for i in (PageId.DETAILS, PageId.TIME_FRAME, PageId.NOTIFICATIONS)
    ]
    assert [t.split(":")[0] for t in titles] == ["Step 1 of 3", "Step 2 of 3", "Step 3 of 3"]


def test_settings_calendars_with_an_account_selected_has_one_mnemonic_per_letter(
    qtbot: QtBot, shell: Shell
) -> None:
    from inviteonce_desktop.core.account_settings import AccountSettings
    from inviteonce_desktop.store.accounts import CalendarAccounts

    app = shell.window.app
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("google")
        accounts.complete(account_id, "Work", AccountSettings(calendar="alex@example.com"))
    window = shell.window
    window.show_page(Page.SETTINGS)
    page = window.settings.calendars
    window.settings.show_tab(page)
    page.refresh()
    page.view.selectRow(1)
    assert page.reconnect.isEnabled() and page.remove.isEnabled()
    assert not _check_page(window, "Settings Calendars, an account selected", page)
