"""Settings → Relay: embedded on this computer, or a standalone relay at a URL."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...application.relay_host import RelaySettings
from ...core.errors import DomainError
from ..messages import MessageBridge
from ..qt import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    Slot,
)
from ..widgets import heading, hint


class RelayPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.embedded = QRadioButton("&Embedded: run the relay on this computer")
        self.standalone = QRadioButton("&Standalone relay at this URL:")
        group = QButtonGroup(self)
        group.addButton(self.embedded)
        group.addButton(self.standalone)
        self.url = QLineEdit()
        self.url.setAccessibleName("Relay URL")
        self.url.setPlaceholderText("https://book.example.com")
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("Organizer key")
        self.key.setPlaceholderText(
            "printed by: inviteonce-relay organizers add (kept in the keyring)"
        )
        self.status = QLabel()
        self.status.setAccessibleName("Relay status")
        self.status.setWordWrap(True)
        self.save = QPushButton("Save rela&y settings")
        form = QFormLayout()
        form.addRow(self.embedded)
        form.addRow(self.standalone)
        form.addRow("&URL:", self.url)
        form.addRow("Organizer &key:", self.key)
        form.addRow("Status:", self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Relay", 2))
        layout.addWidget(
            hint(
                "The relay serves the booking links. The embedded relay suits trying things out "
                "on this computer; for customers on the internet, run a standalone relay."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.save)
        layout.addStretch(1)
        self.standalone.toggled.connect(self.on_mode_toggled)
        self.save.clicked.connect(self.on_save_clicked)
        self.refresh()

    def refresh(self) -> None:
        settings = self._app.relay.settings()
        self.embedded.setChecked(settings.embedded)
        self.standalone.setChecked(not settings.embedded)
        self.url.setText(settings.url or "")
        self.on_mode_toggled(not settings.embedded)
        self.status.setText(self._app.relay.status())

    @Slot(bool)
    def on_mode_toggled(self, standalone: bool) -> None:
        self.url.setEnabled(standalone)
        self.key.setEnabled(standalone)

    @Slot()
    def on_save_clicked(self) -> None:
        current = self._app.relay.settings()
        if self.embedded.isChecked():
            settings = RelaySettings(True, None, current.port)
        else:
            settings = RelaySettings(False, self.url.text().strip() or None, current.port)
        try:
            self._app.relay.configure(settings, self.key.text().strip() or None)
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self.key.clear()
        self._bridge.show_info("The relay settings are saved; they apply to new invitations.")
        self.refresh()
