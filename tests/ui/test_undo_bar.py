"""Cancel invitation waits a few seconds with Undo in the window; only then is it sent."""

from __future__ import annotations

import asyncio

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.jobs import CancelOffer
from inviteonce_desktop.core.invitation import InvitationStatus
from inviteonce_desktop.store.activity import Invitations
from inviteonce_desktop.store.outbox import Outbox
from inviteonce_desktop.ui.activity.invitations_page import InvitationsPage
from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.qt import QMessageBox, Qt, QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.undo_bar import UNDO_SECONDS
from inviteonce_desktop.ui.wizard.pages import PageId

from .wizard_driver import Wait, click, select_key, to_step_three


class Clock:
    """Monotonic seconds that move only when the test says."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def _pending_invitation(qtbot: QtBot, shell: Shell, wait: Wait) -> tuple[InvitationsPage, int]:
    """An invitation made in the wizard, selected in Activity → Invitations."""
    members = [m.id for m in shell.window.app.members() if m.id is not None]
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, members[:1])
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None and created.invitation.id is not None
    wizard.accept()
    shell.window.show_page(Page.ACTIVITY)
    page = shell.window.activity.invitations
    assert select_key(page.view, ("invitation", created.invitation.id))
    assert _status(shell.window.app, created.invitation.id) == "pending"
    return page, created.invitation.id


def _confirm_cancel(qtbot: QtBot, page: InvitationsPage) -> None:
    qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    box = page.cancel_box
    assert box is not None and box.isVisible()
    assert f"undo it for {UNDO_SECONDS} seconds" in box.informativeText()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def _cancel_offers(app: InviteOnce, invitation_id: int) -> list[object]:
    with app.workspace.session() as session:
        items = Outbox(session).of(invitation_id=invitation_id)
    return [item for item in items if item.kind == CancelOffer.kind]


def _status(app: InviteOnce, invitation_id: int) -> str:
    return app.invitation(invitation_id).status.value


def test_undo_keeps_the_invitation_and_sends_nothing(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window.app
    page, invitation_id = _pending_invitation(qtbot, shell, wait)
    clock = Clock()
    page.undo_bar.clock = clock
    _confirm_cancel(qtbot, page)
    bar = page.undo_bar
    assert bar.isVisible()
    assert "cancelled." in bar.text.text() and f"in {UNDO_SECONDS} s" in bar.text.text()
    assert not page.cancel.isEnabled()  # no second cancellation of the same one
    assert not page.edit.isEnabled()
    clock.seconds += UNDO_SECONDS - 1
    bar.tick()
    assert "in 1 s" in bar.text.text()
    assert _status(app, invitation_id) == "pending" and not _cancel_offers(app, invitation_id)

    qtbot.mouseClick(bar.undo, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    clock.seconds += 60
    bar.tick()
    assert _status(app, invitation_id) == "pending" and not _cancel_offers(app, invitation_id)
    assert page.cancel.isEnabled()


def test_without_undo_the_cancellation_goes_out_when_the_time_is_up(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window.app
    page, invitation_id = _pending_invitation(qtbot, shell, wait)
    clock = Clock()
    page.undo_bar.clock = clock
    infos: list[str] = []
    shell.bridge.info.connect(infos.append)
    _confirm_cancel(qtbot, page)
    assert _status(app, invitation_id) == "pending"
    clock.seconds += UNDO_SECONDS
    wait(lambda: _status(app, invitation_id) == "cancelled")  # at the bar's next tick
    assert not page.undo_bar.isVisible()
    assert len(_cancel_offers(app, invitation_id)) == 1
    wait(lambda: any("its link no longer works" in info for info in infos))


def test_quitting_makes_the_cancellation_that_waits(qtbot: QtBot, shell: Shell, wait: Wait) -> None:
    app = shell.window.app
    page, invitation_id = _pending_invitation(qtbot, shell, wait)
    page.undo_bar.clock = Clock()
    _confirm_cancel(qtbot, page)
    task = asyncio.ensure_future(shell.window.finish_pending())
    wait(task.done)
    assert _status(app, invitation_id) == "cancelled"
    assert not page.undo_bar.isVisible()


def test_an_invitation_that_changed_meanwhile_is_not_cancelled(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window.app
    page, invitation_id = _pending_invitation(qtbot, shell, wait)
    clock = Clock()
    page.undo_bar.clock = clock
    infos: list[str] = []
    shell.bridge.info.connect(infos.append)
    _confirm_cancel(qtbot, page)
    with app.workspace.session() as session:  # it expires during the seconds to undo
        invitations = Invitations(session)
        invitation = invitations.get(invitation_id)
        invitations.save(invitation.moved_to(InvitationStatus.EXPIRED), app.clock.now())
    clock.seconds += UNDO_SECONDS
    wait(lambda: any("is not cancelled" in info for info in infos))
    assert _status(app, invitation_id) == "expired"
    assert not _cancel_offers(app, invitation_id)


def test_a_second_cancellation_makes_the_first_at_once(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window.app
    page, first = _pending_invitation(qtbot, shell, wait)
    page.undo_bar.clock = Clock()
    infos: list[str] = []
    shell.bridge.info.connect(infos.append)
    _confirm_cancel(qtbot, page)
    page, second = _pending_invitation(qtbot, shell, wait)
    _confirm_cancel(qtbot, page)
    wait(lambda: any("its link no longer works" in info for info in infos))
    assert _status(app, first) == "cancelled"
    assert page.undo_bar.payload == second and _status(app, second) == "pending"
    qtbot.mouseClick(page.undo_bar.undo, Qt.MouseButton.LeftButton)
    assert _status(app, second) == "pending" and not _cancel_offers(app, second)
