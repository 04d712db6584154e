"""The language of a customer's page: the link's ``?lang=``, else the browser's wish.

Every customer-facing string goes through ``_()``: in Python,
``language.gettext("Text with %(name)s", name=…)``; in a template,
``{{ _("Text with %(name)s", name=…) }}`` (and ``ngettext`` for counts). The
catalogs are ``locales/<code>/LC_MESSAGES/relay.po``; ``make catalogs``
extracts new strings into them, and a test fails while one is untranslated.

A page keeps a language the link chose: ``lang_params(request)`` goes into its
own links (``link(...)`` of the page context does it), its forms carry
``lang_keep`` as hidden fields, and a POST's action and redirect keep
``?lang=``. Every template gets ``lang`` (a ``Language``: Babel's ``day``,
``month``, ``time``, ``duration``…) for dates and times.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request

from inviteonce_desktop.core.languages import LANGUAGES, Language, negotiate, supported

CATALOGS = Path(__file__).with_name("locales")
DOMAIN = "relay"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translated later"
    """Marks *message* for the catalog where it is defined; it is translated where shown."""
    return message


def language(code: str | None) -> Language:
    return Language.load(CATALOGS, DOMAIN, code)


def chosen_in_link(request: Request) -> str | None:
    """The language the link itself asks for (``?lang=de``): kept on the page's own links."""
    return supported(request.query_params.get("lang", "")[:8])


def language_of(request: Request) -> Language:
    asked = chosen_in_link(request)
    return language(asked or negotiate(request.headers.get("accept-language")))


def lang_params(request: Request) -> tuple[tuple[str, str], ...]:
    """``(("lang", "de"),)`` when the link chose the language, for links and forms to keep."""
    asked = chosen_in_link(request)
    return (("lang", asked),) if asked else ()


_KEPT = ("day", "month", "slot")


def switcher(
    request: Request, page: str, zone: tuple[tuple[str, str], ...], current: Language
) -> list[tuple[str, str, str]]:
    """Each other language: its code, its own name and *page* (a link page's path) in it,
    with the zone the customer chose and the day, month or time they look at."""
    kept = [(k, request.query_params[k][:20]) for k in _KEPT if k in request.query_params]
    return [
        (code, name, f"{page}?{urlencode([*zone, *kept, ('lang', code)])}")
        for code, name in LANGUAGES.items()
        if code != current.code
    ]
