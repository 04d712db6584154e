"""The organization provisioning file: what an admin sets up once for every organizer.

One TOML file, handed out or placed in the platform's configuration folder
(``provisioning.toml`` in the folder ``inviteonce config-dir`` names), or
named by ``INVITEONCE_PROVISIONING``:

    [google]                  # the organization's Desktop OAuth client
    client_id = "1234-abc.apps.googleusercontent.com"
    client_secret = "GOCSPX-..."

    [microsoft]               # the Entra public client
    client_id = "00000000-0000-0000-0000-000000000000"
    tenant = "contoso.onmicrosoft.com"    # or a tenant id, "organizations", "common"

    [exchange]
    server = "https://mail.contoso.com/EWS/Exchange.asmx"
    auth = "ntlm"             # ntlm, basic or oauth (oauth signs in with [microsoft])
    autodiscover = "https://autodiscover.contoso.com/autodiscover/autodiscover.svc"
                              # where autodiscover answers, when the mail domain does not say

    [relay]
    url = "https://book.contoso.com"
    organizer_key = "..."

    [mail]
    mode = "account"          # account (the connected calendar), smtp or none
    host = "smtp.contoso.com" # smtp only, with port and security

Applying it keeps the non-secret part in the workspace and the secrets (the
Google client secret, the organizer key) in the keyring; connecting a
calendar then needs nothing but the user's own sign-in.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ValidationError
from ..services.credentials import CredentialStore
from ..services.mail import SENDING_KINDS, Security
from ..store.accounts import CalendarAccount
from ..store.settings import Settings
from ..store.workspace import Workspace
from .mail_settings import MailService, MailSettings
from .relay_host import RelayHost, RelaySettings

PROVISIONING = "provisioning"
FILE_NAME = "provisioning.toml"
ENVIRONMENT = "INVITEONCE_PROVISIONING"
_SECRETS_ACCOUNT = "provisioning"
_GOOGLE_SECRET = "google_client_secret"
SECRET_KEYS = ((_SECRETS_ACCOUNT, _GOOGLE_SECRET),)
"""The keyring entries the provisioning owns (to move them to another store)."""
GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
MICROSOFT_LOGIN = "https://login.microsoftonline.com"
DEFAULT_AUTHORITY_URL = f"{MICROSOFT_LOGIN}/organizations"
"""Any work or school account: multi-tenant applications."""
_AUTHS = ("ntlm", "basic", "oauth")
_MAIL_MODES = ("account", "smtp", "none")
_KEYS: dict[str, tuple[str, ...]] = {
    "google": ("client_id", "client_secret"),
    "microsoft": ("client_id", "tenant"),
    "exchange": ("server", "auth", "client_id", "tenant", "autodiscover"),
    "relay": ("url", "organizer_key"),
    "mail": ("mode", "host", "port", "security", "username"),
}


@dataclass(frozen=True, slots=True)
class Provisioning:
    """The file's content; empty strings are what the admin left out."""

    google_client_id: str = ""
    google_client_secret: str = field(default="", repr=False)
    microsoft_client_id: str = ""
    microsoft_tenant: str = ""
    exchange_server: str = ""
    exchange_auth: str = ""
    exchange_client_id: str = ""
    exchange_tenant: str = ""
    exchange_autodiscover: str = ""
    relay_url: str = ""
    relay_organizer_key: str = field(default="", repr=False)
    mail_mode: str = ""
    mail_host: str = ""
    mail_port: int = 587
    mail_security: str = "starttls"
    mail_username: str = ""

    @property
    def microsoft_authority(self) -> str:
        return authority_for(self.microsoft_tenant) if self.microsoft_tenant else ""

    @property
    def exchange_authority(self) -> str:
        tenant = self.exchange_tenant or self.microsoft_tenant
        return authority_for(tenant) if tenant else ""

    def google_client_config(self) -> dict[str, Any] | None:
        """The installed-app client configuration, as Google's client ID file holds it.

        Google's endpoints are read when called, not when imported.
        """
        if not self.google_client_id:
            return None
        return {
            "installed": {
                "client_id": self.google_client_id,
                "client_secret": self.google_client_secret,
                "auth_uri": GOOGLE_AUTH_URI,
                "token_uri": GOOGLE_TOKEN_URI,
                "redirect_uris": ["http://localhost"],
            }
        }

    def public(self) -> dict[str, Any]:
        """Everything but the secrets, to keep in the workspace."""
        data = asdict(self)
        data.pop("google_client_secret")
        data.pop("relay_organizer_key")
        return data


def authority_for(tenant: str) -> str:
    """The Microsoft authority URL of *tenant* (a domain, a tenant id, or an authority URL)."""
    value = tenant.strip().rstrip("/")
    if value.startswith("https://"):
        return value
    if not value or "/" in value or " " in value:
        raise ValidationError(f"'{tenant}' is not a Microsoft tenant (a domain or a tenant id).")
    return f"{MICROSOFT_LOGIN}/{value}"


def parse(text: str, source: str = "the provisioning file") -> Provisioning:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError(f"{source} is not valid TOML ({error}).") from None
    values: dict[str, Any] = {}
    for section, content in data.items():
        if section not in _KEYS or not isinstance(content, dict):
            known = ", ".join(f"[{s}]" for s in _KEYS)
            raise ValidationError(f"{source} has an unknown section [{section}]; known: {known}.")
        for key, value in content.items():
            if key not in _KEYS[section]:
                raise ValidationError(f"{source} has an unknown setting {section}.{key}.")
            wanted = int if key == "port" else str
            if not isinstance(value, wanted) or isinstance(value, bool):
                kind = "a number" if wanted is int else "text in quotes"
                raise ValidationError(f"{section}.{key} in {source} must be {kind}.")
            values[f"{section}_{key}"] = value.strip() if isinstance(value, str) else value
    provisioning = Provisioning(**values)
    _check(provisioning, source)
    return provisioning


