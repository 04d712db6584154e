"""A real Xandikos server (Debian's package) on 127.0.0.1, with basic authentication."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .radicale import free_port

SYSTEM_PYTHON = "/usr/bin/python3"
WSGI = Path(__file__).with_name("xandikos_wsgi.py")


@dataclass(frozen=True)
class XandikosServer:
    url: str
    user: str
    password: str


def xandikos_available() -> bool:
    if not shutil.which("xandikos"):
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import xandikos.web"], capture_output=True, check=False
    )
    return probe.returncode == 0


@contextmanager
def xandikos_server(folder: Path, user: str, password: str) -> Iterator[XandikosServer]:
    port = free_port()
    process = subprocess.Popen(
        [SYSTEM_PYTHON, "-I", str(WSGI), str(folder), str(port), user, password],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        line = process.stdout.readline()
        if b"listening" not in line or time.monotonic() > deadline:
            raise RuntimeError("Xandikos did not start listening.")
        yield XandikosServer(f"http://127.0.0.1:{port}/", user, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
