"""Where the workspace lives; light enough to ask before anything heavy is loaded."""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "INVITEONCE_HOME"


def default_home(environ: dict[str, str] | None = None) -> Path:
    """``INVITEONCE_HOME`` if set, else the platform's user data folder."""
    env = os.environ if environ is None else environ
    configured = env.get(HOME_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("InviteOnce", "InviteOnce"))
