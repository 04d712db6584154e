"""SVG icons from resources/icons, sharp at every scale.

The icons are drawn in the accent blue; on an accent background (a selected
row, the primary button) the same drawing is shown in white, so an icon never
disappears into its own colour.
"""

from __future__ import annotations

from functools import cache

from ..assets import resource
from .qt import QIcon, QPixmap

ACCENTS = ("#2f6fde", "#1f4fa8")
SIZES = (16, 22, 24, 32, 48)


@cache
def _source(name: str) -> str:
    return resource("icons", f"{name}.svg").read_text("utf-8")


def _white(name: str, size: int) -> QPixmap:
    text = _source(name)
    for accent in ACCENTS:
        text = text.replace(accent, "#ffffff")
    text = text.replace('width="24" height="24"', f'width="{size}" height="{size}"', 1)
    pixmap = QPixmap()
    pixmap.loadFromData(text.encode("utf-8"), "SVG")
    return pixmap


@cache
def icon(name: str, on_accent: bool = False) -> QIcon:
    """The icon; selected, it turns white. *on_accent*: white always (for accent buttons)."""
    result = QIcon() if on_accent else QIcon(str(resource("icons", f"{name}.svg")))
    for size in SIZES:
        white = _white(name, size)
        if on_accent:
            result.addPixmap(white, QIcon.Mode.Normal)
            result.addPixmap(white, QIcon.Mode.Active)
        result.addPixmap(white, QIcon.Mode.Selected)
    return result
