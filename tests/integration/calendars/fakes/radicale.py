"""A real Radicale server on 127.0.0.1, started as a subprocess for the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OWNER_ONLY = """\
[root]
user: .+
collection:
permissions: R

[principal]
user: .+
collection: {user}
permissions: RW

[calendars]
user: .+
collection: {user}/[^/]+
permissions: rw
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class RadicaleServer:
    url: str
    users: dict[str, str]


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("Radicale exited during start-up.")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("Radicale did not start listening.")


@contextmanager
def radicale_server(
    folder: Path, users: dict[str, str], *, owner_only: bool = False
) -> Iterator[RadicaleServer]:
    """Radicale with htpasswd (plain) authentication and every user allowed everywhere,
    or (*owner_only*) each user allowed only in their own collections."""
    htpasswd = folder / "htpasswd"
    htpasswd.write_text("".join(f"{user}:{password}\n" for user, password in users.items()))
    rights = folder / "rights"
    rights.write_text(
        OWNER_ONLY if owner_only else "[all]\nuser: .+\ncollection: .*\npermissions: RrWw\n"
    )
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(folder / "collections"),
        "--auth-type",
        "htpasswd",
        "--auth-htpasswd-filename",
        str(htpasswd),
        "--auth-htpasswd-encryption",
        "plain",
        "--rights-type",
        "from_file",
        "--rights-file",
        str(rights),
        "--logging-level",
        "warning",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_listening(port, process, time.monotonic() + 20)
        yield RadicaleServer(f"http://127.0.0.1:{port}/", users)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
