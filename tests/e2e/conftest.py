"""A real Chromium (Debian's) driven by Playwright, one per test module."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

# The loop's servers, declared here once: one standalone relay and one Radicale per session
# (per xdist worker) for every module here, rather than one per module that imports them.
from tests.integration.loop.parts import radicale, standalone_relay

__all__ = ["radicale", "standalone_relay"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def chromium_browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed by ``npm install`` in tests/e2e/axe."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing: run `npm install --prefix {AXE.parents[2]}`.")
    return AXE.read_text()


@pytest.fixture(scope="session")
def relay_pages() -> ModuleType:
    """scripts/relay_pages.py: the page kinds the screenshots and the benchmark use too."""
    name = "relay_pages"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "relay_pages.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
