"""Probes of what InviteOnce needs on this machine, each with its one sentence.

Each probe tries one thing for real (starting Qt in a child process, reading
the keyring, greeting a mail server) and says what it found: fine, or what is
wrong and how to fix it. ``inviteonce doctor`` collects them.
"""

from __future__ import annotations

import ctypes.util
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import aiosmtplib
import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from .credentials import backend_name, is_usable, keyring_advice
from .mail import Security

QT_PROBE_MARK = "qt-platform="
"""The Qt probe prints this, then the name of the platform plugin that started."""
QT_PROBE_TIMEOUT = 60.0

# Libraries Qt needs on Linux, by the name ctypes looks for, with the Debian package.
QT_LINUX_LIBRARIES: Mapping[str, str] = {
    "GL": "libgl1",
    "EGL": "libegl1",
    "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
}
_MISSING_LIBRARY = re.compile(r"lib([\w.+-]+?)\.so[.\d]*: cannot open shared object file")


@dataclass(frozen=True, slots=True)
class Probe:
    ok: bool
    message: str
    """One sentence: what was found, or what is wrong and how to fix it."""


# Qt


def probe_qt(
    probe: Sequence[str],
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    platform: str = sys.platform,
) -> Probe:
    """Runs *probe* (which starts a QGuiApplication and prints its platform) in a child."""
    env = {**environ, "QT_DEBUG_PLUGINS": "1"}
    try:
        done = subprocess.run(
            list(probe), env=env, capture_output=True, text=True, timeout=QT_PROBE_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return Probe(False, f"Qt did not start within {QT_PROBE_TIMEOUT:.0f} s.")
    except OSError as error:
        return Probe(False, f"The Qt check could not run ({error.strerror}).")
    for line in done.stdout.splitlines():
        if done.returncode == 0 and line.startswith(QT_PROBE_MARK):
            plugin = line[len(QT_PROBE_MARK) :]
            return Probe(True, f"Qt starts with the '{plugin}' platform plugin.")
    return Probe(False, _qt_failure(done.stderr, environ, find_library, platform))


def _qt_failure(
    stderr: str,
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None],
    platform: str,
) -> str:
    if "could not connect to display" in stderr:
        return (
            "Qt cannot connect to a display; run it in a desktop session (DISPLAY or "
            "WAYLAND_DISPLAY set), or set QT_QPA_PLATFORM=offscreen for a headless check."
        )
    missing = _missing_packages(stderr, find_library) if platform.startswith("linux") else []
    if missing:
        return (
            f"Qt cannot start: libraries are missing; install them "
            f"(Debian/Ubuntu: sudo apt install {' '.join(missing)})."
        )
    chosen = environ.get("QT_QPA_PLATFORM")
    if chosen:
        return f"Qt cannot start with QT_QPA_PLATFORM={chosen}; unset it or choose another plugin."
    if "ModuleNotFoundError" in stderr:
        return "PySide6 is not installed; reinstall InviteOnce."
    return "Qt cannot start its platform plugin; run with QT_DEBUG_PLUGINS=1 to see why."


def _missing_packages(stderr: str, find_library: Callable[[str], str | None]) -> list[str]:
    packages = [
        package for name, package in QT_LINUX_LIBRARIES.items() if find_library(name) is None
    ]
    for name in _MISSING_LIBRARY.findall(stderr):
        package = QT_LINUX_LIBRARIES.get(name, f"lib{name}")
        if package not in packages:
            packages.append(package)
    return packages


# Keyring


def probe_keyring(backend: KeyringBackend | None = None, platform: str = sys.platform) -> Probe:
    chosen = backend if backend is not None else keyring.get_keyring()
    name = backend_name(chosen)
    if not is_usable(chosen):
        return Probe(False, f"There is no usable keyring ({name}); {keyring_advice(platform)}")
    try:
        chosen.get_password("InviteOnce Desktop", "doctor:probe")
    except KeyringError:
        return Probe(False, f"The keyring ({name}) cannot be read; unlock it and try again.")
    return Probe(True, f"Calendar tokens and passwords are kept in {name}.")


# SMTP


async def probe_smtp(host: str, port: int, security: Security, timeout: float) -> Probe:
    """Connects and says EHLO; the login is left to the first real message."""
    where = f"{host}:{port}"
    client = aiosmtplib.SMTP(
        hostname=host,
        port=port,
        use_tls=security is Security.TLS,
        start_tls=False,
        timeout=timeout,
    )
    try:
        await client.connect()
        await client.ehlo()
        starttls = client.supports_extension("starttls")
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        return Probe(
            False, f"The mail server {where} cannot be reached; check the host, port and security."
        )
    finally:
        client.close()
    if security is Security.STARTTLS and not starttls:
        return Probe(
            False, f"The mail server {where} does not offer STARTTLS; check the port and security."
        )
    return Probe(True, f"The mail server {where} answers ({security.value}).")
