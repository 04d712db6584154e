"""Pages that the process's browser tests share."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

_WORKS_ON = "[data-recheck]"
"""What marks a page that goes on by itself: the waiting page, which the relay renders with
this attribute whether the browser runs scripts (they poll) or not (the page refreshes)."""


class BrowserPages:
    """Customers' browsers, kept open while the process's browser runs: a browser context
    per customer and set of context options, and its tabs. A new tab costs Chromium two
    renderer processes and its first load of the relay's pages again, the dearest things a
    test asks of it. Each test gets its tabs without cookies and navigates them itself.
    After the test, a tab left on a page that goes on working by itself (the waiting page
    of a held pick reloads until its verdict) is sent to a blank document, so nothing of
    the test runs on behind the next; the others stay where they are, since a blank
    document between two of the relay's pages costs Chromium a renderer for each."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._open: dict[str, tuple[BrowserContext, list[Page]]] = {}
        self._used: list[Page] = []

    def page(self, *, customer: str = "", **options: Any) -> Page:
        """The tab of *customer*'s browser with these context options."""
        (page,) = self.tabs(1, customer=customer, **options)
        return page

    def tabs(self, count: int, *, customer: str = "", **options: Any) -> list[Page]:
        """*count* tabs of one browser context: one customer's browser."""
        if options.get("java_script_enabled") is True:
            del options["java_script_enabled"]  # the default: the same browser
        key = repr((customer, sorted(options.items())))
        context, pages = self._open.get(key) or (self._browser.new_context(**options), [])
        pages[:] = [page for page in pages if not page.is_closed()]
        pages.extend(context.new_page() for _ in range(count - len(pages)))
        self._open[key] = (context, pages)
        context.clear_cookies()
        self._used.extend(pages[:count])
        return pages[:count]

    def release(self) -> None:
        """Stops the tabs used since the last release that would go on working."""
        used, self._used = self._used, []
        for page in dict.fromkeys(used):
            if page.is_closed() or not self._browser.is_connected():
                continue
            if page.locator(_WORKS_ON).count():
                page.goto("about:blank")
