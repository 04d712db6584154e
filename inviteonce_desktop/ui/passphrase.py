"""The passphrase of the encrypted secrets file: asked at start, and chosen in Settings."""

from __future__ import annotations

import asyncio

from ..application.facade import InviteOnce
from ..core.errors import DomainError
from .qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    asyncSlot,
)


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class PassphraseDialog(QDialog):
    """Opens the secrets file at start; a wrong passphrase is said here, and may be typed again."""

    def __init__(self, app: InviteOnce, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.setWindowTitle("Open your secrets file")
        self.explanation = QLabel(
            f"InviteOnce keeps your sign-ins and passwords in the encrypted file "
            f"{app.secrets_file()}. Enter its passphrase to open it."
        )
        self.explanation.setWordWrap(True)
        self.passphrase = _password_field("Passphrase of the secrets file")
        self.error = _error_label()
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.on_open_clicked)
        self.buttons.rejected.connect(self.reject)

    @asyncSlot()
    async def on_open_clicked(self) -> None:
        self.open_button.setEnabled(False)
        try:
            await asyncio.to_thread(self._app.unlock_secrets, self.passphrase.text())
        except DomainError as refused:
            self.error.setText(str(refused))
            self.error.show()
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        finally:
            self.open_button.setEnabled(True)
        self.accept()


async def ask_passphrase(app: InviteOnce, parent: QWidget | None = None) -> bool:
    """Asks until the file opens; False when the organizer chose to quit instead."""
    dialog = PassphraseDialog(app, parent)
    finished: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_finished(code: int) -> None:
        if not finished.done():
            finished.set_result(code)

    dialog.finished.connect(on_finished)
    dialog.open()
    try:
        return await finished == QDialog.DialogCode.Accepted.value
    finally:
        dialog.deleteLater()


class NewPassphraseDialog(QDialog):
    """Chooses the passphrase of a new secrets file: typed twice, never shown."""

    def __init__(self, app: InviteOnce, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.setWindowTitle("Keep secrets in an encrypted file")
        text = QLabel(
            f"Your sign-ins and passwords go to {app.secrets_file()}, encrypted "
            "with this passphrase. InviteOnce asks it each time it starts; it cannot be "
            "recovered if you forget it."
        )
        text.setWordWrap(True)
        self.passphrase = _password_field("New passphrase")
        self.again = _password_field("The same passphrase again")
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("&Again:", self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.on_ok_clicked)
        self.buttons.rejected.connect(self.reject)

    @asyncSlot()
    async def on_ok_clicked(self) -> None:
        if self.passphrase.text() != self.again.text():
            self._say("The two passphrases differ.")
            return
        try:
            await asyncio.to_thread(self._app.keep_secrets_in_file, self.passphrase.text())
        except DomainError as refused:
            self._say(str(refused))
            return
        self.accept()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
