"""Checking that this machine can run InviteOnce, one finding per check.

Each check returns a :class:`Finding`: ok, not set up (nothing to check,
nothing wrong) or a problem with one sentence that says how to fix it. The
checks collect the services' own probes (``services/probes.py`` for Qt, the
keyring and SMTP; :class:`RelayClient` for a relay's health); the Qt probe
starts a ``QGuiApplication`` in a child process, so a missing library or an
aborting platform plugin cannot take the doctor down with it.
"""

from __future__ import annotations

import asyncio
import ctypes.util
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from keyring.backend import KeyringBackend

from ..services.calendars.connected import PASSWORD, TOKEN
from ..services.credentials import CredentialStore, CredentialsUnavailable
from ..services.mail import Security
from ..services.probes import QT_PROBE_MARK as QT_PROBE_MARK
from ..services.probes import (
    Probe,
    probe_keyring,
    probe_qt,
    probe_smtp,
)
from ..services.relay_client import RelayClient
from .facade import InviteOnce
from .secrets import PASSPHRASE_FILE_VARIABLE

NETWORK_TIMEOUT = 10.0


class Verdict(StrEnum):
    OK = "ok"
    NOT_SET_UP = "not set up"
    PROBLEM = "problem"


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    verdict: Verdict
    message: str
    """One sentence: what was found, or what is wrong and how to fix it."""

    @property
    def ok(self) -> bool:
        return self.verdict is not Verdict.PROBLEM


def _ok(check: str, message: str) -> Finding:
    return Finding(check, Verdict.OK, message)


def _problem(check: str, message: str) -> Finding:
    return Finding(check, Verdict.PROBLEM, message)


def _finding(check: str, probe: Probe) -> Finding:
    return _ok(check, probe.message) if probe.ok else _problem(check, probe.message)


# Qt


def check_qt_platform(
    probe: Sequence[str],
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    platform: str = sys.platform,
) -> Finding:
    """Starts Qt in a child process with *probe*; a crash there cannot take the doctor down."""
    return _finding("Qt platform", probe_qt(probe, environ, find_library, platform))


# Keyring


def check_keyring(backend: KeyringBackend | None = None, platform: str = sys.platform) -> Finding:
    return _finding("Keyring", probe_keyring(backend, platform))


def check_secrets_file(path: Path, locked: bool, backend: KeyringBackend) -> Finding:
    """The encrypted file chosen in place of a keyring: open, or waiting for its passphrase."""
    check = "Keyring"
    if locked:
        return _problem(
            check,
            f"Secrets are kept in the encrypted file {path}, which is not open: type its "
            f"passphrase in a terminal, or name a file holding it in {PASSPHRASE_FILE_VARIABLE}.",
        )
    probe = probe_keyring(backend)
    if not probe.ok:
        return _finding(check, probe)
    return _ok(check, f"Calendar tokens and passwords are kept in the encrypted file {path}.")


# Relay


def check_embedded_relay() -> Finding:
    """Starts the embedded relay on a throwaway database and asks its /healthz."""
    check = "Relay (embedded)"
    try:
        from ..relay.embedded import EmbeddedRelay
    except ImportError as error:
        return _problem(check, f"The embedded relay cannot be loaded ({error.name}); reinstall.")
    with tempfile.TemporaryDirectory(prefix="inviteonce-doctor-") as folder:
        relay = EmbeddedRelay(f"sqlite:///{Path(folder) / 'relay.sqlite3'}")
        try:
            relay.start()
        except Exception as error:  # any failure to start is this check's finding
            return _problem(
                check,
                f"The embedded relay does not start ({type(error).__name__}); reinstall "
                "InviteOnce, or choose a standalone relay in Settings, Relay.",
            )
        try:
            healthy = _relay_problem(relay.base_url) is None
        finally:
            relay.stop()
    if not healthy:
        return _problem(check, "The embedded relay starts but its database does not answer.")
    return _ok(check, "The embedded relay starts on 127.0.0.1 and answers.")


