"""A real Chromium (Debian's) driven by Playwright, one per test process, and pages that the
process's browser tests share.

Launching Playwright and Chromium costs seconds of CPU, so a process starts them for its
first browser test and keeps them across modules. Playwright's sync API keeps an asyncio
loop running in the thread while it is started, which the Qt and asyncio tests cannot share:
both are stopped before any test without the ``browser`` mark runs, and started again for
the next browser test. A module's tests therefore all bear the mark.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Browser, Playwright, PlaywrightContextManager, sync_playwright

from tests.e2e.browser_pages import BrowserPages

# The loop's servers, declared here once: one standalone relay and one Radicale per session
# (per xdist worker) for every module here, rather than one per module that imports them.
from tests.integration.loop.parts import radicale, standalone_relay

__all__ = ["radicale", "standalone_relay"]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


class ProcessBrowser:
    """The process's Playwright and Chromium, started on demand, stopped before a test
    that is not a browser test and at the session's end."""

    def __init__(self) -> None:
        self._manager: PlaywrightContextManager | None = None
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._pages: BrowserPages | None = None

    def playwright(self) -> Playwright:
        if self._playwright is None:
            self._manager = sync_playwright()
            self._playwright = self._manager.start()
        return self._playwright

    def browser(self) -> Browser:
        if self._browser is None or not self._browser.is_connected():
            pages = _relay_pages()
            self._browser = self.playwright().chromium.launch(
                executable_path=pages.CHROMIUM, args=pages.CHROMIUM_ARGS
            )
            self._pages = BrowserPages(self._browser)
        return self._browser

    def pages(self) -> BrowserPages:
        self.browser()
        assert self._pages is not None
        return self._pages

    def stop(self) -> None:
        browser, manager = self._browser, self._manager
        self._browser = self._manager = self._playwright = self._pages = None
        try:
            if browser is not None and browser.is_connected():
                browser.close()
        finally:
            if manager is not None:
                manager.__exit__(None, None, None)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if item.get_closest_marker("browser") is None:
            self.stop()

    def pytest_sessionfinish(self) -> None:
        self.stop()


_PROCESS_BROWSER = ProcessBrowser()


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.is_registered(_PROCESS_BROWSER):
        config.pluginmanager.register(_PROCESS_BROWSER, "e2e-process-browser")


@pytest.fixture(scope="module")
def playwright() -> Playwright:
    return _PROCESS_BROWSER.playwright()


@pytest.fixture
def browser_pages() -> Iterator[BrowserPages]:
    pages = _PROCESS_BROWSER.pages()
    try:
        yield pages
    finally:
        pages.release()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed by ``npm install`` in tests/e2e/axe."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing: run `npm install --prefix {AXE.parents[2]}`.")
    return AXE.read_text()


def _relay_pages() -> ModuleType:
    name = "relay_pages"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "relay_pages.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def relay_pages() -> ModuleType:
    """scripts/relay_pages.py: the page kinds, and Chromium's launch, that the screenshots
    and the benchmark use too."""
    return _relay_pages()
