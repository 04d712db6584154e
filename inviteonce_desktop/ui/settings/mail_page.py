"""Settings → Mail sending: an SMTP server, or the connected calendar account, or nothing."""

from __future__ import annotations

from ...application.errors import user_message
from ...application.facade import InviteOnce
from ...application.mail_settings import ACCOUNT_KINDS, MailSettings
from ...core.errors import DomainError, ValidationError
from ..field_message import FieldMessage, check_field
from ..messages import MessageBridge
from ..qt import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QShowEvent,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
    asyncSlot,
)
from ..widgets import heading, hint

SECURITY_LABELS = {"starttls": "STARTTLS", "tls": "TLS", "none": "None (local servers only)"}
NO_ACCOUNT_HINT = "Connect a Google, Microsoft 365 or Exchange calendar in Settings, Calendars."


class MailPage(QWidget):
    saved = Signal()

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
        self.sent_host = QLineEdit()
        self.sent_host.setAccessibleName("IMAP server of the Sent folder")
        self.sent_host.setPlaceholderText("optional, e.g. imap.gmail.com")
        self.sent_port = QSpinBox()
        self.sent_port.setRange(1, 65535)
        self.sent_port.setAccessibleName("IMAP port")
        self.sent_security = QComboBox()
        self.sent_security.setAccessibleName("IMAP connection security")
        for value, label in SECURITY_LABELS.items():
            self.sent_security.addItem(label, value)
        self.sent_folder = QLineEdit()
        self.sent_folder.setAccessibleName("Sent folder")
        self.give_up = QSpinBox()
        self.give_up.setRange(1, 24 * 30)
        self.give_up.setSuffix(" h")
        self.give_up.setAccessibleName("Keep retrying for")
        self.sent_wait = QSpinBox()
        self.sent_wait.setRange(0, 60)
        self.sent_wait.setSuffix(" min")
        self.sent_wait.setAccessibleName("Wait for the Sent folder for")
        self.sent_wait.setToolTip(
            "Microsoft 365 and others file a sent copy a little after the send: a send that "
            "got no answer is repeated only when the Sent folder still lacks it after this."
        )
        self.account = QComboBox()
        self.account.setAccessibleName("Calendar account to send through")
        self.account_hint = hint(NO_ACCOUNT_HINT)
        self.account_note = hint("Mail goes out from the account's own address, with your name.")
        self.save = QPushButton("&Save mail settings")
        self.test = QPushButton("Send a test emai&l")
        self.test.setToolTip("Saves these settings, then sends a short email to your own address.")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Mail sending result")
        self.host_message = FieldMessage(self.host)
        self.account_message = FieldMessage(self.account)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Mail sending", 2))
        layout.addWidget(
            hint("Invitations and confirmations are sent from your address, one of these ways.")
        )
        layout.addLayout(self._smtp_form())
        layout.addLayout(self._account_form())
        layout.addWidget(self.no_mail)
        retry = QFormLayout()
        retry.addRow("Keep retrying an email the server puts off for:", self.give_up)
        retry.addRow("Wait for the Sent folder before resending:", self.sent_wait)
        layout.addLayout(retry)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.test)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self._connect_signals()
        self.refresh()

    def _smtp_form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow(self.smtp_mode)
        form.addRow("Host na&me:", self.host_message)
        form.addRow("P&ort:", self.port)
        form.addRow("Sec&urity:", self.security)
        form.addRow("User &name:", self.username)
        form.addRow("Pass&word:", self.password)
        form.addRow(
            hint(
                "If the server keeps what it sends in your Sent folder (Gmail, Microsoft 365), "
                "InviteOnce looks there before resending an email whose sending got no answer."
            )
        )
        form.addRow("Sent folder on IMAP se&rver:", self.sent_host)
        form.addRow("IMAP port:", self.sent_port)
        form.addRow("IMAP security:", self.sent_security)
        form.addRow("&IMAP Sent folder:", self.sent_folder)
        return form

    def _account_form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow(self.account_mode)
        form.addRow("Account to send &through:", self.account_message)
        form.addRow(self.account_note)
        form.addRow(self.account_hint)
        return form

    def _connect_signals(self) -> None:
        self.modes.buttonToggled.connect(self.on_mode_toggled)
        self.save.clicked.connect(self.on_save_clicked)
        self.test.clicked.connect(self.on_test_clicked)
        self.host.textChanged.connect(self.on_host_edited)

    def refresh(self) -> None:
        settings = self._app.mail_settings()
        {"smtp": self.smtp_mode, "account": self.account_mode}.get(
            settings.mode, self.no_mail
        ).setChecked(True)
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.security.setCurrentIndex(max(self.security.findData(settings.security.value), 0))
        self.username.setText(settings.username)
        self.sent_host.setText(settings.sent_host)
        self.sent_port.setValue(settings.sent_port)
        self.sent_security.setCurrentIndex(
            max(self.sent_security.findData(settings.sent_security.value), 0)
        )
        self.sent_folder.setText(settings.sent_folder)
        self.give_up.setValue(round(self._app.give_up_hours()))
        self.sent_wait.setValue(round(self._app.sent_settle_minutes()))
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
        smtp_fields = (self.host, self.port, self.security, self.username, self.password)
        sent_fields = (self.sent_host, self.sent_port, self.sent_security, self.sent_folder)
        for widget in (*smtp_fields, *sent_fields):
            widget.setEnabled(smtp)
        self.account.setEnabled(through_account and self.account.count() > 0)
        self.test.setEnabled(smtp or through_account)
        if not smtp:
            self.host_message.clear()
        if not through_account:
            self.account_message.clear()

    @Slot()
    def on_host_edited(self) -> None:
        if self.host_message.text:
            check_field(self.host_message, self._check_host)

    def _check_host(self) -> None:
        if self.smtp_mode.isChecked() and not self.host.text().strip():
            raise ValidationError("Enter the mail server's host name.")

    def _check_account(self) -> None:
        if self.account_mode.isChecked() and self.account.currentData() is None:
            raise ValidationError("Choose the connected calendar account to send through.")

    def _mode(self) -> str:
        if self.smtp_mode.isChecked():
            return "smtp"
        return "account" if self.account_mode.isChecked() else "none"

    @Slot()
    def on_save_clicked(self) -> None:
        if self.save_settings():
            self._bridge.show_info("The mail settings are saved.")
            self.result.setText("The mail settings are saved.")
            self.saved.emit()

    def save_settings(self) -> bool:
        """Save what the page shows; a wrong field gets its message beside it."""
        host_ok = check_field(self.host_message, self._check_host)
        account_ok = check_field(self.account_message, self._check_account)
        if not (host_ok and account_ok):
            self.result.clear()
            return False
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
                "sent_host": self.sent_host.text().strip() if mode == "smtp" else "",
                "sent_port": self.sent_port.value(),
                "sent_security": self.sent_security.currentData(),
                "sent_folder": self.sent_folder.text().strip(),
            }
        )
        try:
            self._app.configure_mail(settings, self.password.text() or None)
            self._app.set_give_up_hours(self.give_up.value())
            self._app.set_sent_settle_minutes(self.sent_wait.value())
        except DomainError as error:
            self.result.setText(str(error))
            return False
        self.password.clear()
        return True

    @asyncSlot()
    async def on_test_clicked(self) -> None:
        if not self.save_settings():
            return
        self.result.setText("Sending a test email...")
        with self._bridge.operation(self.test, self.save):
            try:
                address = await self._app.send_test_email()
            except Exception as error:
                text = user_message(error)
                if text is None:
                    raise
                self.result.setText(f"The test email could not be sent: {text}")
                return
            self.result.setText(f"A test email is sent to {address}; look in your inbox.")
