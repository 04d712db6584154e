"""``inviteonce sync --json`` in processes forked from one that has done the imports.

The kill tests start this server once per test session (per xdist worker). Each line
is a JSON request, ``{"seconds": SECONDS or null, "env": {...}}``: it forks; the child
is a process of its own that takes *env* as its whole environment (the test's
workspace and keyring file), runs ``main(["sync", "--json"])`` from its first line of
work, with connections it opens itself, and writes its report on stdout. The server
SIGKILLs the child once SECONDS have passed, unless it ended first, then says
``killed`` or ``exited CODE``. So a kill lands in the sync's work rather than in
Python's start-up, and no sync pays for the imports again. The server is the
child's parent and reaps it only after the kill, so the signal cannot reach a
process that reused its id.
"""

from __future__ import annotations

import imaplib  # noqa: F401
import json
import os
import select
import signal
import sys

# What a sync loads, its first use included: done once here, never in a child.
import aiosmtplib  # noqa: F401
import babel.dates  # noqa: F401
import babel.support  # noqa: F401
import httpx  # noqa: F401
import icalendar  # noqa: F401
import keyring  # noqa: F401
import markupsafe  # noqa: F401

import inviteonce_desktop.cli.commands  # noqa: F401
from inviteonce_desktop.cli import main


def _child(env: dict[str, str]) -> None:
    code = 70
    try:
        os.environ.clear()
        os.environ.update(env)
        code = main(["sync", "--json"])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _one_sync(seconds: float | None, env: dict[str, str]) -> str:
    pid = os.fork()
    if pid == 0:
        _child(env)
    ended = os.pidfd_open(pid)
    try:
        finished, _, _ = select.select([ended], [], [], seconds)
    finally:
        os.close(ended)
    if not finished:
        os.kill(pid, signal.SIGKILL)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    return "killed" if code == -signal.SIGKILL else f"exited {code}"


def serve() -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        print(_one_sync(request["seconds"], request["env"]), flush=True)


if __name__ == "__main__":
    serve()
