"""Settings → Mail sending: the SMTP server invitations go out through."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...application.mail_settings import MailSettings
from ...core.errors import DomainError
from ..messages import MessageBridge
from ..qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Slot,
)
from ..widgets import heading, hint

SECURITY_LABELS = {"starttls": "STARTTLS", "tls": "TLS", "none": "None (local servers only)"}


class MailPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.enabled = QCheckBox("Send &email through an SMTP server")
        self.host = QLineEdit()
        self.host.setAccessibleName("Mail server host")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setAccessibleName("Mail server port")
        self.security = QComboBox()
        self.security.setAccessibleName("Connection security")
        for value, label in SECURITY_LABELS.items():
            self.security.addItem(label, value)
        self.username = QLineEdit()
        self.username.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText("kept in your system's keyring")
        self.save = QPushButton("&Save mail settings")
        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow("&Host:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("Sec&urity:", self.security)
        form.addRow("User &name:", self.username)
        form.addRow("Pass&word:", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Mail sending", 2))
        layout.addWidget(
            hint("Invitations and confirmations are sent from your address through this server.")
        )
        layout.addLayout(form)
        layout.addWidget(self.save)
        layout.addStretch(1)
        self.enabled.toggled.connect(self.on_enabled_toggled)
        self.save.clicked.connect(self.on_save_clicked)
        self.refresh()

    def refresh(self) -> None:
        settings = self._app.mail.settings()
        self.enabled.setChecked(settings.mode == "smtp")
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.security.setCurrentIndex(max(self.security.findData(settings.security.value), 0))
        self.username.setText(settings.username)
        self.on_enabled_toggled(settings.mode == "smtp")

    @Slot(bool)
    def on_enabled_toggled(self, on: bool) -> None:
        for widget in (self.host, self.port, self.security, self.username, self.password):
            widget.setEnabled(on)

    @Slot()
    def on_save_clicked(self) -> None:
        settings = MailSettings.from_json(
            {
                "mode": "smtp" if self.enabled.isChecked() else "none",
                "host": self.host.text().strip(),
                "port": self.port.value(),
                "security": self.security.currentData(),
                "username": self.username.text().strip(),
            }
        )
        try:
            self._app.mail.configure(settings, self.password.text() or None)
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self.password.clear()
        self._bridge.show_info("The mail settings are saved.")
