"""Server-rendered pages: a Jinja2 environment with autoescaping always on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from .presentation import zone_choices

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
        self._zone_options: str | None = None

    def zone_options(self, selected: str) -> Markup:
        """``<option>`` elements for every zone, *selected* marked."""
        if self._zone_options is None:
            self._zone_options = "".join(
                f"<option>{escape(name)}</option>" for name in zone_choices()
            )
        mark = f"<option>{escape(selected)}</option>"
        options = self._zone_options
        if mark in options:
            options = options.replace(mark, f"<option selected>{escape(selected)}</option>", 1)
        else:
            options = f"<option selected>{escape(selected)}</option>" + options
        return Markup(options)

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self._env.get_template(name).render(**context)
        response = HTMLResponse(html, status_code=status)
        response.headers["cache-control"] = "no-store"
        return response
