"""The wheel ships every package of the tree, and the resources inside the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_listed_packages_are_the_packages_of_the_tree() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "inviteonce_desktop").rglob("__init__.py")
    }
    found.add("inviteonce_desktop.resources")
    assert set(config["packages"]) == found
    assert config["package-dir"] == {"inviteonce_desktop.resources": "resources"}
    assert (ROOT / "resources" / "__init__.py").is_file()