def _check(p: Provisioning, source: str) -> None:
    if p.exchange_autodiscover and not p.exchange_autodiscover.startswith("https://"):
        raise ValidationError(f"exchange.autodiscover in {source} must be an https:// URL.")
    if p.exchange_auth and p.exchange_auth not in _AUTHS:
        raise ValidationError(f"exchange.auth in {source} must be one of {', '.join(_AUTHS)}.")
    if p.mail_mode and p.mail_mode not in _MAIL_MODES:
        raise ValidationError(f"mail.mode in {source} must be one of {', '.join(_MAIL_MODES)}.")
    if p.mail_mode == "smtp" and not p.mail_host:
        raise ValidationError(f"mail.host in {source} is needed when mail.mode is smtp.")
    if p.google_client_id and not p.google_client_secret:
        raise ValidationError(f"google.client_secret in {source} is missing.")
    if bool(p.relay_url) != bool(p.relay_organizer_key):
        raise ValidationError(f"{source} needs both relay.url and relay.organizer_key.")
    for tenant in (p.microsoft_tenant, p.exchange_tenant):
        if tenant:
            authority_for(tenant)
    if p.exchange_auth == "oauth" and not (p.exchange_client_id or p.microsoft_client_id):
        raise ValidationError(f"{source} needs a client_id for Exchange's OAuth sign-in.")


def read(path: Path) -> Provisioning:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"The provisioning file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError):
        raise ValidationError(f"The provisioning file {path} cannot be read.") from None
    return parse(text, f"The provisioning file {path.name}")


def config_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("InviteOnce", appauthor=False))


def discover() -> Path | None:
    """The provisioning file an admin placed for this user, if any."""
    named = os.environ.get(ENVIRONMENT)
    if named:
        return Path(named)
    placed = config_folder() / FILE_NAME
    return placed if placed.is_file() else None


class ProvisioningStore:
    """The applied provisioning of a workspace."""

    def __init__(self, workspace: Workspace, credentials: CredentialStore) -> None:
        self._workspace = workspace
        self._credentials = credentials

    def get(self) -> Provisioning:
        with self._workspace.session() as session:
            data = Settings(session).get(PROVISIONING) or {}
        known = set(Provisioning.__dataclass_fields__)
        stored = {k: v for k, v in data.items() if k in known}
        secret = ""
        if stored.get("google_client_id"):  # the keyring is asked only when there is a secret
            secret = self._credentials.get(_SECRETS_ACCOUNT, _GOOGLE_SECRET) or ""
        return Provisioning(**stored, google_client_secret=secret)

    def save(self, provisioning: Provisioning) -> None:
        if provisioning.google_client_secret:
            self._credentials.set(
                _SECRETS_ACCOUNT, _GOOGLE_SECRET, provisioning.google_client_secret
            )
        with self._workspace.session() as session:
            Settings(session).put(PROVISIONING, provisioning.public())


class Setup:
    """``inviteonce setup FILE`` and the first-run dialog: apply a provisioning file."""

    def __init__(
        self,
        store: ProvisioningStore,
        relay: RelayHost,
        mail: MailService,
        accounts: Callable[[], list[CalendarAccount]],
    ) -> None:
        self.store = store
        self._relay = relay
        self._mail = mail
        self._accounts = accounts

    def apply_file(self, path: Path) -> list[str]:
        return self.apply(read(path))

    def apply(self, provisioning: Provisioning) -> list[str]:
        """Keep *provisioning* and set up what it names; returns one line per thing set up."""
        done: list[str] = []
        if provisioning.relay_url:
            self._relay.configure(
                RelaySettings(embedded=False, url=provisioning.relay_url),
                api_key=provisioning.relay_organizer_key,
            )
            done.append(f"Booking links are served by {provisioning.relay_url}.")
        self.store.save(provisioning)
        if provisioning.google_client_id:
            done.append("Google calendars connect with your organization's client.")
        if provisioning.microsoft_client_id:
            tenant = provisioning.microsoft_tenant or "any organization"
            done.append(f"Microsoft 365 calendars connect with the client of {tenant}.")
        if provisioning.exchange_server:
            auth = provisioning.exchange_auth or "ntlm"
            done.append(f"Exchange calendars use {provisioning.exchange_server} ({auth}).")
        done += self._apply_mail(provisioning)
        return done

    def _apply_mail(self, p: Provisioning) -> list[str]:
        if p.mail_mode == "none":
            self._mail.configure(MailSettings("none"))
            return ["Mail is not sent; you copy the links."]
        if p.mail_mode == "smtp":
            security = Security(p.mail_security or "starttls")
            self._mail.configure(
                MailSettings("smtp", p.mail_host, p.mail_port, security, p.mail_username)
            )
            return [f"Mail goes out through {p.mail_host}."]
        if p.mail_mode == "account":
            self.account_connected()
            return ["Mail goes out through your connected calendar account."]
        return []

    def account_connected(self) -> None:
        """With mail.mode "account", mail goes through the first account that can send it."""
        if self.store.get().mail_mode != "account" or self._mail.settings().mode != "none":
            return
        for account in self._accounts():
            if account.kind in SENDING_KINDS:
                self._mail.configure(MailSettings("account", account_id=account.id))
                return
