"""The links a customer gets: one to all slots, and one per promoted slot."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .emails import slot_label


@dataclass(frozen=True, slots=True)
class InvitationLinks:
    url: str | None = None
    promoted: list[tuple[datetime, str]] = field(default_factory=list)
    time_zone: str = "UTC"

    def as_text(self) -> str:
        """For the clipboard: the promoted links one per line, or the single link."""
        if not self.url:
            return ""
        if not self.promoted:
            return self.url
        lines = [f"{slot_label(start, self.time_zone)}: {url}" for start, url in self.promoted]
        return "\n".join([*lines, f"More times: {self.url}"])

    def as_html(self) -> str:
        if not self.url:
            return ""
        if not self.promoted:
            return f'<a href="{html.escape(self.url)}">Choose a time</a>'
        items = "".join(
            f'<li><a href="{html.escape(url)}">{html.escape(label)}</a></li>'
            for label, url in ((slot_label(s, self.time_zone), u) for s, u in self.promoted)
        )
        return f'<ul>{items}</ul><p><a href="{html.escape(self.url)}">More times</a></p>'

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "promoted": [[start.isoformat(), url] for start, url in self.promoted],
            "time_zone": self.time_zone,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InvitationLinks:
        return cls(
            data.get("url"),
            [(datetime.fromisoformat(s), u) for s, u in data.get("promoted", [])],
            data.get("time_zone", "UTC"),
        )
