"""Messages next to their field, and nothing typed lost when leaving the wizard."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inviteonce_desktop.ui.qt import QMessageBox, Qt, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId
from tests.ui.wizard_driver import Wait, click, fill_participant


def test_each_wrong_field_says_so_beside_itself_until_fixed(qtbot: QtBot, shell: Shell) -> None:
    wizard = shell.window.open_wizard()
    page = wizard.participant_page
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PageId.PARTICIPANT
    assert page.name_message.text == "The participant's name is empty."
    assert page.email_message.text == "Enter the customer's email address."
    assert page.name.accessibleDescription() == "The participant's name is empty."
    assert page.name.property("invalid") is True
    assert not page.error.isVisible(), "no page-wide banner for one field's fault"
    assert wizard.focusWidget() is page.name
    qtbot.keyClicks(page.name, "Dana")
    assert page.name_message.text == "" and page.name.property("invalid") is False
    qtbot.keyClicks(page.email, "dana@")
    assert page.email_message.text == "'dana@' is not an email address."
    qtbot.keyClicks(page.email, "example.com")
    assert page.email_message.text == ""
    click(qtbot, wizard, QWizard.WizardButton.NextButton)

    details = wizard.details_page
    assert wizard.currentId() == PageId.DETAILS
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert details.subject_message.text == "The subject is empty."
    assert details.members_message.text == "Choose at least one team member."
    qtbot.keyClicks(details.subject, "Intro call")
    assert details.subject_message.text == ""
    member = shell.window.app.members()[0]
    details.members.set_checked([member.id])
    assert details.members_message.text == ""
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PageId.TIME_FRAME


def test_team_members_show_their_zone_and_working_hours(qtbot: QtBot, shell: Shell) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    labels = list(wizard.details_page.members.labels().values())
    member = shell.window.app.members()[0]
    assert member.time_zone and member.working_hours
    assert labels[0] == (
        f"{member.name} <{member.email}>  ·  {member.time_zone}, {member.working_hours}"
    )


def test_duration_presets_and_a_custom_length(qtbot: QtBot, shell: Shell) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    duration = wizard.details_page.duration
    texts = [duration.presets.itemText(i) for i in range(duration.presets.count())]
    assert texts == ["15 min", "30 min", "45 min", "1 h", "1 h 30 min", "Custom..."]
    assert duration.value() == 30 and duration.custom.isHidden()
    duration.presets.setCurrentIndex(duration.presets.count() - 1)
    assert not duration.custom.isHidden()
    duration.custom.setValue(50)
    assert duration.value() == 50
    duration.setValue(90)
    assert duration.presets.currentText() == "1 h 30 min" and duration.custom.isHidden()


def test_escape_on_an_edited_wizard_asks_before_discarding(qtbot: QtBot, shell: Shell) -> None:
    app = shell.window.app
    wizard = shell.window.open_wizard()
    qtbot.keyClicks(wizard.participant_page.name, "Dana")
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    box = wizard.discard_box
    assert box is not None and box.isVisible() and wizard.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and wizard.participant_page.name.text() == "Dana"

    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    box = wizard.discard_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    drafts = app.drafts()
    assert len(drafts) == 1 and app.load_draft(drafts[0][0]).participant_name == "Dana"

    second = shell.window.open_wizard()
    qtbot.keyClicks(second.participant_page.email, "x@example.com")
    second.close()
    box = second.discard_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert not second.isVisible() and len(app.drafts()) == 1

    untouched = shell.window.open_wizard()
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert untouched.discard_box is None and not untouched.isVisible()


def test_the_draft_saved_notice_shows_in_the_wizard(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    notice = wizard.details_page.feedback
    assert notice.isVisible() and notice.text() == "The draft is saved on the Invitations page."
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.discard_box is None and not wizard.isVisible()
