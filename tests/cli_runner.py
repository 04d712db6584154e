"""The command line in this process, through the same ``main(argv)`` the entry point calls."""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from inviteonce_desktop.application.paths import HOME_VARIABLE
from inviteonce_desktop.cli import main


@dataclass(frozen=True)
class Ran:
    """What ``inviteonce ARGS`` did: its exit status and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


def run_inviteonce(home: Path, *args: str, stdin: str = "") -> Ran:
    """``inviteonce ARGS`` on the workspace *home*, in this process through ``main(argv)``.

    Secrets go to the test's keyring; standard input reads *stdin*.
    """
    out, err = io.StringIO(), io.StringIO()
    saved_home, saved_stdin = os.environ.get(HOME_VARIABLE), sys.stdin
    os.environ[HOME_VARIABLE] = str(home)
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse: --help, --version, a usage error
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    finally:
        sys.stdin = saved_stdin
        if saved_home is None:
            os.environ.pop(HOME_VARIABLE, None)
        else:
            os.environ[HOME_VARIABLE] = saved_home
    return Ran(code, out.getvalue(), err.getvalue())
