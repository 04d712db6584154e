"""The small form that connects a calendar account."""

from __future__ import annotations

from ...application.sign_ins import (
    CalDavSignIn,
    ExchangeSignIn,
    GoogleSignIn,
    MicrosoftSignIn,
    SignIn,
)
from ..qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
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
    "microsoft": [("client_id", "Application (client) &ID:", False)],
    "exchange": [
        ("email", "&Email address:", False),
        ("username", "User &name:", False),
        ("password", "&Password:", True),
        ("server", "&Server (optional):", False),
    ],
}
EXCHANGE_SIGN_INS = [("NTLM (Windows domain)", "ntlm"), ("Basic", "basic")]
BROWSER_NOTE = "Your browser opens to sign in; InviteOnce never sees your password."


class ConnectDialog(QDialog):
    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"connect-{kind}")
        self.setWindowTitle(f"Connect {KINDS[kind]}")
        self._edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, label, secret in FIELDS[kind]:
            edit = QLineEdit()
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self._edits[name] = edit
            form.addRow(label, edit)
        self.auth = QComboBox()
        self.auth.setAccessibleName("Sign-in method")
        for text, value in EXCHANGE_SIGN_INS:
            self.auth.addItem(text, value)
        if kind == "exchange":
            form.addRow("Sign-in &method:", self.auth)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Connect")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if kind in ("google", "microsoft"):
            layout.addWidget(QLabel(BROWSER_NOTE))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._kind = kind

    def _text(self, name: str) -> str:
        return self._edits[name].text().strip()

    def sign_in(self) -> SignIn:
        """What the form says, as the sign-in of its kind."""
        text = self._text
        if self._kind == "caldav":
            return CalDavSignIn(text("url"), text("username"), text("password"), text("email"))
        if self._kind == "google":
            return GoogleSignIn(text("client_secrets_file"))
        if self._kind == "microsoft":
            return MicrosoftSignIn(text("client_id"))
        return ExchangeSignIn(
            text("email"),
            text("username"),
            text("password"),
            text("server"),
            str(self.auth.currentData()),
        )
