"""Settings → Profile, "Sign-ins and passwords": the system keyring or an encrypted file."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...core.errors import DomainError
from ..messages import MessageBridge
from ..passphrase import NewPassphraseDialog
from ..qt import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget, Slot


class SecretsBox(QGroupBox):
    def __init__(
        self, app: InviteOnce, bridge: MessageBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__("Sign-ins and passwords", parent)
        self._app = app
        self._bridge = bridge
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.to_file = QPushButton("Keep them in an en&crypted file...")
        self.to_file.setToolTip(
            "For a computer with no system keyring: a file encrypted with a passphrase that "
            "InviteOnce asks when it starts."
        )
        self.to_keyring = QPushButton("Move them to the system &keyring")
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.to_file)
        layout.addWidget(self.to_keyring)
        self.to_file.clicked.connect(self.on_to_file_clicked)
        self.to_keyring.clicked.connect(self.on_to_keyring_clicked)
        self.refresh()

    def refresh(self) -> None:
        in_file = self._app.secrets_in_file()
        if in_file:
            self.where.setText(f"Kept in the encrypted file {self._app.secrets_file()}.")
        else:
            self.where.setText("Kept in the system keyring.")
        self.to_file.setVisible(not in_file)
        self.to_keyring.setVisible(in_file)

    @Slot()
    def on_to_file_clicked(self) -> None:
        self.dialog = NewPassphraseDialog(self._app, self)
        self.dialog.accepted.connect(self.on_file_chosen)
        self.dialog.open()

    @Slot()
    def on_file_chosen(self) -> None:
        self.refresh()
        self._bridge.show_info("Sign-ins and passwords are kept in the encrypted file now.")

    @Slot()
    def on_to_keyring_clicked(self) -> None:
        try:
            moved = self._app.keep_secrets_in_keyring()
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self.refresh()
        self._bridge.show_info(f"Sign-ins and passwords are in the system keyring ({moved} moved).")
