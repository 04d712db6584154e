"""The booking page in the customer's language, in Chromium: the browser's locale
chooses it (Accept-Language), ``?lang=`` overrides it across the page's links and
forms, Babel writes the dates, and axe-core finds nothing serious in German."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from playwright.sync_api import Page, expect

from tests.e2e.browser_pages import BrowserPages

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
PARIS = ZoneInfo("Europe/Paris")
GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(relay_pages: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with relay_pages.demo_relay(tmp_path_factory.mktemp("languages")) as running:
        yield running


def _page(pages: BrowserPages, locale: str, zone_name: str, **options: Any) -> Page:
    """The shared page for a browser in *locale* and *zone_name*."""
    return pages.page(
        locale=locale, timezone_id=zone_name, viewport={"width": 1280, "height": 900}, **options
    )


def _starts(relay_pages: ModuleType) -> list[datetime]:
    starts: list[datetime] = relay_pages.weekday_starts(relay_pages.first_working_day(), 24)
    return starts


def test_a_german_browser_gets_german_weekdays_months_and_words(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages
) -> None:
    starts = _starts(relay_pages)
    published = demo.publish(demo.fresh_id("de"), starts)
    page = _page(browser_pages, "de-DE", "Europe/Berlin")
    page.goto(published["url"])
    page.wait_for_url(re.compile(r"tz=Europe%2FBerlin"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Datum und Uhrzeit wählen")).to_be_visible()
    heads = page.locator("thead abbr")
    expect(heads).to_have_count(7)
    assert [heads.nth(i).get_attribute("title") for i in range(7)] == [
        "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag",
    ]  # fmt: skip
    first = starts[0].astimezone(BERLIN)
    expect(page.locator("#times-title")).to_have_text(
        format_date(first.date(), "full", locale="de")
    )
    german_month = GERMAN_MONTHS[first.month - 1]
    expect(page.locator("#month-title")).to_have_text(f"{german_month} {first.year}")
    assert re.match(r"^(Montag|Dienstag|Mittwoch|Donnerstag|Freitag), \d+\. \w+ \d{4}$",
                    page.locator("#times-title").inner_text())  # fmt: skip
    expect(page.locator(".slot").first).to_have_text(format_time(first, "short", locale="de"))
    expect(page.locator(".facts")).to_contain_text("Mitteleuropäische")
    # the page's script speaks German too
    expect(page.locator("#tz-search")).to_have_attribute("placeholder", "Zeitzonen durchsuchen")


def test_a_french_customer_books_in_french(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages
) -> None:
    starts = _starts(relay_pages)
    published = demo.publish(demo.fresh_id("fr"), starts)
    page = _page(browser_pages, "fr-FR", "Europe/Paris")
    page.goto(published["url"])
    page.wait_for_selector(".slot")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Choisissez une date et un horaire")).to_be_visible()
    page.locator(".slot").nth(1).click()
    expect(page.get_by_role("heading", name="Confirmer cet horaire")).to_be_visible()
    page.get_by_role("button", name="Confirmer la réservation").click()
    expect(page.get_by_role("heading", name="Votre rendez-vous est réservé")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    chosen = starts[1].astimezone(PARIS)
    when = page.locator("section.booked .when")
    expect(when).to_contain_text(format_date(chosen.date(), "full", locale="fr"))
    expect(when).to_contain_text(f"{format_time(chosen, 'short', locale='fr')} – ")
    expect(when).to_contain_text("heure d’Europe centrale — Paris")
    expect(page.get_by_role("link", name="Ajouter à l’agenda")).to_be_visible()


def test_the_link_parameter_overrides_the_browser_on_every_step(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages
) -> None:
    starts = _starts(relay_pages)
    published = demo.publish(demo.fresh_id("es"), starts)
    page = _page(browser_pages, "de-DE", "Europe/Madrid")
    page.goto(published["url"] + "?lang=es")
    page.wait_for_url(re.compile(r"tz=Europe%2FMadrid"))
    assert "lang=es" in page.url
    expect(page.locator("html")).to_have_attribute("lang", "es")
    days = page.locator("a.day.open")
    days.nth(1).click()  # the calendar's own link, swapped in place by the script
    expect(page.get_by_role("heading", name="Elija una fecha y una hora")).to_be_visible()
    page.locator(".slot").first.click()
    assert "lang=es" in page.url
    expect(page.get_by_role("heading", name="Confirmar este horario")).to_be_visible()
    page.get_by_role("button", name="Confirmar la reserva").click()  # the form keeps it
    expect(page.get_by_role("heading", name="Su reserva está hecha")).to_be_visible()
    assert "lang=es" in page.url
    # the footer offers the other languages, this page in each
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Ihr Termin ist gebucht")).to_be_visible()


@pytest.mark.slow
def test_axe_finds_nothing_serious_on_any_german_page_kind(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages, axe_source: str
) -> None:
    page = _page(browser_pages, "de-DE", "Europe/Berlin")
    found: dict[str, Any] = {}
    for kind, opener in relay_pages.page_openers(demo).items():
        opener(page)
        assert page.locator("html").get_attribute("lang") == "de", kind
        violations = relay_pages.axe_serious(page, axe_source)
        if violations:
            found[kind] = violations
    assert found == {}


def test_without_scripts_the_chosen_language_survives_the_zone_form_and_the_day_links(
    demo: Any, relay_pages: ModuleType, browser_pages: BrowserPages
) -> None:
    starts = _starts(relay_pages)
    published = demo.publish(demo.fresh_id("noscript-es"), starts)
    page = _page(browser_pages, "en-US", "UTC", java_script_enabled=False)
    page.goto(published["url"] + "?lang=es")
    page.locator("#tz").select_option("America/New_York")
    page.get_by_role("button", name="Mostrar horarios").click()  # a GET form
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
    assert "lang=es" in page.url
    page.locator("a.day.open").nth(1).click()  # a plain link without scripts
    page.wait_for_url(re.compile(r"day="))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert "lang=es" in page.url
    page.locator(".slot").first.click()
    page.get_by_role("button", name="Confirmar la reserva").click()
    expect(page.get_by_role("heading", name="Su reserva está hecha")).to_be_visible()
    expect(page.locator(".when-zone")).to_contain_text("hora oriental — Nueva York")
