from __future__ import annotations

import pytest

from inviteonce_desktop.core.branding import Branding, check_accent, check_image
from inviteonce_desktop.core.errors import ValidationError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20


def test_only_small_raster_images_are_accepted() -> None:
    assert check_image(PNG, "logo") == "image/png"
    assert check_image(WEBP, "photo") == "image/webp"
    with pytest.raises(ValidationError, match="must be a PNG, JPEG or WebP image"):
        check_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo")
    with pytest.raises(ValidationError, match="larger than 100 KB"):
        check_image(PNG + b"\x00" * 100_000, "logo")


def test_the_accent_is_a_hex_colour() -> None:
    assert check_accent(" #0B7285 ") == "#0b7285"
    for bad in ("teal", "#0b728", "#0b7285ff", "rgb(1,2,3)"):
        with pytest.raises(ValidationError, match="#rrggbb"):
            check_accent(bad)


def test_branding_round_trips_and_becomes_the_offer_field() -> None:
    branding = Branding("#0B7285", PNG, None)
    assert Branding.from_json(branding.to_json()) == branding
    offer = branding.to_offer()
    assert offer["accent_color"] == "#0b7285" and offer["photo"] is None
    assert offer["logo"].startswith("data:image/png;base64,")
    assert Branding().empty and not branding.empty