def check_relay_url(url: str) -> Finding:
    check = "Relay"
    if not url.startswith(("http://", "https://")):
        return _problem(check, f"The relay URL {url} must start with http:// or https://.")
    trouble = _relay_problem(url)
    if trouble is not None:
        return _problem(check, trouble)
    return _ok(check, f"The relay at {url} answers.")


def _relay_problem(base_url: str) -> str | None:
    """None when the relay at *base_url* answers as healthy; else what is wrong."""

    async def ask() -> str | None:
        async with RelayClient(base_url, "", timeout=NETWORK_TIMEOUT) as client:
            return await client.health_problem()

    return asyncio.run(ask())


# Calendar accounts


@dataclass(frozen=True, slots=True)
class AccountToCheck:
    account_id: int
    name: str
    kind: str


def check_calendar_account(account: AccountToCheck, credentials: CredentialStore) -> Finding:
    """The account's sign-in token or password must be in the keyring."""
    check = f"Calendar '{account.name}'"
    try:
        present = any(credentials.get(account.account_id, name) for name in (TOKEN, PASSWORD))
    except CredentialsUnavailable:
        return _problem(check, "The sign-in cannot be checked because the keyring is unavailable.")
    if not present:
        return _problem(
            check,
            f"The {account.kind} sign-in is missing from the keyring; "
            "reconnect the account in Settings, Calendars.",
        )
    return _ok(check, f"The {account.kind} sign-in is in the keyring.")


# SMTP


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int = 587
    security: Security = Security.STARTTLS


async def check_smtp(server: SmtpServer | None) -> Finding:
    check = "SMTP"
    if server is None:
        return Finding(check, Verdict.NOT_SET_UP, "Mail is not set up; copy links instead.")
    return _finding(
        check, await probe_smtp(server.host, server.port, server.security, NETWORK_TIMEOUT)
    )


# All of them


@dataclass(frozen=True, slots=True)
class DoctorPlan:
    """What to check: the Qt probe command and the configured relay, calendars and mail."""

    qt_probe: Sequence[str]
    environ: Mapping[str, str]
    relay_url: str | None = None
    """A standalone relay's address; None checks the embedded relay."""
    accounts: Sequence[AccountToCheck] = ()
    credentials: CredentialStore | None = None
    """Where the accounts' sign-ins are kept; None is the system keyring."""
    smtp: SmtpServer | None = None
    secrets_file: Path | None = None
    """The encrypted file chosen in place of the system keyring, if it is."""
    secrets_locked: bool = False


def examine(plan: DoctorPlan) -> Iterator[Finding]:
    """Runs every check in turn, yielding each finding as soon as it is known."""
    yield check_qt_platform(plan.qt_probe, plan.environ)
    if plan.secrets_file is not None and plan.credentials is not None:
        backend = plan.credentials.backend()
        yield check_secrets_file(plan.secrets_file, plan.secrets_locked, backend)
    else:
        yield check_keyring()
    yield check_relay_url(plan.relay_url) if plan.relay_url else check_embedded_relay()
    credentials = plan.credentials or CredentialStore()
    for account in plan.accounts:
        yield check_calendar_account(account, credentials)
    yield asyncio.run(check_smtp(plan.smtp))


def plan_for(
    app: InviteOnce,
    qt_probe: Sequence[str],
    environ: Mapping[str, str],
    relay_url: str | None = None,
    smtp: SmtpServer | None = None,
) -> DoctorPlan:
    """The workspace's own relay and mail settings, unless *relay_url* or *smtp* override them."""
    relay = app.relay_settings()
    if relay_url is None and not relay.embedded:
        relay_url = relay.url
    mail = app.mail_settings()
    if smtp is None and mail.mode == "smtp":
        smtp = SmtpServer(mail.host, mail.port, mail.security)
    accounts = [AccountToCheck(a.id, a.name, a.kind) for a in app.calendar_accounts()]
    secrets = app.secrets_file() if app.secrets_in_file() else None
    return DoctorPlan(
        qt_probe,
        environ,
        relay_url,
        accounts,
        app.credentials,
        smtp,
        secrets,
        app.secrets_locked(),
    )
