"""``inviteonce``: the desktop app, and the command-line twin of its wizard.

With no command it opens the window at once, before the workspace's heavier
layers load; with a command it runs the command-line twin.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from ..application.paths import default_home


def main(argv: Sequence[str] | None = None) -> int:
    import sys

    words = list(sys.argv[1:] if argv is None else argv)
    window = _window_options(words)
    if window is None:
        from .commands import run

        return run(words)
    from ..ui.launch import run_app

    return run_app(
        _home(window.data_dir, window.demo), demo=window.demo, minimized=window.minimized
    )


def _window_options(words: list[str]) -> argparse.Namespace | None:
    """The options of a plain ``inviteonce [--demo] [--data-dir DIR]``, or None for a command."""
    parser = argparse.ArgumentParser(prog="inviteonce", add_help=False)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--minimized", action="store_true")
    known, rest = parser.parse_known_args(words)
    return None if rest else known


def _home(data_dir: Path | None, demo: bool) -> Path:
    home = data_dir or default_home()
    if demo and data_dir is None and not os.environ.get("INVITEONCE_HOME"):
        home = home / "demo"
    return home
