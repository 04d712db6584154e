"""The languages the booking page and the emails speak, and Babel's formatting in each.

Messages live in gettext catalogs (``<folder>/<code>/LC_MESSAGES/<domain>.po``,
English being the messages themselves); they are read with Babel and compiled
in memory once per process, so a clean checkout needs no build step. Dates,
times, weekday and month names and durations come from Babel's CLDR data for
the language's locale, never from ``strftime``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale
    from babel.support import NullTranslations

# Babel (and its CLDR data) is imported by the first text it formats or translates,
# not by importing this module: the desktop window starts without it.

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
"""Each language's code and its name as its speakers write it."""
DEFAULT_LANGUAGE = "en"
# The CLDR locale each language is formatted in: British English writes
# "Monday 3 March" and 24-hour times, as the pages did before they had languages.
LOCALES: dict[str, str] = {"en": "en_GB", "de": "de", "fr": "fr", "es": "es"}

_RANGE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


def supported(text: str | None) -> str | None:
    """The supported language *text* names (``de``, ``de-AT``, ``FR``), else None."""
    if not text:
        return None
    code = text.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def accepted(header: str | None) -> list[str]:
    """The language ranges of an Accept-Language header, most wanted first.

    Ranges with ``q=0`` (not acceptable), ``*`` and malformed parts are left
    out; equal weights keep the order the browser sent them in.
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "")[:1000].split(",")):
        name, _, params = part.strip().partition(";")
        name = name.strip()
        if not _RANGE.match(name):
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = -1.0
        if 0 < weight <= 1:
            ranked.append((-weight, index, name))
    return [name for _, _, name in sorted(ranked)]


def negotiate(header: str | None) -> str:
    """The supported language an Accept-Language header prefers, else English."""
    from babel import negotiate_locale

    found = negotiate_locale(accepted(header), list(LANGUAGES), sep="-")
    return supported(found) or DEFAULT_LANGUAGE


@cache
def _compiled(folder: Path, domain: str, code: str) -> NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    path = folder / code / "LC_MESSAGES" / f"{domain}.po"
    if code == DEFAULT_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=code, domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


@dataclass(frozen=True, slots=True)
class Language:
    """One language: its messages in one catalog, and Babel's formats for its locale."""

    code: str
    translations: NullTranslations

    @classmethod
    def load(cls, folder: Path, domain: str, code: str | None) -> Language:
        chosen = supported(code) or DEFAULT_LANGUAGE
        return cls(chosen, _compiled(folder, domain, chosen))

    @property
    def locale(self) -> Locale:
        return _locale(self.code)

    @property
    def name(self) -> str:
        return LANGUAGES[self.code]

    def gettext(self, message: str, /, **values: object) -> str:
        """*message* in this language, with ``%(name)s`` placeholders filled from *values*."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        text = self.translations.ngettext(singular, plural, count)
        return text % {"count": count, **values}

    # Babel's formats -----------------------------------------------------------

    def day(self, moment: date) -> str:
        """The full date: ``Monday, 3 March 2025``, ``Montag, 3. März 2025``."""
        from babel.dates import format_date

        return format_date(moment, "full", locale=self.locale)

    def month(self, moment: date) -> str:
        """``March 2025``, ``März 2025``, ``marzo de 2025``."""
        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", moment, locale=self.locale)

    def time(self, moment: datetime) -> str:
        from babel.dates import format_time

        return format_time(moment, "short", locale=self.locale)

    def time_range(self, start: datetime, end: datetime) -> str:
        return f"{self.time(start)} – {self.time(end)}"

    def when(self, start: datetime, end: datetime, tz: tzinfo) -> str:
        """``Monday, 3 March 2025, 09:00 – 09:30`` in *tz*."""
        a, b = start.astimezone(tz), end.astimezone(tz)
        return f"{self.day(a.date())}, {self.time_range(a, b)}"

    def short_when(self, start: datetime, tz: tzinfo) -> str:
        """``Mon 3 Mar, 09:00``: a promoted time in a line of an email."""
        from babel.dates import format_skeleton

        local = start.astimezone(tz)
        day = format_skeleton("MMMEd", local, locale=self.locale)
        return f"{day}, {self.time(local)}"

    def weekdays(self) -> list[tuple[str, str]]:
        """Monday to Sunday: each day's full name and its short one for a calendar's head."""
        from babel.dates import get_day_names

        wide = get_day_names("wide", context="stand-alone", locale=self.locale)
        short = get_day_names("short", context="stand-alone", locale=self.locale)
        return [(wide[i], short[i]) for i in range(7)]

    def duration(self, minutes: int) -> str:
        """``30 min``, ``1 hr 30 min``, ``1 Std. 30 Min.``."""
        from babel.units import format_unit

        hours, rest = divmod(minutes, 60)
        parts = []
        if hours:
            parts.append(format_unit(hours, "duration-hour", length="short", locale=self.locale))
        if rest or not hours:
            parts.append(format_unit(rest, "duration-minute", length="short", locale=self.locale))
        return " ".join(parts)


@cache
def _locale(code: str) -> Locale:
    from babel import Locale

    return Locale.parse(LOCALES[code])


def locale_data_needed() -> set[str]:
    """The CLDR locale files (Babel's ``locale-data/<name>.dat``) these languages read:
    each language's locale and the locales it inherits from, up to ``root``."""
    from babel.core import get_global

    parents = get_global("parent_exceptions")
    needed = {"root"}
    for name in LOCALES.values():
        while name != "root":
            needed.add(name)
            name = parents.get(name) or ("_".join(name.split("_")[:-1]) or "root")
    return needed
