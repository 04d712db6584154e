"""How the organizer's mail goes out: settings in the store, the password in the keyring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.errors import ValidationError
from ..services.credentials import CredentialStore
from ..services.mail import (
    SENDING_KINDS,
    ImapSentFolder,
    ImapSettings,
    MailTransport,
    NoTransport,
    Security,
    SmtpSettings,
    SmtpTransport,
)
from ..store.settings import Settings
from ..store.workspace import Workspace

MAIL_SETTINGS = "mail"
_ACCOUNT = "mail"
_PASSWORD = "smtp-password"
SECRET_KEYS = ((_ACCOUNT, _PASSWORD),)
"""The keyring entries mail sending owns (to move them to another store)."""
MODES = ("smtp", "account", "none")

AccountTransport = Callable[[int], MailTransport]
"""The transport that sends as a connected calendar account's user, by account id."""

ACCOUNT_KINDS = SENDING_KINDS
"""Kinds of connected calendar account mail can be sent through."""


@dataclass(frozen=True, slots=True)
class MailSettings:
    """``mode`` is "smtp", "account" (the connected calendar account ``account_id``) or "none"."""

    mode: str = "none"
    host: str = ""
    port: int = 587
    security: Security = Security.STARTTLS
    username: str = ""
    account_id: int | None = None
    sent_host: str = ""
    """SMTP only: the IMAP server whose Sent folder is searched after an unanswered send."""
    sent_port: int = 993
    sent_security: Security = Security.TLS
    sent_folder: str = "Sent"

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "host": self.host,
            "port": self.port,
            "security": self.security.value,
            "username": self.username,
            "account_id": self.account_id,
            "sent_host": self.sent_host,
            "sent_port": self.sent_port,
            "sent_security": self.sent_security.value,
            "sent_folder": self.sent_folder,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> MailSettings:
        if not data:
            return cls()
        return cls(
            data.get("mode", "none"),
            data.get("host", ""),
            int(data.get("port", 587)),
            Security(data.get("security", "starttls")),
            data.get("username", ""),
            int(data["account_id"]) if data.get("account_id") is not None else None,
            data.get("sent_host", ""),
            int(data.get("sent_port", 993)),
            Security(data.get("sent_security", "tls")),
            data.get("sent_folder") or "Sent",
        )


class MailService:
    def __init__(
        self,
        workspace: Workspace,
        credentials: CredentialStore,
        account_transport: AccountTransport | None = None,
    ) -> None:
        self._workspace = workspace
        self._credentials = credentials
        self._account_transport = account_transport

    def settings(self) -> MailSettings:
        with self._workspace.session() as session:
            return MailSettings.from_json(Settings(session).get(MAIL_SETTINGS))

    def configure(self, settings: MailSettings, password: str | None = None) -> None:
        if settings.mode not in MODES:
            raise ValidationError(f"'{settings.mode}' is not a way of sending mail.")
        if settings.mode == "account" and settings.account_id is None:
            raise ValidationError("Choose the connected calendar account to send through.")
        if settings.mode == "smtp":
            if not settings.host.strip():
                raise ValidationError("Enter the mail server's host name.")
            if not 0 < settings.port < 65536:
                raise ValidationError("The mail server's port must be between 1 and 65535.")
            if settings.sent_host and not 0 < settings.sent_port < 65536:
                raise ValidationError("The IMAP server's port must be between 1 and 65535.")
        if password:
            self._credentials.set(_ACCOUNT, _PASSWORD, password)
        with self._workspace.session() as session:
            Settings(session).put(MAIL_SETTINGS, settings.to_json())

    def transport(self) -> MailTransport:
        settings = self.settings()
        if settings.mode == "account" and settings.account_id is not None:
            return self._through_account(settings.account_id)
        if settings.mode != "smtp":
            return NoTransport()
        password = self._credentials.get(_ACCOUNT, _PASSWORD) if settings.username else None
        sent = None
        if settings.sent_host:
            imap = ImapSettings(
                settings.sent_host,
                settings.sent_port,
                settings.sent_security,
                settings.username,
                settings.sent_folder,
            )
            sent = ImapSentFolder(imap, password)
        return SmtpTransport(
            SmtpSettings(settings.host, settings.port, settings.security, settings.username),
            password,
            sent,
        )

    def _through_account(self, account_id: int) -> MailTransport:
        if self._account_transport is None:
            return NoTransport()
        return self._account_transport(account_id)
