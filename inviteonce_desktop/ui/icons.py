"""SVG icons from resources/icons, sharp at every scale."""

from __future__ import annotations

from ..assets import resource
from .qt import QIcon


def icon(name: str) -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))
