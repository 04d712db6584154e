"""The wizard from the first page to the Copy links page, and to an email in a mailbox."""

from __future__ import annotations

import asyncio

from pytestqt.qtbot import QtBot

from inviteonce_desktop.core.invitation import InvitationStatus
from inviteonce_desktop.ui.qt import QGuiApplication, Qt, QTime, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId
from tests.ui.conftest import Mailbox
from tests.ui.wizard_driver import (
    Wait,
    click,
    fill_details,
    fill_participant,
    to_step_three,
    wait_for_count,
)


def test_copy_links_path_ends_on_the_copy_links_page(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    qtbot.mouseClick(shell.window.schedule.invite, Qt.MouseButton.LeftButton)
    wizard = shell.window.wizard
    assert wizard is not None
    members = [m.id for m in shell.window.settings.members._app.members()][:2]
    to_step_three(qtbot, wizard, wait, [m for m in members if m is not None])
    page = wizard.notifications_page
    assert page.add_to_event.isChecked() and page.send_confirmation.isChecked()
    page.by_links.click()
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Create &invitation"
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    links = wizard.links_page.created
    assert links is not None and links.links.url is not None
    assert links.invitation.status == InvitationStatus.PENDING
    qtbot.mouseClick(wizard.links_page.copy, Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == links.links.url
    assert links.links.url in mime.html()
    invitations = shell.window.activity.invitations
    assert invitations.model.rowCount() == 1
    assert invitations.model.row_values(0)[0] == "Waiting for customer"


def test_send_via_email_reaches_the_mailbox_with_promoted_slots(
    qtbot: QtBot, shell: Shell, wait: Wait, mailbox: Mailbox
) -> None:
    wizard = shell.window.open_wizard()
    member_ids = [m.id for m in shell.window._app.members() if m.id is not None]
    to_step_three(qtbot, wizard, wait, member_ids[:1])
    page = wizard.notifications_page
    assert "Dana Customer" in page.preview.toPlainText()
    page.promote.click()
    wait(lambda: page.picker.slots.model().rowCount() > 0)
    page.picker.how_many.setValue(2)
    qtbot.mouseClick(page.picker.suggest, Qt.MouseButton.LeftButton)
    assert len(page.picker.chosen()) == 2
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "&Invite"
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    wait(lambda: mailbox.messages)
    message = mailbox.messages[0]
    assert message["To"] == "Dana Customer <dana@example.com>"
    assert "Intro call" in message["Subject"]
    created = wizard.links_page.created
    assert created is not None and len(created.links.promoted) == 2
    assert "email is sent to Dana Customer" in wizard.links_page.summary.text()


def test_zero_slots_refuse_to_go_on_and_say_why(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    member_ids = [m.id for m in shell.window._app.members() if m.id is not None]
    fill_details(qtbot, wizard, member_ids[:1])
    assert wait_for_count(wizard, wait) > 0
    page = wizard.time_frame_page
    page.hours.setText("Sun 10:00-11:00")
    assert wait_for_count(wizard, wait) == 0
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert page.error.isVisible() and "cannot be created" in page.error.text()
    page.hours.setText("Mon-Fri 09:00-17:00")
    assert wait_for_count(wizard, wait) > 0
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def _counts_running() -> list[asyncio.Task[object]]:
    return [
        task
        for task in asyncio.all_tasks()
        if not task.done() and "refresh_now" in task.get_coro().__qualname__
    ]


def test_a_stale_count_is_ignored(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    member_ids = [m.id for m in shell.window._app.members() if m.id is not None]
    fill_details(qtbot, wizard, member_ids[:1])
    page = wizard.time_frame_page
    wait_for_count(wizard, wait)
    page.hours.setText("Sun 10:00-11:00")
    page.counter.refresh_now()
    page.hours.setText("Mon-Fri 09:00-17:00")
    page.counter.refresh_now()
    assert wait_for_count(wizard, wait) > 0
    wait(lambda: not _counts_running())  # the stale count, too, has come back
    assert page.counter.last is not None and page.counter.last.count > 0
    assert "available time slots" in page.count.text()


def test_wrong_weekly_hours_are_explained_beside_the_editor(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    member_ids = [m.id for m in shell.window._app.members() if m.id is not None]
    fill_details(qtbot, wizard, member_ids[:1])
    page = wizard.time_frame_page
    assert wait_for_count(wizard, wait) > 0
    monday = page.hours.rows[0]
    qtbot.mouseClick(monday.add, Qt.MouseButton.LeftButton)
    monday.ranges[1].start.setTime(QTime(16, 0))
    assert wait_for_count(wizard, wait) == 0
    assert page.hours_message.text == "The hours on Mon overlap."
    assert not page.error.isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(monday.ranges[1].remove, Qt.MouseButton.LeftButton)
    assert page.hours_message.text == ""
    assert wait_for_count(wizard, wait) > 0


def test_step_three_saves_the_settings_as_a_named_template(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    qtbot.mouseClick(shell.window.schedule.invite, Qt.MouseButton.LeftButton)
    wizard = shell.window.wizard
    assert wizard is not None
    template_button = wizard.button(QWizard.WizardButton.CustomButton2)
    assert not template_button.isVisible()
    app = shell.window.settings.members._app
    members = [m.id for m in app.members() if m.id is not None][:1]
    to_step_three(qtbot, wizard, wait, members)
    assert template_button.isVisible()
    wizard.notifications_page.by_links.click()
    assert wizard.save_template("Sales intro")
    assert app.invitations.templates() == ["Sales intro"]
    assert not wizard.save_template("   ")
    assert app.invitations.templates() == ["Sales intro"]


def test_zero_slots_name_the_rule_that_removes_them(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    member_ids = [m.id for m in shell.window.app.members() if m.id is not None]
    fill_details(qtbot, wizard, member_ids[:1])
    page = wizard.time_frame_page
    assert wait_for_count(wizard, wait) > 0
    wait(lambda: page.preview.text())
    assert page.preview.text().startswith(("Mon", "Tue", "Wed", "Thu", "Fri"))
    assert "\nFirst times: " in page.preview.text()
    page.notice.setValue(400)
    assert wait_for_count(wizard, wait) == 0
    assert page.error.text() == (
        "The invitation cannot be created: The minimum notice of 400 h reaches past the "
        "14-day time frame; shorten the notice or lengthen the time frame."
    )
    assert page.preview.text() == ""
