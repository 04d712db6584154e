"""``inviteonce-relay init``: a server's relay from nothing, in one command.

It brings the database up to date, creates the first organizer, writes the
settings file, the systemd unit and the Caddy site from the templates in
``deploy/``, and returns the pairing code the desktop takes.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.pairing import Pairing

from .database import connection_budget, create_relay_engine, migrate
from .organizers import OrganizerDirectory
from .receipts import ReceiptServer
from .settings import RelaySettings

_MARK = "written by `inviteonce-relay init`"
_DEBIAN_DEFAULT = "The Caddyfile is an easy way to configure your Caddy web server."
DEFAULT_DATABASE = "sqlite:////var/lib/inviteonce-relay/relay.sqlite3"


@dataclass(frozen=True, slots=True)
class InitPlan:
    public_url: str
    database_url: str = DEFAULT_DATABASE
    organizer: str = "organizer"
    workers: int = 0
    """0: one per CPU core, at most four."""
    port: int = 8080
    hosts: int = 1
    """Relay hosts sharing the database; this one takes its share of the connections."""
    config_dir: Path = Path("/etc/inviteonce-relay")
    systemd_dir: Path = Path("/etc/systemd/system")
    caddyfile: Path = Path("/etc/caddy/Caddyfile")
    tls_internal: bool = False
    """Caddy's own CA instead of a public certificate (a test host, an intranet)."""
    executable: str = field(default_factory=lambda: _executable())
    receipts: dict[str, str | int] = field(default_factory=dict)
    """Receipt settings by field name (``receipt_smtp_host``...); empty: receipts off."""


@dataclass(frozen=True, slots=True)
class InitResult:
    pairing_code: str
    written: tuple[Path, ...]
    notes: tuple[str, ...]


def _executable() -> str:
    found = shutil.which("inviteonce-relay")
    return str(Path(found).resolve()) if found else str(Path(sys.argv[0]).resolve())


def _template(name: str) -> Template:
    return Template((files("inviteonce_desktop.relay") / "deploy" / name).read_text("utf-8"))


def _check(plan: InitPlan) -> str:
    """The site's host name, once the plan makes sense."""
    parts = urlsplit(plan.public_url)
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/"):
        raise ValidationError(
            "The public URL must be the relay's https address with no path, "
            "like https://book.example.com."
        )
    if not 1 <= plan.port <= 65535:
        raise ValidationError("The port must be between 1 and 65535.")
    if plan.workers < 0 or plan.workers > 64:
        raise ValidationError("The number of workers must be between 1 and 64.")
    if not 1 <= plan.hosts <= 64:
        raise ValidationError("The number of hosts must be between 1 and 64.")
    return parts.netloc


def _write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    os.chmod(temporary, mode)
    temporary.replace(path)
    return path


def _caddy_target(caddyfile: Path) -> tuple[Path, str | None]:
    """Where the site goes: the Caddyfile itself when it is ours or Debian's placeholder."""
    try:
        current = caddyfile.read_text(encoding="utf-8")
    except FileNotFoundError:
        return caddyfile, None
    if _MARK in current or _DEBIAN_DEFAULT in current:
        return caddyfile, None
    site = caddyfile.with_name("inviteonce-relay.caddy")
    return site, f"Add the line 'import {site.name}' to {caddyfile}, then reload Caddy."


_RECEIPTS_OFF = (
    "# Booking receipts to customers through your own SMTP server are off; see\n"
    "# INVITEONCE_RELAY_RECEIPT_* in docs/relay.md, or run init with --receipt-smtp-host.\n"
)


def _receipt_lines(receipts: dict[str, str | int]) -> str:
    """The receipt settings for relay.env, checked by the relay's own settings."""
    chosen = {name: value for name, value in receipts.items() if value not in ("", None)}
    if not chosen.get("receipt_smtp_host"):
        return _RECEIPTS_OFF
    ReceiptServer.of(RelaySettings(**chosen))  # type: ignore[arg-type]
    lines = ["# Booking receipts to customers, through this operator's own SMTP server."]
    lines += [f"{RelaySettings.variable(name)}={value}" for name, value in chosen.items()]
    return "\n".join(lines) + "\n"


def initialize(plan: InitPlan) -> InitResult:
    site_host = _check(plan)
    receipt_lines = _receipt_lines(plan.receipts)
    workers = plan.workers or min(4, os.cpu_count() or 1)
    public_url = plan.public_url.rstrip("/")
    if plan.database_url.startswith("sqlite:///"):
        Path(plan.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_relay_engine(plan.database_url, pool_size=1)
    try:
        migrate(engine)
        key = OrganizerDirectory(engine).add(plan.organizer)
        connections = connection_budget(engine, plan.hosts)
    finally:
        engine.dispose()
    values = {
        "database_url": plan.database_url,
        "port": str(plan.port),
        "public_url": public_url,
        "workers": str(workers),
        "database_connections": str(connections),
        "hosts": str(plan.hosts),
        "env_file": str(plan.config_dir / "relay.env"),
        "executable": plan.executable,
        "site_address": site_host,
        "site_host": site_host,
        "tls_line": "tls internal" if plan.tls_internal else "",
        "upstream": f"127.0.0.1:{plan.port}",
        "receipt_settings": receipt_lines,
    }
    caddy_path, caddy_note = _caddy_target(plan.caddyfile)
    written = (
        _write(plan.config_dir / "relay.env", _template("relay.env").substitute(values), 0o640),
        _write(
            plan.systemd_dir / "inviteonce-relay.service",
            _template("inviteonce-relay.service").substitute(values),
        ),
        _write(caddy_path, _template("Caddyfile").substitute(values)),
    )
    notes = [
        "Start it: systemctl daemon-reload && systemctl enable --now inviteonce-relay "
        "&& systemctl reload caddy",
    ]
    if caddy_note:
        notes.insert(0, caddy_note)
    return InitResult(Pairing(public_url, key).encode(), written, tuple(notes))
