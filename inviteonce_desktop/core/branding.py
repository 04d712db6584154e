"""The organizer's branding on the booking page: an accent colour, a logo, a photo.

Only raster images (PNG, JPEG, WebP), recognised by their first bytes, of at
most 100 KB: an SVG could carry scripts, and a large image would slow every
customer's page. The relay checks the same rules again on its side.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from .errors import ValidationError

MAX_IMAGE_BYTES = 100_000
ACCENT_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def image_type(data: bytes) -> str | None:
    """``image/png``, ``image/jpeg`` or ``image/webp`` by the data's signature."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_image(data: bytes, what: str) -> str:
    """The image's media type, or a ValidationError saying what is wrong."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(f"The {what} is larger than 100 KB; please use a smaller image.")
    media_type = image_type(data)
    if media_type is None:
        raise ValidationError(f"The {what} must be a PNG, JPEG or WebP image.")
    return media_type


def check_accent(value: str) -> str:
    """*value* as ``#rrggbb`` in lower case, or a ValidationError."""
    cleaned = value.strip()
    if not ACCENT_COLOUR.fullmatch(cleaned):
        raise ValidationError(
            f"The accent colour '{cleaned[:20]}' must be written as #rrggbb, e.g. #0b7285."
        )
    return cleaned.lower()


def _data_url(data: bytes) -> str:
    return f"data:{image_type(data)};base64,{base64.b64encode(data).decode()}"


@dataclass(frozen=True, slots=True)
class Branding:
    accent_color: str | None = None
    logo: bytes | None = None
    photo: bytes | None = None

    def __post_init__(self) -> None:
        if self.accent_color is not None:
            object.__setattr__(self, "accent_color", check_accent(self.accent_color))
        if self.logo is not None:
            check_image(self.logo, "logo")
        if self.photo is not None:
            check_image(self.photo, "photo")

    @property
    def empty(self) -> bool:
        return self.accent_color is None and self.logo is None and self.photo is None

    def to_offer(self) -> dict[str, Any]:
        """The ``branding`` field of a relay offer."""
        return {
            "accent_color": self.accent_color,
            "logo": _data_url(self.logo) if self.logo else None,
            "photo": _data_url(self.photo) if self.photo else None,
        }

    def to_json(self) -> dict[str, Any]:
        def encoded(data: bytes | None) -> str | None:
            return base64.b64encode(data).decode() if data else None

        return {
            "accent_color": self.accent_color,
            "logo": encoded(self.logo),
            "photo": encoded(self.photo),
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Branding:
        def decoded(value: object) -> bytes | None:
            return base64.b64decode(value) if isinstance(value, str) and value else None

        return Branding(
            data.get("accent_color"), decoded(data.get("logo")), decoded(data.get("photo"))
        )
