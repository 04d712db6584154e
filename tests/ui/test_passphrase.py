"""The encrypted secrets file in the window: its passphrase asked at start, chosen in Settings."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.ui.launch import SECRETS_CLOSED, load_workspace, preferences_for
from inviteonce_desktop.ui.main_window import MainWindow
from inviteonce_desktop.ui.messages import MessageBridge
from inviteonce_desktop.ui.passphrase import NewPassphraseDialog, PassphraseDialog
from inviteonce_desktop.ui.qt import QApplication, QEventLoop, QWidget
from inviteonce_desktop.ui.shell import Shell

from .wizard_driver import Wait

PASSPHRASE = "a long passphrase, 2026"


def workspace_with_secrets_file(home: Path) -> None:
    earlier = InviteOnce.open(home)
    try:
        earlier.keep_secrets_in_file(PASSPHRASE)
        earlier.credentials.set(4, "token", "refresh-xyz")
    finally:
        earlier.close()


def frame(qtbot: QtBot, home: Path) -> MainWindow:
    window = MainWindow(MessageBridge(), preferences_for(home))
    qtbot.addWidget(window)
    window.show()
    return window


def dialog_of(kind: type[QWidget]) -> QWidget | None:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return shown[0] if shown else None


def test_the_window_asks_the_passphrase_until_it_opens_the_file(
    qtbot: QtBot, qloop: QEventLoop, tmp_path: Path, wait: Wait
) -> None:
    home = tmp_path / "locked"
    workspace_with_secrets_file(home)
    window = frame(qtbot, home)

    loading = asyncio.ensure_future(load_workspace(window, home, tray_available=False))
    wait(lambda: dialog_of(PassphraseDialog))
    dialog = dialog_of(PassphraseDialog)
    assert isinstance(dialog, PassphraseDialog)
    assert str(home / "secrets.enc") in dialog.explanation.text()
    dialog.passphrase.setText("not the passphrase")
    dialog.open_button.click()
    wait(dialog.error.isVisible)
    assert dialog.error.text() == (
        f"The passphrase does not open the secrets file {home / 'secrets.enc'}."
    )
    assert not loading.done()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.open_button.click()
    wait(loading.done)

    shell = loading.result()
    assert isinstance(shell, Shell)
    try:
        assert not shell.window.app.secrets_locked()
        assert shell.window.app.credentials.get(4, "token") == "refresh-xyz"
    finally:
        shell.window.app.close()


def test_quitting_at_the_passphrase_closes_the_window_with_a_sentence(
    qtbot: QtBot, qloop: QEventLoop, tmp_path: Path, wait: Wait
) -> None:
    home = tmp_path / "locked"
    workspace_with_secrets_file(home)
    window = frame(qtbot, home)

    loading = asyncio.ensure_future(load_workspace(window, home, tray_available=False))
    wait(lambda: dialog_of(PassphraseDialog))
    dialog = dialog_of(PassphraseDialog)
    assert isinstance(dialog, PassphraseDialog)
    dialog.reject()
    wait(loading.done)

    assert loading.result() is None
    assert window.banner.text.text() == SECRETS_CLOSED
    assert not window.isVisible()


def test_settings_keep_the_secrets_in_an_encrypted_file(shell: Shell, wait: Wait) -> None:
    box = shell.window.settings.profile.secrets
    assert box.where.text() == "Kept in the system keyring."
    box.to_file.click()
    wait(lambda: dialog_of(NewPassphraseDialog))
    dialog = dialog_of(NewPassphraseDialog)
    assert isinstance(dialog, NewPassphraseDialog)

    dialog.passphrase.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE + "!")
    dialog.on_ok_clicked()
    wait(dialog.error.isVisible)
    assert dialog.error.text() == "The two passphrases differ."
    dialog.again.setText(PASSPHRASE)
    dialog.on_ok_clicked()
    wait(lambda: not dialog.isVisible())

    assert shell.window.app.secrets_in_file()
    assert box.where.text() == f"Kept in the encrypted file {shell.window.app.secrets_file()}."
    assert box.to_keyring.isVisibleTo(box) and not box.to_file.isVisibleTo(box)
    shell.window.app.credentials.set(9, "password", "hunter2-ews")
    assert b"hunter2-ews" not in shell.window.app.secrets_file().read_bytes()
