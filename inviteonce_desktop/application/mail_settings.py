"""How the organizer's mail goes out: settings in the store, the password in the keyring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import ValidationError
from ..services.credentials import CredentialStore
from ..services.mail import MailTransport, NoTransport, Security, SmtpSettings, SmtpTransport
from ..store.settings import Settings
from ..store.workspace import Workspace

MAIL_SETTINGS = "mail"
_ACCOUNT = "mail"
_PASSWORD = "smtp-password"


@dataclass(frozen=True, slots=True)
class MailSettings:
    """``mode`` is "smtp" or "none"."""

    mode: str = "none"
    host: str = ""
    port: int = 587
    security: Security = Security.STARTTLS
    username: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "host": self.host,
            "port": self.port,
            "security": self.security.value,
            "username": self.username,
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
        )


class MailService:
    def __init__(self, workspace: Workspace, credentials: CredentialStore) -> None:
        self._workspace = workspace
        self._credentials = credentials

    def settings(self) -> MailSettings:
        with self._workspace.session() as session:
            return MailSettings.from_json(Settings(session).get(MAIL_SETTINGS))

    def configure(self, settings: MailSettings, password: str | None = None) -> None:
        if settings.mode == "smtp":
            if not settings.host.strip():
                raise ValidationError("Enter the mail server's host name.")
            if not 0 < settings.port < 65536:
                raise ValidationError("The mail server's port must be between 1 and 65535.")
        if password:
            self._credentials.set(_ACCOUNT, _PASSWORD, password)
        with self._workspace.session() as session:
            Settings(session).put(MAIL_SETTINGS, settings.to_json())

    def transport(self) -> MailTransport:
        settings = self.settings()
        if settings.mode != "smtp":
            return NoTransport()
        password = self._credentials.get(_ACCOUNT, _PASSWORD) if settings.username else None
        return SmtpTransport(
            SmtpSettings(settings.host, settings.port, settings.security, settings.username),
            password,
        )
