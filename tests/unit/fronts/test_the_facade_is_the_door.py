"""The window and the command line ask the facade, never a service behind it."""

from __future__ import annotations

import ast
from pathlib import Path

import inviteonce_desktop
from inviteonce_desktop.application import facade

PACKAGE = Path(inviteonce_desktop.__file__).parent
FRONTS = [*sorted((PACKAGE / "ui").rglob("*.py")), *sorted((PACKAGE / "cli").rglob("*.py"))]


def _wired_parts() -> set[str]:
    """The names the facade gives its services in ``__init__``."""
    tree = ast.parse(Path(facade.__file__).read_text(encoding="utf-8"))
    init = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    )
    return {
        target.attr
        for node in ast.walk(init)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute)
    }


def _names_the_app(node: ast.expr) -> bool:
    """``app``, ``self.app``, ``self._app``, ``window.app``: the facade, by how fronts hold it."""
    if isinstance(node, ast.Name):
        return node.id in ("app", "_app")
    return isinstance(node, ast.Attribute) and node.attr in ("app", "_app")


def _reaches(source: str, parts: set[str]) -> list[str]:
    """Each ``app.<service>`` in *source*, as ``line: .service``."""
    return [
        f"{node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in parts and _names_the_app(node.value)
    ]


def test_the_facade_wires_its_services() -> None:
    assert {"invitations", "calendars", "worker", "relay", "mail", "workspace"} <= _wired_parts()


def test_no_front_reaches_past_the_facade() -> None:
    parts = _wired_parts()
    assert FRONTS
    found = [
        f"{path.relative_to(PACKAGE)}:{hit}"
        for path in FRONTS
        for hit in _reaches(path.read_text(encoding="utf-8"), parts)
    ]
    assert found == []


def test_the_check_sees_a_front_that_reaches_in() -> None:
    source = "def f(self, app):\n    app.worker.retry_now()\n    return self._app.invitations\n"
    assert sorted(_reaches(source, _wired_parts())) == ["2: .worker", "3: .invitations"]
