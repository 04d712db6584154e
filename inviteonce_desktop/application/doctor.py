"""Checking that this machine can run InviteOnce, one finding per check.

Each check returns a :class:`Finding`: ok, not set up (nothing to check,
nothing wrong) or a problem with one sentence that says how to fix it. The Qt
check starts a ``QGuiApplication`` in a child process, so a missing library
or an aborting platform plugin cannot take the doctor down with it.
"""

from __future__ import annotations

import asyncio
import ctypes.util
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import aiosmtplib
import httpx
import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from ..services.calendars.connected import PASSWORD, TOKEN
from ..services.credentials import (
    CredentialStore,
    CredentialsUnavailable,
    backend_name,
    is_usable,
    keyring_advice,
)
from ..services.mail import Security
from ..store.accounts import CalendarAccounts
from ..store.workspace import Workspace
from .facade import InviteOnce

QT_PROBE_MARK = "qt-platform="
"""The Qt probe prints this, then the name of the platform plugin that started."""
QT_PROBE_TIMEOUT = 60.0
NETWORK_TIMEOUT = 10.0

# Libraries Qt needs on Linux, by the name ctypes looks for, with the Debian package.
QT_LINUX_LIBRARIES: Mapping[str, str] = {
    "GL": "libgl1",
    "EGL": "libegl1",
    "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
}
_MISSING_LIBRARY = re.compile(r"lib([\w.+-]+?)\.so[.\d]*: cannot open shared object file")


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


# Qt


def check_qt_platform(
    probe: Sequence[str],
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    platform: str = sys.platform,
) -> Finding:
    """Runs *probe* (which starts a QGuiApplication and prints its platform) in a child."""
    check = "Qt platform"
    env = {**environ, "QT_DEBUG_PLUGINS": "1"}
    try:
        done = subprocess.run(
            list(probe), env=env, capture_output=True, text=True, timeout=QT_PROBE_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return _problem(check, f"Qt did not start within {QT_PROBE_TIMEOUT:.0f} s.")
    except OSError as error:
        return _problem(check, f"The Qt check could not run ({error.strerror}).")
    for line in done.stdout.splitlines():
        if done.returncode == 0 and line.startswith(QT_PROBE_MARK):
            return _ok(check, f"Qt starts with the '{line[len(QT_PROBE_MARK) :]}' platform plugin.")
    return _problem(check, _qt_failure(done.stderr, environ, find_library, platform))


def _qt_failure(
    stderr: str,
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None],
    platform: str,
) -> str:
    if "could not connect to display" in stderr:
        return (
            "Qt cannot connect to a display; run it in a desktop session (DISPLAY or "
            "WAYLAND_DISPLAY set), or set QT_QPA_PLATFORM=offscreen for a headless check."
        )
    missing = _missing_packages(stderr, find_library) if platform.startswith("linux") else []
    if missing:
        return (
            f"Qt cannot start: libraries are missing; install them "
            f"(Debian/Ubuntu: sudo apt install {' '.join(missing)})."
        )
    chosen = environ.get("QT_QPA_PLATFORM")
    if chosen:
        return f"Qt cannot start with QT_QPA_PLATFORM={chosen}; unset it or choose another plugin."
    if "ModuleNotFoundError" in stderr:
        return "PySide6 is not installed; reinstall InviteOnce."
    return "Qt cannot start its platform plugin; run with QT_DEBUG_PLUGINS=1 to see why."


def _missing_packages(stderr: str, find_library: Callable[[str], str | None]) -> list[str]:
    packages = [
        package for name, package in QT_LINUX_LIBRARIES.items() if find_library(name) is None
    ]
    for name in _MISSING_LIBRARY.findall(stderr):
        package = QT_LINUX_LIBRARIES.get(name, f"lib{name}")
        if package not in packages:
            packages.append(package)
    return packages


# Keyring

