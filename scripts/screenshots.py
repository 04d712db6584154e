"""Render the wizard's steps, the main pages and the customer's booking pages to PNG.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUTPUT_FOLDER]
    .venv/bin/python scripts/screenshots.py --booking-pages [OUTPUT_FOLDER]

Three sets are made, each in its own process (Qt's screen and scale are set at
start): the light palette in OUTPUT_FOLDER and the dark one in OUTPUT_FOLDER/dark,
on a 1920x1200 screen, and scale factor 2 on a 2732x1536 screen (1366x768 logical)
in OUTPUT_FOLDER/2x.
The workspace lives in a temporary folder and the keyring in memory, so nothing
of the user's is read or written. The booking pages come from an embedded relay
in Debian's Chromium: every page kind at a desktop and a phone viewport, in the
light and the dark scheme. Output goes to docs/screenshots/ by default.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
import keyring  # noqa: E402

from inviteonce_desktop.application.demo import seed_demo  # noqa: E402
from inviteonce_desktop.application.facade import InviteOnce  # noqa: E402
from inviteonce_desktop.application.mail_settings import MailSettings  # noqa: E402
from inviteonce_desktop.application.provisioning import Provisioning  # noqa: E402
from inviteonce_desktop.application.sign_ins import CalDavSignIn  # noqa: E402
from inviteonce_desktop.services.memory_keyring import MemoryKeyring  # noqa: E402
from inviteonce_desktop.ui.first_run import FirstRunDialog  # noqa: E402
from inviteonce_desktop.ui.launch import make_qt_app, preferences_for  # noqa: E402
from inviteonce_desktop.ui.main_window import Page  # noqa: E402
from inviteonce_desktop.ui.qt import (  # noqa: E402
    QColor,
    QEventLoop,
    QMessageBox,
    QPalette,
    QWidget,
    QWizard,
)
from inviteonce_desktop.ui.settings.connect_dialog import ConnectDialog  # noqa: E402
from inviteonce_desktop.ui.settings.device_code import DeviceCodeDialog  # noqa: E402
from inviteonce_desktop.ui.shell import Shell  # noqa: E402
from inviteonce_desktop.ui.widgets import select_key  # noqa: E402
from inviteonce_desktop.ui.wizard.pages import PageId  # noqa: E402
from inviteonce_desktop.ui.wizard.wizard import InvitationWizard  # noqa: E402

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
VARIANT = "INVITEONCE_SCREENSHOT_VARIANT"
SCREENS = {
    "light": (1920, 1200),
    "dark": (1920, 1200),
    "2x": (2732, 1536),
}


def dark_palette() -> QPalette:
    """A dark desktop theme, as the Fusion style draws it."""
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1f1f1f",
        QPalette.ColorRole.AlternateBase: "#323232",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#e8e8e8",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#383838",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#2f6fde",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Mid: "#555555",
    }
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


class Camera:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def shoot(self, widget: QWidget, name: str) -> None:
        await asyncio.sleep(0.05)
        path = self.folder / f"{name}.png"
        widget.grab().save(str(path))
        print(path)


async def until(condition: object, seconds: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():  # type: ignore[operator]
        if loop.time() > deadline:
            raise TimeoutError("the window did not get there in time")
        await asyncio.sleep(0.02)


async def wizard_steps(shell: Shell, camera: Camera) -> InvitationWizard:
    app = shell.window._app
    wizard = shell.window.open_wizard()
    wizard.participant_page.name.setText("Dana Customer")
    wizard.participant_page.email.setText("dana@example.com")
    await camera.shoot(wizard, "wizard-0-participant")
    wizard.next()
    details = wizard.details_page
    details.subject.setText("Intro call")
    details.duration.setValue(45)
    details.members.set_checked([m.id for m in app.members()[:2]])
    details.conferencing.setText("https://meet.example.com/alex")
    await camera.shoot(wizard, "wizard-1-meeting-details")
    wizard.next()
    counter = wizard.time_frame_page.counter
    await until(lambda: not counter.pending)
    await camera.shoot(wizard, "wizard-2-time-frame")
    wizard.next()
    page = wizard.notifications_page
    await camera.shoot(wizard, "wizard-3-mail-not-set-up")
    app.mail.configure(MailSettings.from_json({"mode": "smtp", "host": "smtp.example.com"}))
    page.refresh_mail()
    page.by_email.setChecked(True)
    await camera.shoot(wizard, "wizard-3-email-preview")
    app.mail.configure(MailSettings())
    page.refresh_mail()
    page.promote.setChecked(True)
    await until(lambda: page.picker.slots.model().rowCount() > 0)
    page.picker.suggest.click()
    await camera.shoot(wizard, "wizard-3-notifications")
    page.show_advanced.setChecked(True)
    page.promote.setChecked(False)
    await camera.shoot(wizard, "wizard-3-advanced-settings")
    page.show_advanced.setChecked(False)
    page.by_links.setChecked(True)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    await until(lambda: wizard.currentId() == PageId.LINKS)
    await camera.shoot(wizard, "wizard-4-copy-links")
    wizard.accept()
    return wizard


async def book_one(shell: Shell, wizard: InvitationWizard) -> None:
    created = wizard.links_page.created
    assert created is not None and created.links.url
    api = created.links.url.replace("/i/", "/api/v1/i/")
    async with httpx.AsyncClient(timeout=10) as customer:
        slots = (await customer.get(api)).json()["slots"]
        await customer.post(f"{api}/book", json={"start": slots[len(slots) // 2]["start"]})
    meetings = shell.window.activity.meetings.model
    await until(lambda: meetings.rowCount() > 0)


async def main_pages(shell: Shell, camera: Camera) -> None:
    window = shell.window
    window.show_page(Page.SCHEDULE)
    await camera.shoot(window, "main-schedule")
    wizard = await wizard_steps(shell, camera)
    second = window.open_wizard()
    second.participant_page.name.setText("Sam Prospect")
    second.participant_page.email.setText("sam@example.org")
    second.next()
    second.details_page.subject.setText("Pricing questions")
    second.save_draft()
    second.reject()
    window.show_page(Page.ACTIVITY)
    await camera.shoot(window, "activity-invitations")
    await cancel_with_undo(shell, wizard, camera)
    shell.background.start()
    await book_one(shell, wizard)
    window.activity.tabs.setCurrentWidget(window.activity.meetings)
    await camera.shoot(window, "activity-meetings")
    window.show_page(Page.SETTINGS)
    settings = window.settings
    for tab, name in (
        (settings.profile, "settings-profile"),
        (settings.calendars, "settings-calendars"),
        (settings.members, "settings-team-members"),
        (settings.pools, "settings-resource-pools"),
        (settings.mail, "settings-mail"),
        (settings.relay, "settings-relay"),
    ):
        settings.show_tab(tab)
        tab.refresh()
        await camera.shoot(window, name)
    dialog = shell.open_quick_invite()
    dialog.name.setText("Kim Lee")
    dialog.email.setText("kim@example.net")
    await camera.shoot(dialog, "quick-invite")
    dialog.reject()
    first_run = FirstRunDialog(shell.window._app)
    first_run.name.setText("Alex Organizer")
    first_run.email.setText("alex.organizer@example.com")
    first_run.show()
    await camera.shoot(first_run, "first-run")
    first_run.reject()
    await sign_in_dialogs(shell, camera)
    await choose_caldav_calendar(shell, camera)
    await step_two_refreshing(shell, camera)


async def cancel_with_undo(shell: Shell, wizard: InvitationWizard, camera: Camera) -> None:
    """Cancel invitation confirmed: the bar with Undo, before anything is sent; then Undo."""
    page = shell.window.activity.invitations
    created = wizard.links_page.created
    assert created is not None and created.invitation.id is not None
    key = ("invitation", created.invitation.id)
    select_key(page.view, key)
    page.on_cancel_answered(QMessageBox.StandardButton.Yes.value, key, "Dana Customer")
    await camera.shoot(shell.window, "activity-cancel-undo")
    page.undo_bar.undo.click()


async def choose_caldav_calendar(shell: Shell, camera: Camera) -> None:
    """Settings → Calendars with a CalDAV account (Radicale) that has two calendars."""
    import caldav

    app = shell.window._app
    with tempfile.TemporaryDirectory(prefix="inviteonce-radicale-") as folder:
        with radicale(Path(folder)) as url:
            with caldav.DAVClient(url=url, username="alex", password="app-password") as dav:
                principal = dav.principal()
                principal.make_calendar(name="Alex", cal_id="alex")
                principal.make_calendar(name="Alex: customer meetings", cal_id="customers")
            await app.connect_calendar(
                CalDavSignIn(url, "alex", "app-password", "alex.organizer@example.com")
            )
            page = shell.window.settings.calendars
            shell.window.show_page(Page.SETTINGS)
            shell.window.settings.show_tab(page)
            page.refresh()
            page.view.selectRow(1)
            await until(lambda: page.collection.count() > 1)
            await camera.shoot(shell.window, "settings-calendars-choose")
        page.view.selectRow(0)
        for account in app.calendar_accounts():
            app.remove_calendar(account.id)
        page.refresh()


class GatedCalendar:
    """A connected calendar that answers free/busy only when told (Step 2 mid-refresh)."""

    kind = "gated"

    def __init__(self) -> None:
        self.answer = asyncio.Event()

    async def free_busy(self, calendar_ids: Any, start: Any, end: Any) -> dict[str, list[Any]]:
        await self.answer.wait()
        return {calendar_id: [] for calendar_id in calendar_ids}

    async def aclose(self) -> None:
        return None


async def step_two_refreshing(shell: Shell, camera: Camera) -> None:
    """Step 2's first count, from busy time read an hour ago, while the calendar is read."""
    from inviteonce_desktop.application.calendars import CalendarService
    from inviteonce_desktop.core.account_settings import AccountSettings
    from inviteonce_desktop.store.accounts import CalendarAccounts
    from inviteonce_desktop.store.calendar_data import BusyCache

    app = shell.window._app
    gated = GatedCalendar()
    own = app.calendars
    app.calendars = CalendarService(
        app.workspace, app.clock, app.credentials, app.profile_zone, build=lambda _: gated
    )
    member = app.members()[0]
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("google")
        accounts.complete(account_id, member.email, AccountSettings(calendar=member.email))
    app.calendars.map_resource(member.email, account_id, member.email)
    now = app.clock.now()
    with app.workspace.session() as session:
        BusyCache(session).replace(
            {member.key: []},
            now - timedelta(days=1),
            now + timedelta(days=120),
            now - timedelta(minutes=47),
        )
    wizard = shell.window.open_wizard()
    wizard.participant_page.name.setText("Dana Customer")
    wizard.participant_page.email.setText("dana@example.com")
    wizard.next()
    wizard.details_page.subject.setText("Intro call")
    wizard.details_page.members.set_checked([member.id])
    wizard.next()
    counter = wizard.time_frame_page.counter
    await until(lambda: counter.last is not None and counter.refreshing)
    await camera.shoot(wizard, "wizard-2-refreshing")
    gated.answer.set()
    await until(lambda: not counter.pending)
    await asyncio.sleep(0.3)  # the preview of the fresh count comes back
    wizard.done(0)
    app.calendars = own


