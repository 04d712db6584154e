"""Choosing a language from Accept-Language, and Babel's formats in each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.languages import (
    Language,
    accepted,
    locale_data_needed,
    negotiate,
    supported,
)
from inviteonce_desktop.core.profile import Profile
from inviteonce_desktop.core.timezones import zone

CATALOGS = Path(__file__).resolve().parents[3] / "inviteonce_desktop" / "relay" / "locales"


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
        ("en;q=0.5, es;q=0.9", "es"),  # weights, not order, decide
        ("es-419", "es"),
        ("ja, de;q=0.3", "de"),  # the first one spoken here
        ("ja, zh-CN;q=0.8", "en"),  # none spoken here: English
        ("de;q=0, fr;q=0.1", "fr"),  # q=0 means "not this one"
        ("de;q=nonsense, es", "es"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
        ("<script>, de", "de"),
        ("DE-at", "de"),
    ],
)
def test_accept_language_is_negotiated_by_weight(header: str | None, chosen: str) -> None:
    assert negotiate(header) == chosen


def test_equal_weights_keep_the_browsers_order() -> None:
    assert accepted("fr;q=0.8, es;q=0.8, de") == ["de", "fr", "es"]
    assert accepted("x" * 5000) == []


def test_a_link_names_a_language_by_its_code_or_a_locale() -> None:
    assert [supported(t) for t in ("de", "de-AT", "FR", "es_MX", "en")] == [
        "de", "de", "fr", "es", "en",
    ]  # fmt: skip
    assert [supported(t) for t in ("", None, "pt", "xx-de", "../de")] == [None] * 5


def test_babel_writes_dates_times_and_weekdays_in_each_language() -> None:
    monday = date(2025, 3, 3)
    start = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    end = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
    paris = zone("Europe/Paris")
    expected = {
        "en": ("Monday, 3 March 2025", "March 2025", "09:00 – 10:30", ("Monday", "Mo")),
        "de": ("Montag, 3. März 2025", "März 2025", "09:00 – 10:30", ("Montag", "Mo.")),
        "fr": ("lundi 3 mars 2025", "mars 2025", "09:00 – 10:30", ("lundi", "lu")),
        "es": ("lunes, 3 de marzo de 2025", "marzo de 2025", "9:00 – 10:30", ("lunes", "LU")),
    }
    for code, (day, month, times, first_weekday) in expected.items():
        lang = Language.load(CATALOGS, "relay", code)
        assert lang.day(monday) == day
        assert lang.month(monday) == month
        assert lang.time_range(start.astimezone(paris), end.astimezone(paris)) == times
        assert lang.weekdays()[0] == first_weekday
        assert lang.when(start, end, paris) == f"{day}, {times}"


def test_messages_come_from_the_catalog_with_their_values() -> None:
    german = Language.load(CATALOGS, "relay", "de")
    assert german.gettext("Booked: %(subject)s", subject="Beratung") == "Gebucht: Beratung"
    plural = "%(day)s, %(count)d time", "%(day)s, %(count)d times"
    assert german.ngettext(*plural, 1, day="Mo") == "Mo, 1 Uhrzeit"
    assert german.ngettext(*plural, 3, day="Mo") == "Mo, 3 Uhrzeiten"
    english = Language.load(CATALOGS, "relay", "pt")  # not spoken here: English
    assert english.code == "en"
    assert english.gettext("Booked: %(subject)s", subject="Advice") == "Booked: Advice"


def test_the_locale_data_read_is_each_locale_and_its_parents() -> None:
    assert locale_data_needed() == {"root", "en", "en_001", "en_GB", "de", "fr", "es"}


def test_the_profile_keeps_a_spoken_language_only() -> None:
    assert Profile("Olivia", "olivia@example.com", "UTC").language == "en"
    assert Profile("Olivia", "olivia@example.com", "UTC", "de-AT").language == "de"
    with pytest.raises(ValidationError, match="one of en, de, fr, es"):
        Profile("Olivia", "olivia@example.com", "UTC", "pt")
