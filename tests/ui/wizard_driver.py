"""Driving the invitation wizard the way a person does: typing and clicking."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from pytestqt.qtbot import QtBot

from inviteonce_desktop.ui.models import KEY_ROLE
from inviteonce_desktop.ui.qt import Qt, QTableView, QWizard
from inviteonce_desktop.ui.wizard.pages import PageId
from inviteonce_desktop.ui.wizard.wizard import InvitationWizard

Wait = Callable[[Callable[[], Any]], None]


def select_key(view: QTableView, key: Hashable) -> bool:
    """Select the row of *key*, as a click on it does."""
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data(KEY_ROLE) == key:
            view.selectRow(row)
            return True
    return False


def click(qtbot: QtBot, wizard: InvitationWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill_participant(qtbot: QtBot, wizard: InvitationWizard) -> None:
    page = wizard.participant_page
    qtbot.keyClicks(page.name, "Dana Customer")
    qtbot.keyClicks(page.email, "dana@example.com")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PageId.DETAILS


def fill_details(qtbot: QtBot, wizard: InvitationWizard, member_ids: list[int]) -> None:
    page = wizard.details_page
    qtbot.keyClicks(page.subject, "Intro call")
    page.members.set_checked(member_ids)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PageId.TIME_FRAME


def wait_for_count(wizard: InvitationWizard, wait: Wait) -> int:
    counter = wizard.time_frame_page.counter
    wait(lambda: not counter.pending)
    assert counter.last is not None
    return counter.last.count


def to_step_three(
    qtbot: QtBot, wizard: InvitationWizard, wait: Wait, member_ids: list[int]
) -> None:
    fill_participant(qtbot, wizard)
    fill_details(qtbot, wizard, member_ids)
    assert wait_for_count(wizard, wait) > 0
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PageId.NOTIFICATIONS
