"""Settings, Relay: pairing by code, starting at login; the tray says once that it keeps running."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.invitation import SendMode
from inviteonce_desktop.core.pairing import Pairing
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.ui.launch import preferences_for
from inviteonce_desktop.ui.qt import QEventLoop
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.state import WizardState

from .wizard_driver import Wait


def login_entry() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "inviteonce.desktop"


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[EmbeddedRelay]:
    relay = EmbeddedRelay(f"sqlite:///{tmp_path / 'standalone.sqlite3'}")
    relay.start()
    yield relay
    relay.stop()


def test_pasting_a_pairing_code_switches_to_that_relay(
    shell: Shell, relay: EmbeddedRelay, wait: Wait
) -> None:
    page = shell.window.settings.relay
    infos: list[str] = []
    shell.bridge.info.connect(infos.append)
    page.pairing.setText(Pairing(relay.base_url, relay.create_organizer("Olivia")).encode())
    page.pair.click()
    wait(lambda: page.standalone.isChecked())
    assert page.url.text() == relay.base_url and page.pairing.text() == ""
    assert infos[-1] == f"Paired: new links are served by the relay at {relay.base_url}."


def test_a_wrong_pairing_code_is_shown_and_changes_nothing(shell: Shell, wait: Wait) -> None:
    page = shell.window.settings.relay
    errors: list[str] = []
    shell.bridge.error.connect(errors.append)
    page.pairing.setText("iorelay1.not-a-code")
    page.pair.click()
    wait(lambda: errors)
    assert errors[0].startswith("The pairing code is incomplete or mistyped")
    assert page.embedded.isChecked() and page.pairing.text() == "iorelay1.not-a-code"


def test_the_start_at_login_box_writes_and_removes_the_login_item(shell: Shell) -> None:
    box = shell.window.settings.relay.autostart
    assert not box.isChecked()
    box.click()
    assert login_entry().is_file() and box.isChecked()
    box.click()
    assert not login_entry().exists() and not box.isChecked()


@pytest.fixture
def created(demo: InviteOnce) -> object:
    """An invitation sent from the demo, made before the Qt loop runs (see qloop)."""
    app = demo
    member = app.members()[0]
    assert member.id is not None
    state = WizardState(
        participant_name="First Customer",
        participant_email="first@example.com",
        subject="Discovery call",
        team_member_ids=[member.id],
        time_zone="Europe/Berlin",
        send_mode=SendMode.LINKS.value,
    )
    return asyncio.run(app.create_invitation(state.invitation()))


def test_the_first_invitation_turns_start_at_login_on_with_a_notice(
    qtbot: QtBot,
    demo: InviteOnce,
    created: object,
    qloop: QEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shell = Shell(demo, preferences_for(tmp_path), tray_available=True)
    qtbot.addWidget(shell.window)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(shell.tray, "notify", lambda title, text: told.append((title, text)))
    shell.window.on_invitation_created(created)
    assert login_entry().is_file()
    assert told == [
        (
            "InviteOnce now starts when you log in",
            "So bookings reach your calendar while the window is closed. "
            "Turn this off in Settings, Relay.",
        )
    ]
    shell.window.on_invitation_created(created)
    assert len(told) == 1
    shell.tray.quit.trigger()


def test_without_a_tray_start_at_login_stays_off_until_chosen(
    qtbot: QtBot, demo: InviteOnce, created: object, qloop: QEventLoop, tmp_path: Path
) -> None:
    shell = Shell(demo, preferences_for(tmp_path), tray_available=False)
    qtbot.addWidget(shell.window)
    shell.window.on_invitation_created(created)
    assert not login_entry().exists()


def test_the_demo_workspace_never_turns_start_at_login_on(
    qtbot: QtBot, demo: InviteOnce, created: object, qloop: QEventLoop, tmp_path: Path
) -> None:
    shell = Shell(demo, preferences_for(tmp_path), tray_available=True, demo=True)
    qtbot.addWidget(shell.window)
    shell.window.on_invitation_created(created)
    assert not login_entry().exists()
    shell.tray.quit.trigger()


def test_closing_to_the_tray_says_so_the_first_time_only(
    qtbot: QtBot,
    demo: InviteOnce,
    qloop: QEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shell = Shell(demo, preferences_for(tmp_path), tray_available=True)
    qtbot.addWidget(shell.window)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(shell.tray, "notify", lambda title, text: told.append((title, text)))
    for _ in range(2):
        shell.window.show()
        shell.window.close()
        assert not shell.window.isVisible() and not shell.finished.done()
    assert told == [
        (
            "InviteOnce is still running",
            "Bookings, emails and calendar updates keep going while the window is closed. "
            "Quit from the tray icon's menu.",
        )
    ]
    again = Shell(demo, preferences_for(tmp_path), tray_available=True)
    qtbot.addWidget(again.window)
    monkeypatch.setattr(again.tray, "notify", lambda title, text: told.append((title, text)))
    again.window.show()
    again.window.close()
    assert len(told) == 1
    shell.tray.quit.trigger()
    again.tray.quit.trigger()


def test_step_three_says_local_links_open_here_and_asks_before_emailing_them(
    qtbot: QtBot, shell: Shell, wait: Wait, mailbox: object
) -> None:
    from inviteonce_desktop.application.relay_host import LOCAL_LINKS_NOTICE
    from inviteonce_desktop.ui.qt import QWizard
    from inviteonce_desktop.ui.wizard.pages import PageId

    from .wizard_driver import click, fill_details, wait_for_count

    wizard = shell.window.open_wizard()
    qtbot.keyClicks(wizard.participant_page.name, "Erin Elsewhere")
    qtbot.keyClicks(wizard.participant_page.email, "erin@customer.test")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    member_ids = [m.id for m in shell.window.app.members() if m.id is not None]
    fill_details(qtbot, wizard, member_ids[:1])
    assert wait_for_count(wizard, wait) > 0
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.notifications_page
    assert page.by_email.isChecked()
    assert not page.relay_row.isHidden() and page.links_notice.text() == LOCAL_LINKS_NOTICE
    assert not page.local_ok.isHidden() and not page.local_ok.isChecked()

    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == PageId.NOTIFICATIONS
    assert "erin@customer.test could not open these links" in page.error.text()
    assert not mailbox.messages  # type: ignore[attr-defined]

    page.by_links.click()
    assert page.local_ok.isHidden() and not page.relay_row.isHidden()
    page.by_email.click()
    page.local_ok.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    wait(lambda: mailbox.messages)  # type: ignore[attr-defined]


def test_set_up_a_relay_opens_the_relay_settings_over_the_wizard(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    from .wizard_driver import to_step_three

    wizard = shell.window.open_wizard()
    member_ids = [m.id for m in shell.window.app.members() if m.id is not None]
    to_step_three(qtbot, wizard, wait, member_ids[:1])
    wizard.notifications_page.set_up_relay.click()
    dialog = wizard.relay_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.page.embedded.isChecked()
    dialog.reject()
    assert wizard.relay_dialog is None
