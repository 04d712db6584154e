"""The organizer's branding, set by ``inviteonce profile brand``, on the customer's page."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import httpx
import pytest

from .parts import Desktop
from .test_cli_loop import MEMBERS, inviteonce, json_of

pytestmark = pytest.mark.slow


def _png(size: int = 16) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = zlib.compress((b"\x00" + b"\x20\x60\xa0" * size) * size)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_branding_set_on_the_cli_reaches_the_booking_page(desktop: Desktop, tmp_path: Path) -> None:
    home = desktop.app.home
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')

    refused = inviteonce(home, "profile", "brand", "--logo", str(svg))
    assert refused.returncode != 0
    assert refused.stderr.strip().endswith("The logo must be a PNG, JPEG or WebP image.")
    wrong = inviteonce(home, "profile", "brand", "--accent", "teal")
    assert wrong.returncode != 0 and "#rrggbb" in wrong.stderr and "Traceback" not in wrong.stderr

    done = inviteonce(home, "profile", "brand", "--accent", "#0B7285", "--logo", str(logo))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Booking page branding: accent #0b7285, logo 1 KB")
    assert desktop.app.branding().logo == logo.read_bytes()

    created = json_of(
        home, "invite", "Carla Customer", "carla@example.org", "-s", "Intro call", *MEMBERS
    )
    page = httpx.get(created["url"])
    assert page.status_code == 200
    logo_url = re.search(r'<img class="logo" src="([^"]+)"', page.text)
    css_url = re.search(r'<link rel="stylesheet" href="(/i/[^"]+/brand\.css[^"]*)"', page.text)
    assert logo_url is not None and css_url is not None
    base = created["url"].split("/i/", 1)[0]
    assert httpx.get(base + logo_url.group(1)).content == logo.read_bytes()
    assert "--accent:#" in httpx.get(base + css_url.group(1)).text

    cleared = inviteonce(home, "profile", "brand", "--no-logo", "--no-accent")
    assert cleared.returncode == 0 and cleared.stdout.strip() == "Booking page branding: none."
