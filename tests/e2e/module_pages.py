"""Pages that a test module's browser tests share."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page


class ModulePages:
    """One page per set of context options, kept open for a module's tests: a new page is a
    new renderer process and a first load, the dearest thing a test asks of Chromium. Each
    test gets its page without cookies, and navigates it itself."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._open: dict[str, Page] = {}

    def page(self, **options: Any) -> Page:
        key = repr(sorted(options.items()))
        page = self._open.get(key)
        if page is None or page.is_closed():
            page = self._browser.new_context(**options).new_page()
            self._open[key] = page
        page.context.clear_cookies()
        return page

    def close(self) -> None:
        pages, self._open = list(self._open.values()), {}
        if self._browser.is_connected():
            for page in pages:
                page.context.close()
