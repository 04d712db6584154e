"""``inviteonce doctor`` against real servers on loopback, run in this process.

The Qt check still starts its own child process, as it does for users.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from keyring.backends import fail

from inviteonce_desktop.application.doctor import (
    QT_PROBE_MARK,
    AccountToCheck,
    Finding,
    SmtpServer,
    Verdict,
    check_calendar_account,
    check_qt_platform,
    examine,
    plan_for,
)
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.application.relay_host import RelaySettings
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.services.calendars.connected import TOKEN
from inviteonce_desktop.services.credentials import CredentialStore
from inviteonce_desktop.services.mail import Security
from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from inviteonce_desktop.store.models import CalendarAccountRow
from tests.cli_runner import Ran, run_inviteonce

OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen"}
STAND_IN_QT = [sys.executable, "-c", f"print('{QT_PROBE_MARK}offscreen')"]
"""A Qt probe that starts no Qt, for the checks that are not about Qt."""


def findings(
    app: InviteOnce, *, relay_url: str | None = None, smtp: SmtpServer | None = None
) -> dict[str, Finding]:
    """The doctor's findings by check, the Qt one from a stand-in probe."""
    plan = plan_for(app, STAND_IN_QT, dict(os.environ), relay_url=relay_url, smtp=smtp)
    return {finding.check: finding for finding in examine(plan)}


@pytest.fixture
def doctor(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """``inviteonce doctor OPTIONS`` with *env* added to the environment."""

    def run(env: Mapping[str, str], *options: str) -> Ran:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return run_inviteonce(isolated_home, "doctor", *options)

    return run


def lines_by_check(output: str) -> dict[str, str]:
    """``{"Keyring": "ok    Keyring: ...", ...}`` from the doctor's output."""
    return {line[6:].split(":", 1)[0]: line for line in output.splitlines()}


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[EmbeddedRelay]:
    with EmbeddedRelay(f"sqlite:///{tmp_path / 'relay.sqlite3'}") as running:
        yield running


@pytest.fixture
def smtp_server() -> Iterator[str]:
    controller = Controller(Sink(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield f"127.0.0.1:{controller.port}"
    controller.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_everything_in_order_exits_zero(
    relay: EmbeddedRelay, smtp_server: str, doctor: Callable[..., Ran]
) -> None:
    env = OFFSCREEN

    done = doctor(
        env, "--relay-url", relay.base_url, "--smtp-server", smtp_server, "--smtp-security", "none"
    )

    lines = lines_by_check(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(lines) == ["Qt platform", "Keyring", "Relay", "SMTP"]
    assert all(line.startswith("ok ") for line in lines.values())
    assert "'offscreen' platform plugin" in lines["Qt platform"]
    assert f"The relay at {relay.base_url} answers." in lines["Relay"]
    assert f"The mail server {smtp_server} answers" in lines["SMTP"]
    assert done.stderr == ""


def test_embedded_relay_is_checked_when_no_relay_is_named(app: InviteOnce) -> None:
    found = findings(app)

    assert found["Relay (embedded)"].verdict is Verdict.OK
    assert found["SMTP"].verdict is Verdict.NOT_SET_UP


def test_refused_relay_and_missing_keyring_fail_with_a_fix(app: InviteOnce) -> None:
    refused = f"http://127.0.0.1:{_free_port()}"
    keyring.set_keyring(fail.Keyring())

    found = findings(app, relay_url=refused)

    assert found["Qt platform"].ok
    assert found["Keyring"].verdict is Verdict.PROBLEM
    assert "no usable keyring (keyring.backends.fail.Keyring)" in found["Keyring"].message
    assert found["Relay"].verdict is Verdict.PROBLEM
    assert f"The relay at {refused} refuses connections" in found["Relay"].message


def test_unreachable_mail_server_fails(app: InviteOnce) -> None:
    port = _free_port()

    found = findings(app, smtp=SmtpServer("127.0.0.1", port, Security.STARTTLS))

    assert found["SMTP"].verdict is Verdict.PROBLEM
    assert found["SMTP"].message.startswith(f"The mail server 127.0.0.1:{port} cannot be reached")


def test_the_workspace_relay_and_mail_settings_are_checked(
    app: InviteOnce, smtp_server: str
) -> None:
    refused = f"http://127.0.0.1:{_free_port()}"
    host, port = smtp_server.split(":")
    app.relay.configure(RelaySettings(embedded=False, url=refused), api_key="organizer-key")
    app.mail.configure(MailSettings("smtp", host, int(port), Security.STARTTLS))

    found = findings(app)

    assert f"The relay at {refused} refuses connections" in found["Relay"].message
    assert f"The mail server {smtp_server} does not offer STARTTLS" in found["SMTP"].message
    assert not all(finding.ok for finding in found.values())


def test_a_calendar_account_without_its_sign_in_fails(app: InviteOnce) -> None:
    with app.workspace.session() as session:
        session.add(CalendarAccountRow(kind="google", name="Work", settings={}))

    found = findings(app)

    assert found["Calendar 'Work'"] == Finding(
        "Calendar 'Work'",
        Verdict.PROBLEM,
        "The google sign-in is missing from the keyring; "
        "reconnect the account in Settings, Calendars.",
    )


def test_a_calendar_account_with_its_token_passes(memory_keyring: MemoryKeyring) -> None:
    credentials = CredentialStore(memory_keyring)
    credentials.set(7, TOKEN, '{"refresh_token": "r"}')

    finding = check_calendar_account(AccountToCheck(7, "Work", "microsoft"), credentials)

    assert finding.verdict is Verdict.OK
    assert finding.message == "The microsoft sign-in is in the keyring."


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 exists on Linux only")
def test_qt_without_a_display_fails_and_the_doctor_survives(doctor: Callable[..., Ran]) -> None:
    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":93", "WAYLAND_DISPLAY": ""}

    done = doctor(env)

    lines = lines_by_check(done.stdout)
    assert done.returncode == 1
    assert "Qt cannot connect to a display" in lines["Qt platform"]
    assert lines["Keyring"].startswith("ok ")


def test_missing_libraries_are_named_as_packages() -> None:
    crash = (
        "import sys; sys.stderr.write('Cannot load library libqxcb.so: "
        "(libxkbcommon-x11.so.0: cannot open shared object file)\\n'); sys.exit(134)"
    )
    present = {"EGL", "fontconfig", "dbus-1", "glib-2.0"}

    finding = check_qt_platform(
        [sys.executable, "-c", crash],
        {},
        find_library=lambda name: f"lib{name}.so" if name in present else None,
        platform="linux",
    )

    assert finding.verdict is Verdict.PROBLEM
    assert "sudo apt install libgl1 libxkbcommon0 libxkbcommon-x11-0" in finding.message
    assert "libegl1" not in finding.message
