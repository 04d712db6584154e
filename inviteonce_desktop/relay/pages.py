"""Server-rendered pages: a Jinja2 environment with autoescaping always on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

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
        self._zone_options: tuple[int, str] | None = None

    def zone_options(self, selected: str, now: float) -> Markup:
        """``<option>`` elements for the widely used zones, labelled with their
        offset at *now*; *selected* comes first, chosen, whichever zone it is."""
        hour = int(now // 3600)
        if self._zone_options is None or self._zone_options[0] != hour:
            at = datetime.fromtimestamp(hour * 3600, UTC)
            self._zone_options = (
                hour,
                "".join(_option(choice.name, choice.label) for choice in common_choices(at)),
            )
        options = self._zone_options[1]
        plain = _option(selected, "")
        start = options.find(plain[:-9])
        if start >= 0:
            end = options.index("</option>", start) + 9
            label = options[start + len(plain) - 9 : end - 9]
            options = options[:start] + options[end:]
        else:
            label = str(escape(zone_label(selected, datetime.fromtimestamp(now, UTC))))
        first = f'<option value="{escape(selected)}" selected>{label}</option>'
        return Markup(first + options)

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self._env.get_template(name).render(**context)
        response = HTMLResponse(html, status_code=status)
        response.headers["cache-control"] = "no-store"
        return response


def _option(name: str, label: str) -> str:
    return f'<option value="{escape(name)}">{escape(label)}</option>'