async def sign_in_dialogs(shell: Shell, camera: Camera) -> None:
    """The connect dialogs as an organizer with the organization's set-up applied sees them."""
    app = shell.window._app
    app.setup.store.save(
        Provisioning(
            google_client_id="1234-abc.apps.googleusercontent.com",
            microsoft_client_id="5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
            microsoft_tenant="contoso.onmicrosoft.com",
            exchange_server="https://mail.contoso.com/EWS/Exchange.asmx",
            exchange_auth="oauth",
        )
    )
    provisioned = app.setup.store.get()
    page = shell.window.settings.calendars
    for kind in ("google", "microsoft", "exchange"):
        dialog = ConnectDialog(kind, page, provisioned)
        if kind == "exchange":
            dialog.edit("email").setText("alex.organizer@contoso.com")
        dialog.show()
        await camera.shoot(dialog, f"connect-{kind}")
        dialog.reject()
    code = DeviceCodeDialog(
        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin "
        "and enter the code F7QK2LMX9 to authenticate.",
        page,
    )
    code.show()
    await camera.shoot(code, "connect-device-code")
    code.reject()


@contextmanager
def radicale(folder: Path) -> Iterator[str]:
    """A Radicale CalDAV server on 127.0.0.1 that lets any user in; its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
        "none",
        "--rights-type",
        "owner_only",
        "--logging-level",
        "warning",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def run(folder: Path) -> int:
    keyring.set_keyring(MemoryKeyring())
    qt_app = make_qt_app()
    if os.environ.get(VARIANT) == "dark":
        qt_app.setStyle("Fusion")
        qt_app.setPalette(dark_palette())
    loop = QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="inviteonce-screenshots-") as home_name:
        home = Path(home_name)
        app = InviteOnce.open(home)
        try:
            seed_demo(app)
            shell = Shell(app, preferences_for(home), tray_available=False)
            shell.window.resize(1040, 680)
            shell.window.show()
            shell.window._restore_geometry()

            async def shoot_all() -> None:
                try:
                    await main_pages(shell, Camera(folder))
                finally:
                    await shell.background.stop()

            loop.run_until_complete(shoot_all())
        finally:
            app.close()
            loop.close()
    return 0


def run_variant(folder: Path, variant: str) -> int:
    """Render one set in a fresh process, on its own screen (and scale)."""
    width, height = SCREENS[variant]
    screen = {"screens": [{"name": variant, "x": 0, "y": 0, "width": width, "height": height}]}
    env = {**os.environ, VARIANT: variant}
    env.pop("QT_SCALE_FACTOR", None)
    if variant == "2x":
        env["QT_SCALE_FACTOR"] = "2"
    with tempfile.TemporaryDirectory(prefix="inviteonce-screen-") as config_folder:
        config = Path(config_folder) / "screen.json"
        config.write_text(json.dumps(screen), "utf-8")
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        return subprocess.run([sys.executable, __file__, str(folder)], env=env).returncode


def main(folder: Path) -> int:
    """The desktop's three sets, each in a process of its own."""
    code = 0
    for variant, where in (("light", folder), ("dark", folder / "dark"), ("2x", folder / "2x")):
        code = code or run_variant(where, variant)
    return code


