"""``inviteonce setup FILE``: apply the organization's provisioning file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..application.facade import InviteOnce
from ..application.provisioning import FILE_NAME, config_folder, discover


def register(commands: Any) -> None:
    setup = commands.add_parser(
        "setup", help="apply your organization's provisioning file (OAuth clients, relay, mail)"
    )
    setup.add_argument(
        "file",
        nargs="?",
        type=Path,
        help=f"the file (default: {FILE_NAME} in {config_folder()}, or $INVITEONCE_PROVISIONING)",
    )
    setup.set_defaults(func=run_setup)


def run_setup(app: InviteOnce, args: argparse.Namespace) -> int:
    from ..core.errors import ValidationError

    path = args.file or discover()
    if path is None:
        raise ValidationError(
            f"Give the provisioning file, or place it as {config_folder() / FILE_NAME}."
        )
    for line in app.apply_provisioning(path):
        print(line)
    print("Set up. Connect your calendar: inviteonce calendars connect KIND")
    return 0
