"""The small form that connects (or reconnects) a calendar account.

With the organization's provisioning applied, the OAuth kinds need nothing
but the sign-in: the fields show what was provisioned and may stay empty.
"""

from __future__ import annotations

from ...application.provisioning import Provisioning
from ...application.sign_ins import (
    CalDavSignIn,
    ExchangeSignIn,
    GoogleSignIn,
    MicrosoftSignIn,
    SignIn,
)
from ..qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Slot,
)

KINDS = {
    "caldav": "CalDAV (Nextcloud, iCloud, Fastmail)",
    "google": "Google Calendar",
    "microsoft": "Microsoft 365",
    "exchange": "Exchange (EWS)",
}
FIELDS: dict[str, list[tuple[str, str, bool]]] = {
    "caldav": [
        ("url", "Server &URL:", False),
        ("username", "User &name:", False),
        ("password", "App &password:", True),
        ("email", "&Email address (optional):", False),
    ],
    "google": [("client_secrets_file", "OAuth client &ID file:", False)],
    "microsoft": [
        ("client_id", "Application (client) &ID:", False),
        ("tenant", "&Tenant (single-tenant apps):", False),
    ],
    "exchange": [
        ("email", "&Email address:", False),
        ("username", "User &name:", False),
        ("password", "&Password:", True),
        ("server", "&Server (optional):", False),
        ("client_id", "Application (client) &ID:", False),
        ("tenant", "&Tenant:", False),
    ],
}
AUTH_LABELS = {
    "ntlm": "NTLM (Windows domain)",
    "basic": "Basic (password)",
    "oauth": "OAuth (Microsoft sign-in)",
}
BROWSER_NOTE = "Your browser opens to sign in; InviteOnce never sees your password."
CODE_NOTE = "Sign in with a code on another device (no browser here)"
_PASSWORD_FIELDS = ("username", "password")
_OAUTH_FIELDS = ("client_id", "tenant")


class ConnectDialog(QDialog):
    def __init__(
        self,
        kind: str,
        parent: QWidget | None = None,
        provisioning: Provisioning | None = None,
        reconnecting: str = "",
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"connect-{kind}")
        verb = "Reconnect" if reconnecting else "Connect"
        self.setWindowTitle(f"{verb} {reconnecting or KINDS[kind]}")
        self._provisioned = provisioning or Provisioning()
        self._edits: dict[str, QLineEdit] = {}
        self._rows: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.auth = QComboBox()
        self.auth.setAccessibleName("Sign-in method")
        for value, label in AUTH_LABELS.items():
            self.auth.addItem(label, value)
        self.use_code = QCheckBox(CODE_NOTE)
        self.choose_file = QPushButton("C&hoose...")
        self.choose_file.setAccessibleName("Choose the OAuth client ID file")
        for name, label, secret in FIELDS[kind]:
            self._add_field(name, label, secret)
        if kind == "exchange":
            self.form.insertRow(1, "Sign-in &method:", self.auth)
        self._prefill()
        if reconnecting:
            for name, edit in self._edits.items():
                if name != "password":
                    self._hide_row(edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"&{verb}")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.note = QLabel(BROWSER_NOTE)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        if kind in ("microsoft", "exchange"):
            layout.addWidget(self.use_code)
        self.note.setVisible(kind in ("google", "microsoft"))
        layout.addWidget(buttons)
        self.auth.currentIndexChanged.connect(self.on_auth_changed)
        self.choose_file.clicked.connect(self.on_choose_file_clicked)
        self.on_auth_changed()

    def _add_field(self, name: str, label: str, secret: bool) -> None:
        edit = QLineEdit()
        edit.setAccessibleName(label.replace("&", "").rstrip(":"))
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._edits[name] = edit
        if name == "client_secrets_file":
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(self.choose_file)
            self.form.addRow(label, row)
        else:
            self.form.addRow(label, edit)

    def _prefill(self) -> None:
        """Show what the organization provisioned; empty fields mean "use that"."""
        p = self._provisioned
        hints = {
            ("google", "client_secrets_file"): "your organization's client"
            if p.google_client_id
            else "client_secret_….json from the Google Cloud console",
            ("microsoft", "client_id"): p.microsoft_client_id,
            ("microsoft", "tenant"): p.microsoft_tenant or "any organization",
            ("exchange", "server"): p.exchange_server or "found by autodiscover",
            ("exchange", "client_id"): p.exchange_client_id or p.microsoft_client_id,
            ("exchange", "tenant"): p.exchange_tenant or p.microsoft_tenant,
        }
        for (kind, name), hint in hints.items():
            if kind == self.kind and hint:
                self._edits[name].setPlaceholderText(hint)
        if self.kind == "exchange" and p.exchange_auth:
            self.auth.setCurrentIndex(max(self.auth.findData(p.exchange_auth), 0))

    def _hide_row(self, field: QWidget) -> None:
        field.setVisible(False)
        label = self.form.labelForField(field)
        if label is not None:
            label.setVisible(False)
        if field is self._edits.get("client_secrets_file"):
            self.choose_file.setVisible(False)

    def edit(self, name: str) -> QLineEdit:
        return self._edits[name]

    @Slot()
    def on_auth_changed(self) -> None:
        if self.kind != "exchange":
            return
        oauth = self.auth.currentData() == "oauth"
        for name in _PASSWORD_FIELDS + _OAUTH_FIELDS:
            shown = (name in _OAUTH_FIELDS) == oauth
            self._edits[name].setVisible(shown)
            label = self.form.labelForField(self._edits[name])
            if label is not None:
                label.setVisible(shown)
        self.use_code.setVisible(oauth)
        self.note.setVisible(oauth)

    @Slot()
    def on_choose_file_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Google OAuth client ID file", "", "Client ID file (*.json)"
        )
        if path:
            self._edits["client_secrets_file"].setText(path)

    def values(self) -> dict[str, str]:
        """The fields the user filled in, by the connect call's argument names."""
        values = {name: edit.text().strip() for name, edit in self._edits.items() if edit.text()}
        if self.kind == "exchange":
            values["auth"] = str(self.auth.currentData())
            hidden = _PASSWORD_FIELDS if values["auth"] == "oauth" else _OAUTH_FIELDS
            for name in hidden:
                values.pop(name, None)
        return values

    def sign_in(self) -> SignIn:
        """What the form says, as the sign-in of its kind; empty fields use the provisioned."""
        values = self.values()
        text = values.get
        if self.kind == "caldav":
            return CalDavSignIn(
                text("url", ""), text("username", ""), text("password", ""), text("email", "")
            )
        if self.kind == "google":
            return GoogleSignIn(text("client_secrets_file", ""))
        if self.kind == "microsoft":
            return MicrosoftSignIn(
                text("client_id", ""), device_code=self.device_code, tenant=text("tenant", "")
            )
        return ExchangeSignIn(
            text("email", ""),
            text("username", ""),
            text("password", ""),
            text("server", ""),
            text("auth", ""),
            client_id=text("client_id", ""),
            tenant=text("tenant", ""),
            device_code=self.device_code,
        )

    def password(self) -> str:
        """The password typed to reconnect a password account."""
        return self._edits["password"].text() if "password" in self._edits else ""

    @property
    def device_code(self) -> bool:
        """Whether the user asked for the device-code sign-in instead of a browser."""
        oauth = self.kind == "microsoft" or (
            self.kind == "exchange" and self.auth.currentData() == "oauth"
        )
        return oauth and self.use_code.isChecked()
