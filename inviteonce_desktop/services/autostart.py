"""Starting InviteOnce when the user logs in, the way each platform does it.

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/inviteonce.desktop``;
- macOS: a LaunchAgent, ``~/Library/LaunchAgents/app.inviteonce.desktop.plist``;
- Windows: the ``InviteOnce`` value of ``HKCU\\...\\CurrentVersion\\Run``.

The entry starts the window in the tray (``--minimized``), so bookings keep
flowing without a window in the way.
"""

from __future__ import annotations

import importlib
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

LABEL = "app.inviteonce.desktop"
_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
_RUN_VALUE = "InviteOnce"


class AutostartError(Exception):
    """The login item could not be written or removed; the message is one sentence."""


def command(data_dir: Path | None) -> list[str]:
    """How the login item starts InviteOnce: the installed program, in the tray."""
    if getattr(sys, "frozen", False):
        program = [sys.executable]
    elif found := shutil.which("inviteonce", path=str(Path(sys.executable).parent)):
        program = [found]
    else:
        program = [sys.executable, "-m", "inviteonce_desktop.cli"]
    extra = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return [*program, *extra, "--minimized"]


class LoginItem(Protocol):
    def enabled(self) -> bool: ...

    def enable(self, argv: Sequence[str]) -> None: ...

    def disable(self) -> None: ...


def _quote_desktop_exec(argv: Sequence[str]) -> str:
    """An Exec= line per the Desktop Entry specification's quoting rules."""

    def one(word: str) -> str:
        if not any(c in word for c in " \t\n\"'\\><~|&;$*?#()`%"):
            return word
        escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
        return '"' + escaped.replace("$", "\\$").replace("%", "%%") + '"'

    return " ".join(one(word) for word in argv)


class XdgAutostart:
    def __init__(self, config_home: Path | None = None) -> None:
        base = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        self.path = base / "autostart" / "inviteonce.desktop"

    def enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, argv: Sequence[str]) -> None:
        text = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=InviteOnce\n"
            "Comment=Keeps bookings, emails and calendar updates flowing\n"
            f"Exec={_quote_desktop_exec(argv)}\n"
            "Icon=inviteonce\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        _write(self.path, text.encode())

    def disable(self) -> None:
        _remove(self.path)


class LaunchAgent:
    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{LABEL}.plist"

    def enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, argv: Sequence[str]) -> None:
        plist = {"Label": LABEL, "ProgramArguments": list(argv), "RunAtLoad": True}
        _write(self.path, plistlib.dumps(plist))

    def disable(self) -> None:
        _remove(self.path)


def _winreg() -> Any:
    """The Windows registry module (typed loosely: mypy on other platforms has no stubs)."""
    return importlib.import_module("winreg")


class WindowsRunKey:
    def enabled(self) -> bool:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
                winreg.QueryValueEx(key, _RUN_VALUE)
        except OSError:
            return False
        return True

    def enable(self, argv: Sequence[str]) -> None:
        winreg = _winreg()
        line = subprocess.list2cmdline(list(argv))
        try:
            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
                winreg.SetValueEx(key, _RUN_VALUE, 0, winreg.REG_SZ, line)
        except OSError as error:
            raise AutostartError(f"The login item could not be saved ({error.strerror}).") from None

    def disable(self) -> None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, _RUN_VALUE)
        except FileNotFoundError:
            return
        except OSError as error:
            raise AutostartError(
                f"The login item could not be removed ({error.strerror})."
            ) from None


def login_item(platform: str = sys.platform) -> LoginItem:
    if platform == "win32":
        return WindowsRunKey()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart()


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".new")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as error:
        raise AutostartError(
            f"The login item could not be saved in {path.parent} ({error.strerror})."
        ) from None


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise AutostartError(
            f"The login item {path} could not be removed ({error.strerror})."
        ) from None


__all__ = ["AutostartError", "LaunchAgent", "LoginItem", "XdgAutostart", "command", "login_item"]
