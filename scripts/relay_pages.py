"""Every kind of customer page of a relay, reached in a real browser.

Shared by ``scripts/screenshots.py`` and ``benchmarks/booking_page.py``: starts
an embedded relay on a temporary SQLite file, publishes a few invitations and
opens each page kind (link, day, confirm, booked, taken, expired, cancelled,
unknown) in a Playwright page.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Page

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

CHROMIUM = "/usr/bin/chromium"
# The Chromium features Playwright's own launch disables (its chromiumSwitches): a
# --disable-features of ours replaces that list, so it is repeated here.
_PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
)
# Chromium draws the address bar's suggestion popups as web pages, preloaded in a
# renderer of their own for every window, that is every browser context: most of a
# second of CPU each, for a popup no headless page shows.
_UNSEEN_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=" + ",".join(_PLAYWRIGHT_DISABLED_FEATURES + _UNSEEN_FEATURES),
]
PAGE_KINDS = ("link", "day", "confirm", "booked", "taken", "expired", "cancelled", "unknown")
ORGANIZER_ZONE = "Europe/Paris"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def square_png(rgb: tuple[int, int, int], size: int = 64) -> bytes:
    """A plain square PNG, written by hand so no image library is needed."""
    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def weekday_starts(first: date, days: int, zone_name: str = ORGANIZER_ZONE) -> list[datetime]:
    """Half-hourly starts 09:00–16:30 on the working days from *first*, a few left out."""
    tz = ZoneInfo(zone_name)
    starts: list[datetime] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for n in range(16):
            if (offset * 7 + n) % 5 == 2:
                continue
            at = datetime.combine(day, time(9, 0), tz) + timedelta(minutes=30 * n)
            starts.append(at)
    return starts


@dataclass
class DemoRelay:
    relay: EmbeddedRelay
    organizer: httpx.Client
    published: int = 0

    def fresh_id(self, name: str) -> str:
        self.published += 1
        return f"{name}-{self.published}"

    @property
    def base_url(self) -> str:
        return self.relay.base_url

    def publish(
        self, invitation_id: str, starts: list[datetime], resource: str = "", **extra: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "subject": "Kitchen planning consultation",
            "duration_minutes": 30,
            "organizer_name": "Ann Organizer",
            "meeting_type": "video",
            "location": "Video call link in the invitation",
            "time_zone": ORGANIZER_ZONE,
            "time_zone_conversion": "customer",
            "fixed_time_zone": None,
            "expires_at": _iso(datetime.now(UTC) + timedelta(days=40)),
            "slots": [
                {
                    "start": _iso(s),
                    "end": _iso(s + timedelta(minutes=30)),
                    "resources": [resource or invitation_id],
                }
                for s in starts
            ],
            "promoted": [],
            **extra,
        }
        response = self.organizer.put(f"/api/v1/offers/{invitation_id}", json=body)
        response.raise_for_status()
        published: dict[str, Any] = response.json()
        return published

    def cancel(self, invitation_id: str) -> None:
        self.organizer.delete(f"/api/v1/offers/{invitation_id}").raise_for_status()


@contextmanager
def demo_relay(folder: Path) -> Iterator[DemoRelay]:
    relay = EmbeddedRelay(
        f"sqlite:///{folder / 'relay.sqlite3'}", settings=RelaySettings(bookings_per_minute=0)
    )
    key = relay.create_organizer("Ann")
    with (
        relay,
        httpx.Client(base_url=relay.base_url, headers={"Authorization": f"Bearer {key}"}) as api,
    ):
        yield DemoRelay(relay, api)


def first_working_day(after_days: int = 2) -> date:
    day = datetime.now(UTC).date() + timedelta(days=after_days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


Opener = Callable[[Page], None]


def page_openers(demo: DemoRelay, branding: dict[str, Any] | None = None) -> dict[str, Opener]:
    """For each page kind, a function that brings a browser page to it.

    Each call publishes fresh invitations, so the openers can run in any
    order and more than once.
    """
    first = first_working_day()
    extra = {"branding": branding} if branding else {}

    def fresh(name: str, **more: Any) -> dict[str, Any]:
        starts = weekday_starts(first, 24)
        return demo.publish(demo.fresh_id(name), starts, **extra, **more)

    def link(page: Page) -> None:
        page.goto(fresh("link")["url"])
        page.wait_for_selector(".slot")

    def day(page: Page) -> None:
        page.goto(fresh("day")["url"] + f"?day={first + timedelta(days=1):%Y-%m-%d}")
        page.wait_for_selector(".slot")

    def confirm(page: Page) -> None:
        published = fresh("confirm")
        page.goto(published["url"])
        page.locator(".slot").nth(2).click()
        page.wait_for_selector("form.book")

    def booked(page: Page) -> None:
        confirm(page)
        page.locator("form.book button").click()
        page.wait_for_selector(".booked")

    def taken(page: Page) -> None:
        starts = weekday_starts(first, 24)
        wanted = starts[3]
        shared = demo.fresh_id("team")
        mine = demo.publish(demo.fresh_id("taken"), starts, shared, **extra)
        rival = demo.publish(demo.fresh_id("rival"), [wanted], shared)
        page.goto(mine["url"])
        page.locator(f'.slot[data-start="{_iso(wanted)}"]').click()
        page.wait_for_selector("form.book")
        httpx.post(
            f"{demo.base_url}/api/v1/i/{rival['token']}/book", json={"start": _iso(wanted)}
        ).raise_for_status()
        page.locator("form.book button").click()
        page.wait_for_selector(".notice")

    def expired(page: Page) -> None:
        page.goto(fresh("expired", expires_at="2020-01-01T00:00:00Z")["url"])

    def cancelled(page: Page) -> None:
        invitation_id = demo.fresh_id("cancelled")
        published = demo.publish(invitation_id, weekday_starts(first, 24), **extra)
        demo.cancel(invitation_id)
        page.goto(published["url"])

    def unknown(page: Page) -> None:
        page.goto(f"{demo.base_url}/i/{'A' * 24}")

    return {
        "link": link,
        "day": day,
        "confirm": confirm,
        "booked": booked,
        "taken": taken,
        "expired": expired,
        "cancelled": cancelled,
        "unknown": unknown,
    }


AXE = Path(__file__).resolve().parent.parent / "tests/e2e/axe/node_modules/axe-core/axe.min.js"
_AXE_RUN = """async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules.length) options.runOnly = {type: "rule", values: rules};
  const result = await axe.run(document, options);
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" "))}));
}"""
SCHEME_RULES = ("color-contrast", "link-in-text-block")
"""The axe rules whose verdict a colour scheme can change: the others read the document,
which is the same in both."""


def axe_serious(page: Page, source: str, rules: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now, of every rule
    or of *rules* alone.

    axe is evaluated through the DevTools protocol, which the page's CSP does
    not govern, so the page itself stays exactly as customers get it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    found: list[dict[str, Any]] = page.evaluate(_AXE_RUN, list(rules))
    return found
