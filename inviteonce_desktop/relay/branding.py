"""The organizer's branding on the customer's pages: an accent colour, a logo, a photo.

Images arrive in the offer as ``data:`` URLs, are checked by their first bytes
(PNG, JPEG or WebP only, never SVG, which can carry scripts) and size, and are
served by the relay itself, so a customer's browser asks no one else. The
rules are the core's (``core/branding.py``), checked again here. The
accent colour is adjusted until text in it, and text on it, meets WCAG AA in
both the light and the dark scheme.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from inviteonce_desktop.core.branding import ACCENT_COLOUR, MAX_IMAGE_BYTES, image_type
from inviteonce_desktop.core.errors import ValidationError

_DATA_URL = re.compile(r"data:(image/(?:png|jpeg|webp));base64,([A-Za-z0-9+/=]+)")
_LIGHT_PAGE = (255, 255, 255)
_DARK_PAGE = (0x1B, 0x1D, 0x22)
_FIELDS = {"accent_color", "logo", "photo"}
_TINT = 0.18  # relay.css: --tint-strong


@dataclass(frozen=True, slots=True)
class BrandImage:
    media_type: str
    data: bytes

    @property
    def version(self) -> str:
        """A short digest for the image's URL, so browsers may keep it."""
        return hashlib.sha256(self.data).hexdigest()[:12]

    def to_data_url(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode()}"

    @staticmethod
    def from_data_url(value: object, what: str) -> BrandImage:
        limit = f"The {what} must be a PNG, JPEG or WebP image of at most 100 KB."
        if not isinstance(value, str) or len(value) > MAX_IMAGE_BYTES * 4 // 3 + 64:
            raise ValidationError(limit)
        found = _DATA_URL.fullmatch(value)
        if found is None:
            raise ValidationError(limit)
        try:
            data = base64.b64decode(found.group(2), validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(f"The {what} is not valid base64.") from None
        if len(data) > MAX_IMAGE_BYTES or image_type(data) != found.group(1):
            raise ValidationError(limit)
        return BrandImage(found.group(1), data)


@dataclass(frozen=True, slots=True)
class Branding:
    accent_color: str | None = None
    logo: BrandImage | None = None
    photo: BrandImage | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "accent_color": self.accent_color,
            "logo": self.logo.to_data_url() if self.logo else None,
            "photo": self.photo.to_data_url() if self.photo else None,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Branding:
        return Branding(
            accent_color=data.get("accent_color"),
            logo=BrandImage.from_data_url(data["logo"], "logo") if data.get("logo") else None,
            photo=BrandImage.from_data_url(data["photo"], "photo") if data.get("photo") else None,
        )


def parse_branding(value: object) -> Branding | None:
    """The branding in an offer body, or a ValidationError naming the problem."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError("The field 'branding' must be an object.")
    unknown = sorted(set(value) - _FIELDS)
    if unknown:
        raise ValidationError(f"Unknown branding field '{unknown[0][:40]}'.")
    colour = value.get("accent_color")
    if colour is not None and (not isinstance(colour, str) or not ACCENT_COLOUR.fullmatch(colour)):
        raise ValidationError("The accent colour must be written as #rrggbb.")
    branding = Branding.from_json(value)
    if branding == Branding():
        return None
    return Branding(colour.lower() if colour else None, branding.logo, branding.photo)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _towards(rgb: tuple[int, int, int], target: int, step: float) -> tuple[int, int, int]:
    r, g, b = (round(v + (target - v) * step) for v in rgb)
    return r, g, b


def _mix(colour: tuple[int, int, int], page: tuple[int, int, int]) -> tuple[int, int, int]:
    """The strongest tint of *colour* the stylesheet lays under accent text."""
    r, g, b = (round(c * _TINT + p * (1 - _TINT)) for c, p in zip(colour, page, strict=True))
    return r, g, b


def readable_on(page: tuple[int, int, int], colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """*colour*, darkened or lightened just enough to read (4.5:1) on *page*
    and on its own tint there."""
    target = 0 if luminance(page) > 0.5 else 255
    for step in range(0, 41):
        candidate = _towards(colour, target, step / 40)
        if min(contrast(candidate, page), contrast(candidate, _mix(candidate, page))) >= 4.5:
            return candidate
    return (0, 0, 0) if target == 0 else (255, 255, 255)


def _scheme(page: tuple[int, int, int], accent: tuple[int, int, int]) -> str:
    shade = readable_on(page, accent)
    on = (255, 255, 255) if contrast(shade, (255, 255, 255)) >= 4.5 else (0x11, 0x11, 0x11)
    return f"--accent:{_hex(shade)};--on-accent:{_hex(on)};"


def brand_css(accent_color: str) -> str:
    """The stylesheet that paints the pages in the organizer's accent colour."""
    accent = _rgb(accent_color)
    return (
        f":root{{{_scheme(_LIGHT_PAGE, accent)}}}\n"
        f"@media (prefers-color-scheme: dark){{:root{{{_scheme(_DARK_PAGE, accent)}}}}}\n"
    )
