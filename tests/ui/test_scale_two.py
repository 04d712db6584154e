"""At QT_SCALE_FACTOR=2 on a 2732×1536 screen (1366×768 logical) every window fits, and on
3200×1800 (1600×900 logical).

The windows are made in a process of their own, started with that scale factor and that
screen (Qt's offscreen platform takes the screen from a file), as a user's desktop would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCREENS = [(2732, 1536), (3200, 1800)]
"""Physical pixels; at scale 2, 1366×768 and 1600×900 logical."""
PANEL = 32
"""The desktop's own panel, which the offscreen screen does not have."""
TITLE_BAR = 32
"""The window manager's title bar and borders, outside the window's own size."""

OFFSCREEN_LIMITS = (
    "This plugin does not support propagateSizeHints",
    "No such signal QPlatformNativeInterface::systemTrayWindowChanged",
)
"""What the offscreen platform says of itself (as in pyproject's qt_log_ignore)."""

CHILD = """
import asyncio, json, sys
from pathlib import Path
from inviteonce_desktop.application.demo import seed_demo
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.ui.first_run import FirstRunDialog
from inviteonce_desktop.ui.launch import make_qt_app, preferences_for
from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.qt import QEventLoop, QGuiApplication
from inviteonce_desktop.ui.settings.connect_dialog import ConnectDialog
from inviteonce_desktop.ui.settings.device_code import DeviceCodeDialog
from inviteonce_desktop.ui.settings.mail_dialog import MailSettingsDialog
from inviteonce_desktop.ui.settings.relay_dialog import RelaySettingsDialog
from inviteonce_desktop.ui.shell import Shell

qt_app = make_qt_app()
asyncio.set_event_loop(QEventLoop(qt_app))
home = Path(sys.argv[1])
app = InviteOnce.open(home / "workspace")
seed_demo(app)
shell = Shell(app, preferences_for(home), tray_available=False)
window = shell.window
window.show()
found = {}

def need(name, widget):
    qt_app.processEvents()
    least = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    found[name] = {"minimum": [least.width(), least.height()],
                   "shown": [widget.width(), widget.height()] if widget.isVisible() else None}

for page in Page:
    window.show_page(page)
    need(f"main window, {page.name.lower()}", window)
tabs = window.settings.tabs
for index in range(tabs.count()):
    tabs.setCurrentIndex(index)
    need(f"main window, settings {tabs.tabText(index)}", window)
wizard = window.open_wizard()
for page_id in wizard.pageIds():
    wizard.page(page_id).ensure_built()
need("wizard", wizard)
wizard.done(0)
quick = shell.open_quick_invite()
need("quick invite", quick)
quick.reject()
need("first run", FirstRunDialog(app, window))
for kind in ("google", "microsoft", "exchange", "caldav"):
    need(f"connect {kind}", ConnectDialog(kind, window))
need("device code", DeviceCodeDialog(
    "To sign in, use a web browser to open the page https://microsoft.com/devicelogin "
    "and enter the code ABCD1234 to authenticate.", window))
need("mail sending", MailSettingsDialog(app, shell.bridge, window))
need("relay", RelaySettingsDialog(app, shell.bridge, window))
screen = QGuiApplication.primaryScreen()
available = screen.availableGeometry()
print(json.dumps({"scale": screen.devicePixelRatio(),
                  "available": [available.width(), available.height()], "windows": found}))
"""


@pytest.mark.parametrize("physical", SCREENS, ids=["1366x768", "1600x900"])
def test_every_window_fits_the_screen_at_scale_two(
    tmp_path: Path, physical: tuple[int, int]
) -> None:
    screens = tmp_path / "screens.json"
    screens.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": physical[0],
                        "height": physical[1],
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
        "QT_SCALE_FACTOR": "2",
        "PYTHON_KEYRING_BACKEND": "inviteonce_desktop.services.memory_keyring.MemoryKeyring",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    warnings = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not any(known in line for known in OFFSCREEN_LIMITS)
    ]
    assert not warnings, "\n".join(warnings)
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["scale"] == 2.0
    assert report["available"] == [physical[0] // 2, physical[1] // 2]
    room = (report["available"][0], report["available"][1] - PANEL - TITLE_BAR)
    too_big = {
        name: sizes
        for name, sizes in report["windows"].items()
        if any(
            size is not None and (size[0] > room[0] or size[1] > room[1])
            for size in (sizes["minimum"], sizes["shown"])
        )
    }
    assert len(report["windows"]) >= 20
    assert not too_big, f"larger than {room[0]}×{room[1]}: {too_big}"
