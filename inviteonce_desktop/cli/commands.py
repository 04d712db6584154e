"""The command-line twin of the wizard: the parser and the commands."""

from __future__ import annotations

import argparse
import functools
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..application.errors import user_message
from ..application.facade import InviteOnce
from ..core.errors import DomainError
from . import (
    agent,
    busy,
    calendars,
    directory,
    doctor,
    invitations,
    secrets,
    settings,
    setup,
    slots,
    workspace,
)

_COMMANDS = (
    directory,
    busy,
    slots,
    calendars,
    invitations,
    settings,
    setup,
    workspace,
    doctor,
    agent,
)


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, built once per process: its 68 parsers cost
    tens of milliseconds (each looks its texts up in gettext's catalogs), and a process
    that runs several commands (``main(argv)`` in the smoke test's booking, the tests)
    parses with the same one, through ``parse``."""
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
    parser.add_argument(
        "--minimized", action="store_true", help="start in the system tray (as at login)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMANDS:
        module.register(commands)
    return parser


def workspace_home(args: argparse.Namespace) -> Path:
    from . import _home

    return _home(args.data_dir, args.demo)


def report_error(error: Exception, home: Path) -> int:
    """One sentence on stderr: exit 2 for bad input, 1 for the outside world, 70 for a bug."""
    message = user_message(error)
    if message is not None:
        print(f"inviteonce: {message}", file=sys.stderr)
        return 2 if isinstance(error, DomainError) else 1
    log_file = home / "inviteonce.log"
    try:
        with log_file.open("a", encoding="utf-8") as log:
            traceback.print_exception(error, file=log)
    except OSError:
        print(
            f"inviteonce: an unexpected problem happened ({type(error).__name__}), "
            f"and its details cannot be written to {log_file}.",
            file=sys.stderr,
        )
        return 70
    print(
        f"inviteonce: an unexpected problem happened ({type(error).__name__}); "
        f"the details are in {log_file}.",
        file=sys.stderr,
    )
    return 70


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """*argv* read by the shared parser. A repeatable option left out is the parser's own
    default list: each command gets a copy, so what one changes the next never sees."""
    args = build_parser().parse_args(argv)
    for name, value in vars(args).items():
        if isinstance(value, list):
            setattr(args, name, list(value))
    return args


def run(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.command is None:
        from ..ui.launch import run_app

        return run_app(workspace_home(args), demo=args.demo, minimized=args.minimized)
    home = workspace_home(args)
    try:
        app = InviteOnce.open(home)
    except OSError as error:
        reason = error.strerror or "an operating system error"
        print(f"inviteonce: the workspace folder {home} cannot be used: {reason}.", file=sys.stderr)
        return 1
    except Exception as error:  # a full or read-only disk: one sentence naming the folder
        message = user_message(error)
        if message is None:
            raise
        print(f"inviteonce: {message}", file=sys.stderr)
        return 1
    try:
        secrets.unlock(app, args)
        if args.demo:
            from ..application.demo import seed_demo

            seed_demo(app)
        code: int = args.func(app, args)
        return code
    except BrokenPipeError:
        # The reader went away (`inviteonce ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        return report_error(error, app.home)
    finally:
        app.close()
