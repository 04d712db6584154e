"""``inviteonce sync --json``, started only once its imports are done, which it says on stdout.

The kill tests start it, wait for "ready", and SIGKILL it a random moment later,
so that the kill lands in the sync's work rather than in Python's start-up.
"""

from __future__ import annotations

import sys

from inviteonce_desktop.cli import main

if __name__ == "__main__":
    print("ready", flush=True)
    sys.exit(main(["sync", "--json"]))
