"""The customer's booking page in Chromium: phone and desktop, keyboard, no scripts,
dark scheme, axe-core on every page kind, and no request to anyone but the relay."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, Playwright, Request, expect

from inviteonce_desktop.relay.branding import brand_css
from tests.e2e.browser_pages import BrowserPages

pytestmark = pytest.mark.browser

NEW_YORK = ZoneInfo("America/New_York")
VIEWPORTS = {"desktop": "Desktop Chrome", "phone": "iPhone 13"}
BRAND = {"accent_color": "#ffd400"}  # a colour unreadable as is, on white
TAP_TARGETS = "a.day.open, a.slot, a.nav, .button, button, select, input, a.back"


@pytest.fixture(scope="module")
def demo(relay_pages: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with relay_pages.demo_relay(tmp_path_factory.mktemp("booking-page")) as running:
        yield running


def _page(pages: BrowserPages, playwright: Playwright, viewport: str, **options: Any) -> Page:
    """The shared page for *viewport* (a device's context, in New York, in English)."""
    device = dict(playwright.devices[VIEWPORTS[viewport]])
    device.pop("default_browser_type", None)
    return pages.page(**device, timezone_id="America/New_York", locale="en-US", **options)


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _starts(demo: Any, relay_pages: ModuleType) -> list[datetime]:
    starts: list[datetime] = relay_pages.weekday_starts(relay_pages.first_working_day(), 24)
    return starts


def _ny(moment: datetime) -> datetime:
    return moment.astimezone(NEW_YORK)


def _expect_booked(demo: Any, page: Page, start: datetime) -> None:
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    local = _ny(start)
    when = page.locator("section.booked .when")
    expect(when).to_contain_text(f"{local:%A}, {local.day} {local:%B %Y}")
    expect(when).to_contain_text(f"{local:%H:%M} – ")
    expect(when).to_contain_text("Eastern Time — New York (UTC−0")
    ics_href = page.get_by_role("link", name="Add to calendar").get_attribute("href")
    assert ics_href is not None
    ics = httpx.get(demo.base_url + ics_href).text
    assert f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}" in ics
    google = page.get_by_role("link", name=re.compile("Google Calendar")).get_attribute("href")
    assert google is not None and f"{start.astimezone(UTC):%Y%m%dT%H%M%SZ}%2F" in google


def test_three_taps_book_on_a_phone_and_a_desktop(
    demo: Any,
    relay_pages: ModuleType,
    browser_pages: BrowserPages,
    playwright: Playwright,
    viewport: str,
) -> None:
    starts = _starts(demo, relay_pages)
    published = demo.publish(demo.fresh_id("taps"), starts)
    page = _page(browser_pages, playwright, viewport)
    page.goto(published["url"])
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
    days = sorted({_ny(s).date() for s in starts})
    second_day = [s for s in starts if _ny(s).date() == days[1]]
    page.locator(f'a.day[data-day="{days[1].isoformat()}"]').click()  # tap 1
    expect(page.locator("#times-title")).to_have_text(
        f"{days[1]:%A}, {days[1].day} {days[1]:%B %Y}"
    )
    expect(page.locator(".slot")).to_have_count(len(second_day))
    page.locator(".slot").nth(1).click()  # tap 2
    expect(page.get_by_role("heading", name="Confirm this time")).to_be_visible()
    page.get_by_role("button", name="Confirm booking").click()  # tap 3
    _expect_booked(demo, page, second_day[1])


def test_a_keyboard_alone_books(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, playwright: Playwright
) -> None:
    starts = _starts(demo, relay_pages)
    published = demo.publish(demo.fresh_id("keys"), starts)
    page = _page(browser_pages, playwright, "desktop")
    page.goto(published["url"])
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-day]')"):
            break
    focused = page.locator(":focus")
    expect(focused).to_have_class(re.compile(r"\bselected\b"))
    outline = focused.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("ArrowDown")  # the same weekday, a week later
    days = sorted({_ny(s).date() for s in starts})
    week_later = days[0].toordinal() + 7
    expect(page.locator(":focus")).to_have_attribute(
        "data-day", datetime.fromordinal(week_later).date().isoformat()
    )
    page.keyboard.press("Enter")
    expect(page.locator("a.day.selected")).to_be_focused()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.slot')"):
            break
    expect(page.locator(":focus")).to_have_class("slot")
    page.keyboard.press(" ")  # a time works like a button
    expect(page.get_by_role("heading", name="Confirm this time")).to_be_visible()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('form.book button')"):
            break
    page.keyboard.press("Enter")
    chosen = [s for s in starts if _ny(s).date().toordinal() == week_later][0]
    _expect_booked(demo, page, chosen)


