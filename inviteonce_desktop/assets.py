"""Where the shipped resources (icons, templates, styles) are.

An installed wheel carries them as the ``inviteonce_desktop.resources``
package; a source checkout has them in ``resources/`` beside the package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


@cache
def resources_root() -> Traversable:
    try:
        return resources.files("inviteonce_desktop.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Traversable:
    node = resources_root()
    for part in parts:
        node = node / part
    return node
