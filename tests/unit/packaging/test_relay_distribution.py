"""The relay's own distribution holds everything the relay imports, and nothing of the desktop."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RELAY = ROOT / "packaging" / "relay" / "pyproject.toml"

# The module a declared distribution is imported as, where the names differ.
_IMPORTED_AS = {"python-multipart": "multipart", "pyyaml": "yaml"}
# Brought in by a declared distribution and imported by the relay.
_TRANSITIVE = {"markupsafe": "jinja2", "anyio": "starlette", "python_multipart": "multipart"}


def relay_config() -> dict:  # type: ignore[type-arg]
    return tomllib.loads(RELAY.read_text())


def shipped_modules() -> dict[str, Path]:
    """Every module the relay distribution ships, by dotted name."""
    packages = relay_config()["tool"]["setuptools"]["packages"]
    modules: dict[str, Path] = {}
    for package in packages:
        folder = ROOT.joinpath(*package.split("."))
        modules[package] = folder / "__init__.py"
        for path in folder.glob("*.py"):
            if path.name != "__init__.py":
                modules[f"{package}.{path.stem}"] = path
    return modules


def imports_of(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                found.add(target)
                if not node.module:
                    found.update(f"{base}.{alias.name}" for alias in node.names)
            elif node.module:
                found.add(node.module)
    return found


def test_the_relay_imports_only_what_its_distribution_ships() -> None:
    modules = shipped_modules()
    outside = {
        f"{name} imports {target}"
        for name, path in modules.items()
        for target in imports_of(path, name)
        if target.startswith("inviteonce_desktop.")
        and target not in modules
        and not any(target.startswith(f"{m}.") for m in modules if m.endswith("versions"))
    }
    assert not outside


def test_every_outside_library_the_relay_imports_is_a_declared_dependency() -> None:
    declared = {
        _IMPORTED_AS.get(name, name).lower().replace("-", "_")
        for name in (
            re.split(r"[\[<>=!~ ]", d, maxsplit=1)[0].lower()
            for d in relay_config()["project"]["dependencies"]
        )
    }
    libraries = {
        target.split(".")[0].lower()
        for name, path in shipped_modules().items()
        for target in imports_of(path, name)
        if not target.startswith("inviteonce_desktop")
    }
    third_party = {
        library
        for library in libraries
        if library not in sys.stdlib_module_names and library != "__future__"
    }
    missing = {
        library
        for library in third_party
        if library not in declared and _TRANSITIVE.get(library) not in declared
    }
    assert not missing
    assert "pyside6" not in third_party and "httpx" not in third_party


def test_the_relay_and_the_desktop_have_the_same_version() -> None:
    desktop = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert relay_config()["project"]["version"] == desktop


def test_the_relay_distribution_ships_the_relays_templates_and_deploy_files() -> None:
    patterns = relay_config()["tool"]["setuptools"]["package-data"]["*"]
    relay = ROOT / "inviteonce_desktop" / "relay"
    data = [p for p in relay.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert data
    for path in data:
        inside = path.relative_to(relay).as_posix()
        assert any(
            Path(inside).match(pattern.removeprefix("**/"))
            or (pattern.endswith("/*") and inside.startswith(pattern[:-1]))
            for pattern in patterns
        ), inside
