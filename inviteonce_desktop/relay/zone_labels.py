"""Time zones as people read them: "Eastern Time — New York (UTC−05:00)".

The generic names are those of the CLDR metazones for the zones most
customers live in; any other zone reads as its city and region. Offsets are
the zone's offset at a given instant, so they follow daylight saving time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources

from babel.dates import get_timezone_location, get_timezone_name

from inviteonce_desktop.core.languages import Language
from inviteonce_desktop.core.timezones import zone, zone_names

from .languages import N_, language

_GENERIC: dict[str, tuple[str, ...]] = {
    "Eastern Time": (
        "America/New_York", "America/Toronto", "America/Detroit", "America/Nassau",
        "America/Indiana/Indianapolis", "America/Kentucky/Louisville", "America/Iqaluit",
        "America/Montreal", "America/Nipigon", "America/Thunder_Bay", "America/Panama",
        "America/Jamaica", "America/Cancun", "America/Cayman", "America/Port-au-Prince",
    ),
    "Central Time": (
        "America/Chicago", "America/Winnipeg", "America/Mexico_City", "America/Monterrey",
        "America/Merida", "America/Matamoros", "America/Indiana/Knox", "America/Menominee",
        "America/North_Dakota/Center", "America/Rankin_Inlet", "America/Regina",
        "America/Guatemala", "America/Costa_Rica", "America/El_Salvador",
        "America/Tegucigalpa", "America/Managua", "America/Belize",
    ),
    "Mountain Time": (
        "America/Denver", "America/Edmonton", "America/Boise", "America/Phoenix",
        "America/Yellowknife", "America/Ciudad_Juarez", "America/Cambridge_Bay",
    ),
    "Pacific Time": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana"),
    "Alaska Time": ("America/Anchorage", "America/Juneau", "America/Sitka", "America/Nome"),
    "Hawaii-Aleutian Time": ("Pacific/Honolulu", "America/Adak"),
    "Atlantic Time": (
        "America/Halifax", "America/Puerto_Rico", "America/Santo_Domingo",
        "Atlantic/Bermuda", "America/Barbados", "America/Martinique", "America/Moncton",
    ),
    "Newfoundland Time": ("America/St_Johns",),
    "Brasilia Time": ("America/Sao_Paulo", "America/Bahia", "America/Fortaleza",
                      "America/Recife", "America/Belem"),
    "Argentina Time": ("America/Argentina/Buenos_Aires", "America/Buenos_Aires",
                       "America/Argentina/Cordoba"),
    "Chile Time": ("America/Santiago",),
    "Colombia Time": ("America/Bogota",),
    "Peru Time": ("America/Lima",),
    "Venezuela Time": ("America/Caracas",),
    "Uruguay Time": ("America/Montevideo",),
    "Greenwich Mean Time": (
        "UTC", "Africa/Abidjan", "Africa/Accra", "Africa/Dakar", "Atlantic/Reykjavik",
    ),
    "United Kingdom Time": ("Europe/London", "Europe/Belfast", "Europe/Guernsey",
                            "Europe/Isle_of_Man", "Europe/Jersey"),
    "Ireland Time": ("Europe/Dublin",),
    "Western European Time": ("Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira",
                              "Atlantic/Faroe"),
    "Central European Time": (
        "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam",
        "Europe/Brussels", "Europe/Vienna", "Europe/Zurich", "Europe/Stockholm",
        "Europe/Oslo", "Europe/Copenhagen", "Europe/Warsaw", "Europe/Prague",
        "Europe/Budapest", "Europe/Belgrade", "Europe/Zagreb", "Europe/Ljubljana",
        "Europe/Bratislava", "Europe/Luxembourg", "Europe/Monaco", "Europe/Malta",
        "Europe/Tirane", "Europe/Sarajevo", "Europe/Skopje", "Europe/Podgorica",
        "Europe/Andorra", "Europe/Gibraltar", "Europe/Vaduz", "Europe/San_Marino",
        "Europe/Vatican", "Europe/Busingen", "Africa/Algiers", "Africa/Tunis",
        "Africa/Ceuta", "Arctic/Longyearbyen",
    ),
    "Eastern European Time": (
        "Europe/Athens", "Europe/Bucharest", "Europe/Helsinki", "Europe/Kyiv",
        "Europe/Kiev", "Europe/Riga", "Europe/Tallinn", "Europe/Vilnius", "Europe/Sofia",
        "Europe/Chisinau", "Europe/Mariehamn", "Asia/Nicosia", "Asia/Famagusta",
        "Africa/Cairo", "Asia/Beirut", "Africa/Tripoli", "Europe/Kaliningrad",
    ),
    "Moscow Time": ("Europe/Moscow", "Europe/Minsk", "Europe/Simferopol", "Europe/Kirov"),
    "Turkey Time": ("Europe/Istanbul", "Asia/Istanbul"),
    "Israel Time": ("Asia/Jerusalem", "Asia/Tel_Aviv"),
    "Arabian Time": ("Asia/Riyadh", "Asia/Qatar", "Asia/Kuwait", "Asia/Bahrain",
                     "Asia/Baghdad", "Asia/Aden"),
    "Gulf Standard Time": ("Asia/Dubai", "Asia/Muscat"),
    "Iran Time": ("Asia/Tehran",),
    "Pakistan Time": ("Asia/Karachi",),
    "India Standard Time": ("Asia/Kolkata", "Asia/Calcutta", "Asia/Colombo"),
    "Nepal Time": ("Asia/Kathmandu", "Asia/Katmandu"),
    "Bangladesh Time": ("Asia/Dhaka",),
    "Indochina Time": ("Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Saigon",
                       "Asia/Phnom_Penh", "Asia/Vientiane"),
    "Western Indonesia Time": ("Asia/Jakarta", "Asia/Pontianak"),
    "China Standard Time": ("Asia/Shanghai", "Asia/Macau", "Asia/Chongqing", "Asia/Harbin"),
    "Hong Kong Time": ("Asia/Hong_Kong",),
    "Taipei Time": ("Asia/Taipei",),
    "Singapore Standard Time": ("Asia/Singapore",),
    "Malaysia Time": ("Asia/Kuala_Lumpur", "Asia/Kuching"),
    "Philippine Time": ("Asia/Manila",),
    "Japan Standard Time": ("Asia/Tokyo",),
    "Korean Standard Time": ("Asia/Seoul",),
    "Australian Western Time": ("Australia/Perth",),
    "Australian Central Time": ("Australia/Adelaide", "Australia/Darwin",
                                "Australia/Broken_Hill"),
    "Australian Eastern Time": ("Australia/Sydney", "Australia/Melbourne",
                                "Australia/Brisbane", "Australia/Hobart",
                                "Australia/Canberra", "Australia/Lindeman"),
    "New Zealand Time": ("Pacific/Auckland",),
    "South Africa Standard Time": ("Africa/Johannesburg", "Africa/Maseru", "Africa/Mbabane"),
    "East Africa Time": ("Africa/Nairobi", "Africa/Addis_Ababa", "Africa/Dar_es_Salaam",
                         "Africa/Kampala", "Africa/Mogadishu", "Africa/Djibouti"),
    "Central Africa Time": ("Africa/Maputo", "Africa/Harare", "Africa/Lusaka",
                            "Africa/Lubumbashi", "Africa/Kigali", "Africa/Gaborone"),
    "West Africa Time": ("Africa/Lagos", "Africa/Kinshasa", "Africa/Luanda",
                         "Africa/Douala", "Africa/Niamey"),
}  # fmt: skip
_NAME_OF = {name: generic for generic, names in _GENERIC.items() for name in names}

_REGIONS = {
    "Africa": N_("Africa"),
    "America": N_("Americas"),
    "Antarctica": N_("Antarctica"),
    "Arctic": N_("Arctic"),
    "Asia": N_("Asia"),
    "Atlantic": N_("Atlantic"),
    "Australia": N_("Australia"),
    "Europe": N_("Europe"),
    "Indian": N_("Indian Ocean"),
    "Pacific": N_("Pacific"),
}
_OTHER = N_("Other")
ENGLISH = language("en")


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    name: str
    label: str
    offset_minutes: int


def offset_text(minutes: int) -> str:
    """``UTC−05:00``, ``UTC+05:30``, ``UTC+00:00`` (with a real minus sign)."""
    sign = "−" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def offset_minutes(name: str, at: datetime) -> int:
    offset = at.astimezone(zone(name)).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def city(name: str) -> str:
    """The zone's city as written: ``America/Argentina/Buenos_Aires`` → Buenos Aires."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def place(name: str, lang: Language = ENGLISH) -> str:
    """``Eastern Time — New York``, or ``Yerevan, Asia`` for a zone without a known name.

    In English the names are this module's; in another language, CLDR's
    (through Babel) for the same zones: ``Nordamerikanische Ostküstenzeit — New York``.
    """
    return _place(name, lang.code)


