"""``inviteonce doctor``: one line per check of what InviteOnce needs on this machine."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..application.facade import InviteOnce, Security
from ..core.errors import ValidationError

if TYPE_CHECKING:
    from ..application.doctor import Finding, SmtpServer

# The checks (ctypes, probes, their I/O) load when the doctor runs: not for other commands.


def register(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check Qt, the keyring, the relay, calendar sign-ins and mail",
        description="Checks what InviteOnce needs; exits non-zero when something is wrong.",
    )
    doctor.add_argument(
        "--relay-url",
        metavar="URL",
        help="check this standalone relay instead of the configured one",
    )
    doctor.add_argument(
        "--smtp-server",
        metavar="HOST[:PORT]",
        help="check this mail server instead of the configured one (default port 587)",
    )
    doctor.add_argument(
        "--smtp-security",
        choices=[s.value for s in Security],
        help="how --smtp-server is secured (default: tls on port 465, else starttls)",
    )
    doctor.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)
    doctor.set_defaults(func=run_doctor)


def run_doctor(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.qt_probe:
        return probe_qt()
    from ..application.doctor import examine, plan_for

    plan = plan_for(
        app,
        _probe_command(app.home),
        dict(os.environ),
        relay_url=args.relay_url,
        smtp=_smtp_server(args.smtp_server, args.smtp_security) if args.smtp_server else None,
    )
    healthy = True
    for finding in examine(plan):
        print(_line(finding), flush=True)
        healthy = healthy and finding.ok
    return 0 if healthy else 1


def _line(finding: Finding) -> str:
    from ..application.doctor import Verdict

    marks = {Verdict.OK: "ok  ", Verdict.NOT_SET_UP: "--  ", Verdict.PROBLEM: "FAIL"}
    return f"{marks[finding.verdict]}  {finding.check}: {finding.message}"


def probe_qt() -> int:
    """Starts a QGuiApplication and names its platform plugin (run in a child process)."""
    from ..application.doctor import QT_PROBE_MARK
    from ..ui.qt import QGuiApplication

    qt_app = QGuiApplication(["inviteonce-doctor"])
    print(f"{QT_PROBE_MARK}{qt_app.platformName()}", flush=True)
    return 0


def _probe_command(home: Path) -> list[str]:
    """This same program, asked to run :func:`probe_qt`; a frozen bundle is its own Python."""
    if getattr(sys, "frozen", False):
        program = [sys.executable]
    else:
        program = [
            sys.executable,
            "-c",
            "import sys; from inviteonce_desktop.cli import main; sys.exit(main())",
        ]
    return [*program, "--data-dir", str(home), "doctor", "--qt-probe"]


def _smtp_server(text: str, security: str | None) -> SmtpServer:
    from ..application.doctor import SmtpServer

    host, _, port_text = text.rpartition(":") if ":" in text else (text, "", "587")
    try:
        port = int(port_text)
    except ValueError:
        raise ValidationError(f"'{port_text}' is not a port number.") from None
    if not host or not 0 < port < 65536:
        raise ValidationError(f"'{text}' is not a mail server; write HOST or HOST:PORT.")
    if security is None:
        return SmtpServer(host, port, Security.TLS if port == 465 else Security.STARTTLS)
    return SmtpServer(host, port, Security(security))
