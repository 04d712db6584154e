from __future__ import annotations

import base64
import re

import pytest

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.relay.branding import (
    Branding,
    brand_css,
    contrast,
    parse_branding,
    readable_on,
)

WHITE = (255, 255, 255)
DARK = (0x1B, 0x1D, 0x22)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _colours(css: str) -> list[tuple[int, int, int]]:
    found = re.findall(r"--(?:on-)?accent:#([0-9a-f]{6})", css)
    return [(int(h[:2], 16), int(h[2:4], 16), int(h[4:], 16)) for h in found]


@pytest.mark.parametrize("accent", ["#ffd400", "#000000", "#ffffff", "#1a56db", "#7f7f7f"])
def test_every_accent_is_made_readable_in_both_schemes(accent: str) -> None:
    light_accent, light_on, dark_accent, dark_on = _colours(brand_css(accent))
    assert contrast(light_accent, WHITE) >= 4.5 and contrast(light_on, light_accent) >= 4.5
    assert contrast(dark_accent, DARK) >= 4.5 and contrast(dark_on, dark_accent) >= 4.5


def test_a_readable_accent_is_kept_as_it_is() -> None:
    assert readable_on(WHITE, (0x1A, 0x56, 0xDB)) == (0x1A, 0x56, 0xDB)


def test_branding_round_trips_and_empty_branding_is_none() -> None:
    body = {
        "accent_color": "#0B7285",
        "photo": "data:image/jpeg;base64," + base64.b64encode(JPEG).decode(),
    }
    branding = parse_branding(body)
    assert branding is not None and branding.accent_color == "#0b7285"
    assert branding.photo is not None and branding.photo.data == JPEG
    assert Branding.from_json(branding.to_json()) == branding
    assert parse_branding(None) is None
    assert parse_branding({"accent_color": None, "logo": None}) is None


@pytest.mark.parametrize(
    "body",
    [
        "blue",
        {"accent_color": "#12345"},
        {"accent_color": 123},
        {"logo": "data:image/jpeg;base64,!!!"},
        {"logo": "data:image/gif;base64,R0lGODlh"},
        {"logo": "data:image/png;base64," + base64.b64encode(JPEG).decode()},
    ],
)
def test_bad_branding_is_refused_with_a_sentence(body: object) -> None:
    with pytest.raises(ValidationError, match=r"\.$"):
        parse_branding(body)
