"""Pages that the process's browser tests share."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page


class BrowserPages:
    """One page per set of context options, kept open while the process's browser runs: a
    new page costs Chromium two renderer processes and its first load of the relay's pages
    again, the dearest things a test asks of it. Each test gets its page without cookies
    and navigates it itself; after the test, the pages it used are left on a blank document,
    so nothing of it (a waiting page's reloads, say) runs on behind the next."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._open: dict[str, Page] = {}
        self._used: set[str] = set()

    def page(self, **options: Any) -> Page:
        key = repr(sorted(options.items()))
        page = self._open.get(key)
        if page is None or page.is_closed():
            page = self._browser.new_context(**options).new_page()
            self._open[key] = page
        page.context.clear_cookies()
        self._used.add(key)
        return page

    def release(self) -> None:
        """Leaves the pages used since the last release on a blank document."""
        used, self._used = self._used, set()
        for key in used:
            page = self._open.get(key)
            if page is not None and not page.is_closed() and self._browser.is_connected():
                page.goto("about:blank")
