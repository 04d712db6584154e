"""The customer's booking page in Debian's Chromium: weight, fit, accessibility, privacy.

Starts an embedded relay, publishes invitations, and opens every page kind
(link, day, confirm, booked, taken, expired, cancelled, unknown) at a desktop
and a phone viewport (Playwright's "Desktop Chrome" and "iPhone 13"), in the
light and the dark scheme, plain and with an organizer's accent colour and logo.
Prints one JSON object:

- page_bytes: the link page's HTML, CSS and JS transferred on a first visit
  (headers and bodies, the time-zone detection's reload included);
- phone_overflow_px: the widest horizontal overflow at 390 px on any page kind;
- axe_serious: axe-core's serious and critical violations, summed over every
  page kind, viewport and scheme;
- third_party_requests: requests to any origin but the relay's.

Needs axe-core: ``npm install --prefix tests/e2e/axe``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from playwright.sync_api import Playwright, Request, sync_playwright  # noqa: E402
from relay_pages import (  # noqa: E402
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    DemoRelay,
    axe_serious,
    data_url,
    demo_relay,
    first_working_day,
    page_openers,
    square_png,
    weekday_starts,
)

DEVICES = {"desktop": "Desktop Chrome", "phone": "iPhone 13"}
_WEIGHED = {"document", "stylesheet", "script"}


def _device(playwright: Playwright, name: str) -> dict[str, Any]:
    device = dict(playwright.devices[DEVICES[name]])
    device.pop("default_browser_type", None)
    return device


def _first_visit_bytes(playwright: Playwright, browser: Any, demo: DemoRelay) -> int:
    published = demo.publish(demo.fresh_id("weight"), weekday_starts(first_working_day(), 24))
    context = browser.new_context(
        **_device(playwright, "phone"), timezone_id="America/New_York", locale="en-US"
    )
    finished: list[Request] = []
    try:
        page = context.new_page()
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(published["url"])
        page.wait_for_url("**tz=America%2FNew_York*")
        page.wait_for_load_state("networkidle")
        total = 0
        for request in finished:
            if request.resource_type in _WEIGHED:
                sizes = request.sizes()
                total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total
    finally:
        context.close()


def main() -> None:
    if not AXE.is_file():
        raise SystemExit(f"axe-core is missing: run npm install --prefix {AXE.parents[2]}")
    source = AXE.read_text()
    logo = data_url(square_png((180, 40, 40)))
    brandings = (None, {"accent_color": "#ffd400", "logo": logo, "photo": logo})
    result = {"page_bytes": 0, "phone_overflow_px": 0, "axe_serious": 0, "third_party_requests": 0}
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_relay(Path(folder)) as demo,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result["page_bytes"] = _first_visit_bytes(playwright, browser, demo)
        origin = demo.base_url + "/"
        for viewport in DEVICES:
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    **_device(playwright, viewport),
                    color_scheme=scheme,
                    timezone_id="America/New_York",
                    locale="en-US",
                )
                page = context.new_page()

                def count(request: Request) -> None:
                    if not request.url.startswith(origin):
                        result["third_party_requests"] += 1

                page.on("request", count)
                for branding in brandings:
                    for opener in page_openers(demo, branding).values():
                        opener(page)
                        result["axe_serious"] += len(axe_serious(page, source))
                        if viewport == "phone":
                            overflow = page.evaluate(
                                "() => document.documentElement.scrollWidth - window.innerWidth"
                            )
                            result["phone_overflow_px"] = max(
                                result["phone_overflow_px"], int(overflow)
                            )
                context.close()
        browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