def test_without_scripts_a_customer_still_chooses_a_zone_a_day_and_books(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, playwright: Playwright
) -> None:
    starts = _starts(demo, relay_pages)
    published = demo.publish(demo.fresh_id("noscript"), starts)
    page = _page(browser_pages, playwright, "phone", java_script_enabled=False)
    page.goto(published["url"])
    assert "js" not in (page.locator("html").get_attribute("class") or "")
    page.locator("#tz").select_option("America/New_York")
    page.get_by_role("button", name="Show times").click()
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
    days = sorted({_ny(s).date() for s in starts})
    page.locator(f'a.day[data-day="{days[2].isoformat()}"]').click()
    page.wait_for_url(re.compile(rf"day={days[2].isoformat()}"))
    expect(page.locator("td[aria-selected=true] a")).to_have_attribute(
        "data-day", days[2].isoformat()
    )
    page.locator(".slot").first.click()
    page.get_by_role("button", name="Confirm booking").click()
    _expect_booked(demo, page, [s for s in starts if _ny(s).date() == days[2]][0])


def test_the_zone_list_is_searchable_and_every_time_follows_it(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, playwright: Playwright
) -> None:
    starts = _starts(demo, relay_pages)
    published = demo.publish(demo.fresh_id("search"), starts)
    page = _page(browser_pages, playwright, "desktop")
    page.goto(published["url"])
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
    first = page.locator("#tz option").first
    expect(first).to_have_text(re.compile(r"^Eastern Time — New York \(UTC−0[45]:00\)$"))
    search = page.get_by_label("Search time zones")
    search.fill("yerevan")
    expect(page.locator("#tz option:not([hidden])")).to_have_text(
        [re.compile(r"^Yerevan, Asia \(UTC\+04:00\)$")]
    )
    search.fill("japan")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"tz=Asia%2FTokyo"))
    tokyo = starts[0].astimezone(ZoneInfo("Asia/Tokyo"))
    expect(page.locator(".slot").first).to_have_text(f"{tokyo:%H:%M}")
    page.locator(".slot").first.click()
    expect(page.locator("section .when")).to_contain_text("Japan Standard Time — Tokyo (UTC+09:00)")