def booking_pages(folder: Path) -> int:
    """``booking-KIND-VIEWPORT-SCHEME.png`` for every customer page kind, and a few
    in German and French (``…-de.png``, ``…-fr.png``)."""
    from playwright.sync_api import sync_playwright
    from relay_pages import CHROMIUM, CHROMIUM_ARGS, PAGE_KINDS, demo_relay, page_openers

    folder.mkdir(parents=True, exist_ok=True)
    devices = {"desktop": "Desktop Chrome", "phone": "iPhone 13"}
    with (
        tempfile.TemporaryDirectory(prefix="inviteonce-relay-shots-") as relay_home,
        demo_relay(Path(relay_home)) as demo,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        openers = page_openers(demo)
        branded = page_openers(demo, {"accent_color": "#0b7285"})
        for viewport, device_name in devices.items():
            device = dict(playwright.devices[device_name])
            device.pop("default_browser_type", None)
            device["device_scale_factor"] = 1
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    **device, color_scheme=scheme, timezone_id="Europe/London", locale="en-GB"
                )
                page = context.new_page()
                shots = [(kind, openers[kind]) for kind in PAGE_KINDS]
                if scheme == "light":
                    shots.append(("branded", branded["link"]))
                for kind, opener in shots:
                    opener(page)
                    page.mouse.move(0, 0)
                    path = folder / f"booking-{kind}-{viewport}-{scheme}.png"
                    page.screenshot(path=str(path), full_page=True, animations="disabled")
                    print(path)
                context.close()
        # The same pages in a German and a French browser.
        for code, locale, zone_name, kinds in (
            ("de", "de-DE", "Europe/Berlin", ("link", "booked")),
            ("fr", "fr-FR", "Europe/Paris", ("confirm",)),
        ):
            context = browser.new_context(
                viewport={"width": 1280, "height": 800}, timezone_id=zone_name, locale=locale
            )
            page = context.new_page()
            for kind in kinds:
                openers[kind](page)
                page.mouse.move(0, 0)
                path = folder / f"booking-{kind}-desktop-light-{code}.png"
                page.screenshot(path=str(path), full_page=True, animations="disabled")
                print(path)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    only_booking = "--booking-pages" in arguments
    arguments = [a for a in arguments if a != "--booking-pages"]
    output = Path(arguments[0]) if arguments else DEFAULT_OUTPUT
    if os.environ.get(VARIANT):
        sys.exit(run(output))
    status = 0 if only_booking else main(output)
    asyncio.set_event_loop(None)
    sys.exit(status or booking_pages(output))
