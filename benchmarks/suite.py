"""The whole ``make test`` on this machine, from a warm virtual environment.

Runs ``make test`` once (lint, type checks, import contracts and the test
suite in parallel) and prints one JSON object:

- ``suite_s``: its wall time in seconds;
- ``slowest_test_s``: the longest single test phase pytest reports;
- ``subprocess_tests``: how many tests start ``inviteonce`` as a process
  (recorded by the test session's audit hook into a file this script reads).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)s (?:setup|call|teardown)\s", re.MULTILINE)
_SLOWEST = re.compile(r"^\d+(?:\.\d+)?s (?:setup|call|teardown)\s+\S+", re.MULTILINE)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="inviteonce-suite-") as folder:
        launches = Path(folder) / "launches.txt"
        env = {
            **os.environ,
            "INVITEONCE_RECORD_LAUNCHES": str(launches),
            "PYTEST_ADDOPTS": f"{os.environ.get('PYTEST_ADDOPTS', '')} --durations=1".strip(),
        }
        started = time.monotonic()
        run = subprocess.run(
            ["make", "test"], cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        suite_s = time.monotonic() - started
        output = run.stderr + run.stdout
        if run.returncode != 0:
            sys.stderr.write(output[-4000:])
            print(json.dumps({"error": f"make test exited {run.returncode}"}))
            return 1
        durations = [float(value) for value in _DURATION.findall(output)]
        tests = set(launches.read_text().split()) if launches.exists() else set()
    slowest = _SLOWEST.search(output)
    if slowest:
        sys.stderr.write(f"slowest: {slowest.group(0)}\n")
    sys.stderr.writelines(f"starts inviteonce: {test}\n" for test in sorted(tests))
    print(
        json.dumps(
            {
                "suite_s": round(suite_s, 1),
                "slowest_test_s": round(max(durations, default=0.0), 1),
                "subprocess_tests": len(tests),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
