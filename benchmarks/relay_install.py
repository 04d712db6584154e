"""What a server installs for the relay alone, against the desktop, and how fast it starts.

Creates an empty virtual environment, installs the relay distribution
(``packaging/relay``) into it as docs/relay.md does (``pip install``, then
``inviteonce-relay trim-locale-data``, which keeps Babel's locale data for the
relay's four languages only), counts the distributions that brought and the
size of what they put into site-packages (``relay_untrimmed_mib`` before the
trim), measures the desktop's own site-packages the same way, then times
``inviteonce-relay serve`` from process start to ``/healthz`` answering (median
of five starts). Prints one JSON object: relay_packages, relay_site_mib,
relay_untrimmed_mib, desktop_site_mib, relay_start_ms.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
STARTS = 5


def distributions(python: Path) -> set[str]:
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {entry["name"].lower() for entry in json.loads(listed.stdout)}


def site_packages(python: Path) -> Path:
    found = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(found.stdout.strip())


def mib(folder: Path, leave_out: set[str]) -> float:
    """Bytes under *folder*, less the top-level entries named in *leave_out*, in MiB."""
    total = 0
    for entry in folder.iterdir():
        if entry.name.split("-")[0].lower() in leave_out or entry.name in leave_out:
            continue
        paths = entry.rglob("*") if entry.is_dir() else [entry]
        total += sum(p.stat().st_size for p in paths if p.is_file() and not p.is_symlink())
    return round(total / 2**20, 1)


# What an empty venv already holds; it is not the relay's.
_VENV_OWN = {"pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_ms(executable: Path, folder: Path) -> float:
    port = free_port()
    database = f"sqlite:///{folder / f'relay-{port}.sqlite3'}"
    subprocess.run(
        [str(executable), "--database-url", database, "migrate"], check=True, capture_output=True
    )
    began = time.perf_counter()
    process = subprocess.Popen(
        [str(executable), "serve", "--database-url", database, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                    return (time.perf_counter() - began) * 1000
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.perf_counter() - began > 60:
                raise RuntimeError("The relay did not start.")
            time.sleep(0.005)
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        venv.create(folder / "venv", with_pip=True)
        python = folder / "venv" / "bin" / "python"
        before = distributions(python)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                str(REPO / "packaging" / "relay"),
            ],
            check=True,
            capture_output=True,
        )
        installed = distributions(python) - before
        untrimmed = mib(site_packages(python), _VENV_OWN)
        subprocess.run(
            [str(folder / "venv" / "bin" / "inviteonce-relay"), "trim-locale-data"],
            check=True,
            capture_output=True,
        )
        relay_site = mib(site_packages(python), _VENV_OWN)
        desktop_site = mib(Path(sysconfig.get_path("purelib")), _VENV_OWN)
        starts = [
            start_ms(folder / "venv" / "bin" / "inviteonce-relay", folder) for _ in range(STARTS)
        ]
    print(
        json.dumps(
            {
                "relay_packages": len(installed),
                "relay_site_mib": relay_site,
                "relay_untrimmed_mib": untrimmed,
                "desktop_site_mib": desktop_site,
                "relay_start_ms": round(statistics.median(starts), 1),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
