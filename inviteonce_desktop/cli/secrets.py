"""Opening the encrypted secrets file from a terminal, and ``inviteonce settings secrets``.

The passphrase comes from the terminal (never echoed) or, for a machine with no
one at it (``inviteonce agent``), from the file that
``INVITEONCE_SECRETS_PASSPHRASE_FILE`` names; never from the environment itself
or the command line, where other users and logs could see it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from ..application.facade import InviteOnce
from ..application.secrets import (
    PASSPHRASE_FILE_VARIABLE,
    PassphraseRefused,
    SecretsLocked,
    passphrase_from_file,
)
from ..core.errors import ValidationError
from .output import emit_json

TRIES = 3


def unlock(app: InviteOnce, args: argparse.Namespace) -> None:
    """Open the secrets file before a command runs, if it is the chosen place."""
    if not app.secrets_locked():
        return
    named = os.environ.get(PASSPHRASE_FILE_VARIABLE)
    if named:
        app.unlock_secrets(passphrase_from_file(named))
        return
    if sys.stdin.isatty():
        for attempt in range(1, TRIES + 1):
            try:
                app.unlock_secrets(getpass.getpass(f"Passphrase of {app.secrets_file()}: "))
                return
            except PassphraseRefused as wrong:
                if attempt == TRIES:
                    raise
                print(wrong, file=sys.stderr)
    if args.command == "doctor" or getattr(args, "func", None) is show:
        return  # the doctor says so among its findings; show says where they are
    raise SecretsLocked(
        f"InviteOnce keeps its secrets in the encrypted file {app.secrets_file()}: run this in "
        "a terminal to type its passphrase, or name a file holding it in "
        f"{PASSPHRASE_FILE_VARIABLE}."
    )


def register(settings: Any) -> None:
    secrets = settings.add_parser(
        "secrets", help="where sign-ins and passwords are kept"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    in_file = secrets.add_parser(
        "file",
        help="keep them in a file encrypted with a passphrase (for systems with no keyring)",
    )
    in_file.add_argument(
        "--passphrase-file",
        metavar="PATH",
        help="read the new passphrase from this file instead of the terminal",
    )
    in_file.set_defaults(func=keep_in_file)
    secrets.add_parser("keyring", help="keep them in the system keyring").set_defaults(
        func=keep_in_keyring
    )
    shown = secrets.add_parser("show", help="show where they are kept")
    shown.add_argument("--json", action="store_true")
    shown.set_defaults(func=show)


def _new_passphrase(args: argparse.Namespace) -> str:
    named = args.passphrase_file or os.environ.get(PASSPHRASE_FILE_VARIABLE)
    if named:
        return passphrase_from_file(named)
    if not sys.stdin.isatty():
        raise ValidationError(
            "Type the passphrase in a terminal, or give --passphrase-file with a file holding it."
        )
    first = getpass.getpass("New passphrase for the secrets file: ")
    if getpass.getpass("The same passphrase again: ") != first:
        raise ValidationError("The two passphrases differ; nothing was changed.")
    return first


def keep_in_file(app: InviteOnce, args: argparse.Namespace) -> int:
    carried = app.keep_secrets_in_file(_new_passphrase(args))
    print(
        f"Sign-ins and passwords are kept in {app.secrets_file()}, encrypted ({carried} copied "
        "from the keyring); InviteOnce asks its passphrase when it starts."
    )
    return 0


def keep_in_keyring(app: InviteOnce, args: argparse.Namespace) -> int:
    moved = app.keep_secrets_in_keyring()
    print(f"Sign-ins and passwords are kept in the system keyring ({moved} moved there).")
    return 0


def show(app: InviteOnce, args: argparse.Namespace) -> int:
    in_file = app.secrets_in_file()
    if args.json:
        emit_json(
            {
                "storage": "file" if in_file else "keyring",
                "file": str(app.secrets_file()) if in_file else None,
                "locked": app.secrets_locked(),
            }
        )
    elif in_file:
        print(f"Kept in the encrypted file {app.secrets_file()}.")
    else:
        print("Kept in the system keyring.")
    return 0
