"""``inviteonce``: the desktop app, and the command-line twin of its wizard."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..application.facade import InviteOnce
from ..core.errors import DomainError
from ..store.workspace import default_home
from . import busy, directory, doctor, invitations, slots, workspace

_COMMANDS = (directory, busy, slots, invitations, workspace, doctor)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inviteonce",
        description="Invite a customer to pick a meeting time. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"InviteOnce Desktop {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the workspace folder (default: $INVITEONCE_HOME or the platform's user data folder)",
    )
    parser.add_argument("--demo", action="store_true", help="open on the seeded demo workspace")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMANDS:
        module.register(commands)
    return parser


def workspace_home(args: argparse.Namespace) -> Path:
    home: Path = args.data_dir or default_home()
    if args.demo and args.data_dir is None and not os.environ.get("INVITEONCE_HOME"):
        home = home / "demo"
    return home


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from ..ui.launch import run_app

        return run_app(workspace_home(args), demo=args.demo)
    try:
        app = InviteOnce.open(workspace_home(args))
    except OSError as error:
        print(f"inviteonce: the workspace cannot be opened ({error.strerror}).", file=sys.stderr)
        return 2
    try:
        if args.demo:
            from ..application.demo import seed_demo

            seed_demo(app)
        code: int = args.func(app, args)
        return code
    except DomainError as error:
        print(f"inviteonce: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`inviteonce ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        app.close()