def check_keyring(backend: KeyringBackend | None = None, platform: str = sys.platform) -> Finding:
    check = "Keyring"
    chosen = backend if backend is not None else keyring.get_keyring()
    name = backend_name(chosen)
    if not is_usable(chosen):
        return _problem(check, f"There is no usable keyring ({name}); {keyring_advice(platform)}")
    try:
        chosen.get_password("InviteOnce Desktop", "doctor:probe")
    except KeyringError:
        return _problem(check, f"The keyring ({name}) cannot be read; unlock it and try again.")
    return _ok(check, f"Calendar tokens and passwords are kept in {name}.")


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
            healthy = _healthz(relay.base_url) is None
        finally:
            relay.stop()
    if not healthy:
        return _problem(check, "The embedded relay starts but its database does not answer.")
    return _ok(check, "The embedded relay starts on 127.0.0.1 and answers.")


def check_relay_url(url: str) -> Finding:
    check = "Relay"
    if not url.startswith(("http://", "https://")):
        return _problem(check, f"The relay URL {url} must start with http:// or https://.")
    trouble = _healthz(url)
    if trouble is not None:
        return _problem(check, trouble)
    return _ok(check, f"The relay at {url} answers.")


def _healthz(base_url: str) -> str | None:
    """None when ``GET /healthz`` says ok; otherwise what is wrong, in one sentence."""
    url = base_url.rstrip("/") + "/healthz"
    try:
        response = httpx.get(url, timeout=NETWORK_TIMEOUT, follow_redirects=True)
    except httpx.ConnectError:
        return (
            f"The relay at {base_url} refuses connections; check the URL "
            "and that `inviteonce-relay serve` is running."
        )
    except httpx.TimeoutException:
        return f"The relay at {base_url} does not answer; check the URL and the network."
    except httpx.HTTPError:
        return f"The relay at {base_url} cannot be reached; check the URL."
    if response.status_code == 503:
        return f"The relay at {base_url} runs but its database is unavailable."
    if response.status_code != 200:
        return f"{url} answered {response.status_code}; is this an InviteOnce relay?"
    try:
        healthy = response.json().get("status") == "ok"
    except (ValueError, AttributeError):
        healthy = False
    return None if healthy else f"{url} did not answer as an InviteOnce relay does."


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


def calendar_accounts(workspace: Workspace) -> list[AccountToCheck]:
    with workspace.session() as session:
        return [AccountToCheck(a.id, a.name, a.kind) for a in CalendarAccounts(session).list()]


# SMTP


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int = 587
    security: Security = Security.STARTTLS


async def check_smtp(server: SmtpServer | None) -> Finding:
    """Connects and says EHLO; the login is left to the first real message."""
    check = "SMTP"
    if server is None:
        return Finding(check, Verdict.NOT_SET_UP, "Mail is not set up; copy links instead.")
    where = f"{server.host}:{server.port}"
    client = aiosmtplib.SMTP(
        hostname=server.host,
        port=server.port,
        use_tls=server.security is Security.TLS,
        start_tls=False,
        timeout=NETWORK_TIMEOUT,
    )
    try:
        await client.connect()
        await client.ehlo()
        starttls = client.supports_extension("starttls")
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        return _problem(
            check, f"The mail server {where} cannot be reached; check the host, port and security."
        )
    finally:
        client.close()
    if server.security is Security.STARTTLS and not starttls:
        return _problem(
            check, f"The mail server {where} does not offer STARTTLS; check the port and security."
        )
    return _ok(check, f"The mail server {where} answers ({server.security.value}).")


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


def examine(plan: DoctorPlan) -> Iterator[Finding]:
    """Runs every check in turn, yielding each finding as soon as it is known."""
    yield check_qt_platform(plan.qt_probe, plan.environ)
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
    relay = app.relay.settings()
    if relay_url is None and not relay.embedded:
        relay_url = relay.url
    mail = app.mail.settings()
    if smtp is None and mail.mode == "smtp":
        smtp = SmtpServer(mail.host, mail.port, mail.security)
    accounts = calendar_accounts(app.workspace)
    return DoctorPlan(qt_probe, environ, relay_url, accounts, app.credentials, smtp)
