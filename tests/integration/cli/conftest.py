"""Running the real ``inviteonce`` entry point with a keyring that subprocesses share."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXECUTABLE = shutil.which("inviteonce", path=str(Path(sys.executable).parent)) or "inviteonce"
REPO = Path(__file__).resolve().parents[3]


def run_with_keyring(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``inviteonce ARGS`` on *home*; secrets go to a file keyring beside it (tests only)."""
    env = {
        **os.environ,
        "INVITEONCE_HOME": str(home),
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "tests.integration.loop.file_keyring.FileKeyring",
        "INVITEONCE_TEST_KEYRING_FILE": str(home.parent / "keys.json"),
    }
    return subprocess.run(
        [EXECUTABLE, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
