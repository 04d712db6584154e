"""Settings → Mail sending: an SMTP server, or the connected calendar account, or nothing."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...application.mail_settings import ACCOUNT_KINDS, MailSettings
from ...core.errors import DomainError
from ..messages import MessageBridge
from ..qt import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QShowEvent,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Slot,
)
from ..widgets import heading, hint

SECURITY_LABELS = {"starttls": "STARTTLS", "tls": "TLS", "none": "None (local servers only)"}
NO_ACCOUNT_HINT = "Connect a Google, Microsoft 365 or Exchange calendar in Settings, Calendars."


class MailPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.smtp_mode = QRadioButton("Send &email through an SMTP server")
        self.account_mode = QRadioButton("Send through my connected calendar &account")
        self.no_mail = QRadioButton("&Don't send email")
        self.modes = QButtonGroup(self)
        for button in (self.smtp_mode, self.account_mode, self.no_mail):
            self.modes.addButton(button)
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
        self.account = QComboBox()
        self.account.setAccessibleName("Calendar account to send through")
        self.account_hint = hint(NO_ACCOUNT_HINT)
        self.account_note = hint("Mail goes out from the account's own address, with your name.")
        self.save = QPushButton("&Save mail settings")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Mail sending", 2))
        layout.addWidget(
            hint("Invitations and confirmations are sent from your address, one of these ways.")
        )
        layout.addLayout(self._smtp_form())
        layout.addLayout(self._account_form())
        layout.addWidget(self.no_mail)
        layout.addWidget(self.save)
        layout.addStretch(1)
        self._connect_signals()
        self.refresh()

    def _smtp_form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow(self.smtp_mode)
        form.addRow("&Host:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("Sec&urity:", self.security)
        form.addRow("User &name:", self.username)
        form.addRow("Pass&word:", self.password)
        return form

    def _account_form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow(self.account_mode)
        form.addRow("Account to send &through:", self.account)
        form.addRow(self.account_note)
        form.addRow(self.account_hint)
        return form

    def _connect_signals(self) -> None:
        self.modes.buttonToggled.connect(self.on_mode_toggled)
        self.save.clicked.connect(self.on_save_clicked)

    def refresh(self) -> None:
        settings = self._app.mail_settings()
        {"smtp": self.smtp_mode, "account": self.account_mode}.get(
            settings.mode, self.no_mail
        ).setChecked(True)
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.security.setCurrentIndex(max(self.security.findData(settings.security.value), 0))
        self.username.setText(settings.username)
        self.refresh_accounts(settings.account_id)
        self.on_mode_toggled()

    def refresh_accounts(self, selected: int | None = None) -> None:
        """The connected accounts that can send; keeps *selected* (or the current one) chosen."""
        if selected is None:
            selected = self.account.currentData()
        self.account.clear()
        for account in self._app.calendar_accounts():
            if account.kind in ACCOUNT_KINDS:
                address = account.settings.email or account.name
                self.account.addItem(f"{account.name} ({address})", account.id)
        self.account.setCurrentIndex(max(self.account.findData(selected), 0))
        self.account_hint.setVisible(self.account.count() == 0)
        self.on_mode_toggled()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self.refresh_accounts()
        super().showEvent(event)

    @Slot()
    def on_mode_toggled(self) -> None:
        smtp, through_account = self.smtp_mode.isChecked(), self.account_mode.isChecked()
        for widget in (self.host, self.port, self.security, self.username, self.password):
            widget.setEnabled(smtp)
        self.account.setEnabled(through_account and self.account.count() > 0)

    def _mode(self) -> str:
        if self.smtp_mode.isChecked():
            return "smtp"
        return "account" if self.account_mode.isChecked() else "none"

    @Slot()
    def on_save_clicked(self) -> None:
        mode = self._mode()
        account_id = self.account.currentData() if mode == "account" else None
        settings = MailSettings.from_json(
            {
                "mode": mode,
                "host": self.host.text().strip(),
                "port": self.port.value(),
                "security": self.security.currentData(),
                "username": self.username.text().strip(),
                "account_id": account_id,
            }
        )
        try:
            self._app.configure_mail(settings, self.password.text() or None)
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self.password.clear()
        self._bridge.show_info("The mail settings are saved.")
