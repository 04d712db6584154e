"""Server-rendered pages: a Jinja2 environment with autoescaping always on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from inviteonce_desktop.core.languages import Language

from .languages import lang_params, language_of
from .zone_labels import common_choices, zone_label

_TEMPLATES = Path(__file__).with_name("templates")


class Pages:
    def __init__(self) -> None:
        self._env = Environment(
            loader=FileSystemLoader(_TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._zone_options: dict[str, tuple[int, str]] = {}

    def zone_options(self, selected: str, now: float, lang: Language) -> Markup:
        """``<option>`` elements for the widely used zones, labelled with their
        offset at *now*; *selected* comes first, chosen, whichever zone it is."""
        hour = int(now // 3600)
        cached = self._zone_options.get(lang.code)
        if cached is None or cached[0] != hour:
            at = datetime.fromtimestamp(hour * 3600, UTC)
            choices = common_choices(at, lang)
            cached = (hour, "".join(_option(choice.name, choice.label) for choice in choices))
            self._zone_options[lang.code] = cached
        options = cached[1]
        plain = _option(selected, "")
        start = options.find(plain[:-9])
        if start >= 0:
            end = options.index("</option>", start) + 9
            label = options[start + len(plain) - 9 : end - 9]
            options = options[:start] + options[end:]
        else:
            label = str(escape(zone_label(selected, datetime.fromtimestamp(now, UTC), lang)))
        first = f'<option value="{escape(selected)}" selected>{label}</option>'
        return Markup(first + options)

    def render(
        self, name: str, status: int = 200, *, request: Request, **context: Any
    ) -> HTMLResponse:
        """*name* rendered in the request's language: the templates call ``_()``
        (and ``ngettext``) for every text, and ``lang`` for Babel's formats."""
        lang = language_of(request)
        html = self._env.get_template(name).render(
            lang=lang,
            _=_template_gettext(lang),
            ngettext=_template_ngettext(lang),
            lang_keep=lang_params(request),
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["cache-control"] = "no-store"
        response.headers["vary"] = "Accept-Language"
        return response


def _template_gettext(lang: Language) -> Callable[..., Markup]:
    """``_()`` for templates: the catalog's text is the template's own (trusted), the
    values put into it are escaped, as with Jinja's own gettext under autoescaping."""

    def gettext(message: str, /, **values: object) -> Markup:
        text = Markup(lang.translations.gettext(message))
        return text % values if values else text

    return gettext


def _template_ngettext(lang: Language) -> Callable[..., Markup]:
    def ngettext(singular: str, plural: str, count: int, /, **values: object) -> Markup:
        return Markup(lang.translations.ngettext(singular, plural, count)) % {
            "count": count,
            **values,
        }

    return ngettext


def _option(name: str, label: str) -> str:
    return f'<option value="{escape(name)}">{escape(label)}</option>'