@lru_cache(maxsize=4096)
def _place(name: str, code: str) -> str:
    lang = language(code)
    if name == "UTC":
        return lang.gettext("Coordinated Universal Time")
    generic = _NAME_OF.get(name)
    where = city(name) if code == "en" else _city(name, lang)
    if generic is not None:
        if code != "en":
            generic = get_timezone_name(name, "long", locale=lang.locale, zone_variant="generic")
        return f"{generic} — {where}"
    region = _REGIONS.get(name.split("/", 1)[0], "")
    return f"{where}, {lang.gettext(region)}" if region else where


def _city(name: str, lang: Language) -> str:
    try:
        return str(get_timezone_location(name, locale=lang.locale, return_city=True))
    except LookupError:
        return city(name)


def zone_label(name: str, at: datetime, lang: Language = ENGLISH) -> str:
    """``Eastern Time — New York (UTC−05:00)`` at the instant *at*."""
    return f"{place(name, lang)} ({offset_text(offset_minutes(name, at))})"


@lru_cache(maxsize=1)
def _aliases() -> frozenset[str]:
    """Zone names that are only links to another zone (``Asia/Calcutta``)."""
    try:
        text = (resources.files("tzdata.zoneinfo") / "tzdata.zi").read_text()
    except (ModuleNotFoundError, OSError):
        return frozenset()
    return frozenset(line.split()[2] for line in text.splitlines() if line.startswith("L "))


def _choices(names: list[str], at: datetime, lang: Language) -> list[ZoneChoice]:
    at = at.astimezone(UTC)
    choices = [ZoneChoice(n, zone_label(n, at, lang), offset_minutes(n, at)) for n in names]
    return sorted(choices, key=lambda c: (c.offset_minutes, c.label))


def zone_choices(at: datetime, lang: Language = ENGLISH) -> list[ZoneChoice]:
    """UTC and every city zone (no aliases), by offset at *at*, then by label."""
    aliases = _aliases()
    names = [n for n in zone_names() if n.split("/", 1)[0] in _REGIONS and n not in aliases]
    return _choices(["UTC", *names], at, lang)


def common_choices(at: datetime, lang: Language = ENGLISH) -> list[ZoneChoice]:
    """One zone for each widely used time, by offset at *at*: the short list a page shows."""
    return _choices([names[0] for names in _GENERIC.values()], at, lang)


def region_of(name: str, lang: Language = ENGLISH) -> str:
    return lang.gettext(_REGIONS.get(name.split("/", 1)[0], _OTHER))