def test_on_a_phone_nothing_scrolls_sideways_and_targets_are_big_enough(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, playwright: Playwright
) -> None:
    page = _page(browser_pages, playwright, "phone")
    assert page.viewport_size is not None and page.viewport_size["width"] == 390
    for kind, opener in relay_pages.page_openers(demo, BRAND).items():
        opener(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, kind
        small = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
                .filter(([, r]) => r.width < 44 || r.height < 44)
                .map(([html]) => html)""",
            TAP_TARGETS,
        )
        assert small == [], kind


def _in_scheme(page: Page, scheme: str) -> None:
    """Switches the page's colour scheme in place and lets the colour transitions end
    (axe would read the colours halfway)."""
    page.emulate_media(color_scheme=scheme)
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches") == (
        scheme == "dark"
    )
    page.evaluate(
        "() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))"
    )


@pytest.mark.slow
def test_axe_finds_nothing_serious_on_any_page_kind(
    demo: Any,
    relay_pages: ModuleType,
    browser_pages: BrowserPages,
    playwright: Playwright,
    axe_source: str,
    viewport: str,
) -> None:
    """Every page kind in the light and the dark scheme, plain in both viewports and branded
    on the desktop (a brand changes colours and the logo, which axe reads the same at any
    width): each page is opened once, checked by every rule in the light scheme, and
    switched in place to the dark one for the rules a scheme can change."""
    page = _page(browser_pages, playwright, viewport)
    requests: list[str] = []

    def note(request: Request) -> None:
        requests.append(request.url)

    page.on("request", note)
    try:
        found: dict[str, Any] = {}
        for branding in (None, BRAND) if viewport == "desktop" else (None,):
            for kind, opener in relay_pages.page_openers(demo, branding).items():
                page.emulate_media(color_scheme="light")
                opener(page)
                for scheme, rules in (("light", ()), ("dark", relay_pages.SCHEME_RULES)):
                    _in_scheme(page, scheme)
                    violations = relay_pages.axe_serious(page, axe_source, rules)
                    if violations:
                        found[f"{kind}{' branded' if branding else ''} {scheme}"] = violations
        assert found == {}
        assert [url for url in requests if not url.startswith(demo.base_url + "/")] == []
    finally:
        page.remove_listener("request", note)
        page.emulate_media(color_scheme="light")


def test_the_dark_scheme_is_dark_and_the_light_one_light(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, playwright: Playwright
) -> None:
    published = demo.publish(demo.fresh_id("dark"), _starts(demo, relay_pages))
    backgrounds = {}
    page = _page(browser_pages, playwright, "desktop")
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)  # before the page loads, as a setting is
            page.goto(published["url"])
            backgrounds[scheme] = page.locator(".card").evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
    finally:
        page.emulate_media(color_scheme="light")
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(27, 29, 34)"}


def test_reduced_motion_turns_transitions_off(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, playwright: Playwright
) -> None:
    published = demo.publish(demo.fresh_id("motion"), _starts(demo, relay_pages))
    durations = {}
    page = _page(browser_pages, playwright, "desktop")
    try:
        for motion in ("no-preference", "reduce"):
            page.emulate_media(reduced_motion=motion)  # before the page loads
            page.goto(published["url"])
            durations[motion] = page.locator(".slot").first.evaluate(
                "e => getComputedStyle(e).transitionDuration"
            )
    finally:
        page.emulate_media(reduced_motion="no-preference")
    assert durations["reduce"] == "0s" and durations["no-preference"] != "0s"


def test_branding_comes_from_the_relay_and_nothing_else_of_the_organizer(
    demo: Any,
    relay_pages: ModuleType,
    browser_pages: BrowserPages,
    playwright: Playwright,
    tmp_path: Path,
) -> None:
    logo = relay_pages.data_url(relay_pages.square_png((200, 30, 30)))
    branding = {"accent_color": "#0b7285", "logo": logo}
    published = demo.publish(demo.fresh_id("brand"), _starts(demo, relay_pages), branding=branding)
    page = _page(browser_pages, playwright, "desktop")
    page.goto(published["url"])
    image = page.locator("img.logo")
    expect(image).to_be_visible()
    src = image.get_attribute("src")
    assert src is not None and src.startswith(f"/i/{published['token']}/logo")
    assert image.evaluate("e => e.naturalWidth") == 64
    accent = page.locator("a.day.selected").evaluate("e => getComputedStyle(e).backgroundColor")
    shade = re.search(r"--accent:#(\w\w)(\w\w)(\w\w)", brand_css("#0b7285"))
    assert shade is not None
    assert accent == "rgb({}, {}, {})".format(*(int(h, 16) for h in shade.groups()))


def test_months_change_in_place_and_the_back_button_returns(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, playwright: Playwright
) -> None:
    first = relay_pages.first_working_day()
    starts = relay_pages.weekday_starts(first, 3)
    later = relay_pages.weekday_starts(first.replace(day=1) + timedelta(days=45), 3)
    published = demo.publish(demo.fresh_id("months"), starts + later)
    page = _page(browser_pages, playwright, "phone")
    page.goto(published["url"])
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
    this_month = page.locator("#month-title").inner_text()
    page.get_by_role("link", name=re.compile("^Next month")).click()
    next_day = _ny(later[0]).date()
    expect(page.locator("#month-title")).to_have_text(f"{next_day:%B %Y}")
    expect(page).to_have_url(re.compile(rf"month={next_day:%Y-%m}"))
    expect(page.locator("#times-title")).to_have_text(
        f"{next_day:%A}, {next_day.day} {next_day:%B %Y}"
    )
    page.go_back()
    expect(page.locator("#month-title")).to_have_text(this_month)
