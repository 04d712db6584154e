"""Composing the product's emails from the templates in resources/templates/email."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from ..assets import resource
from ..core.profile import Profile
from ..core.timezones import zone

if TYPE_CHECKING:
    from email.message import EmailMessage
from ..store.settings import Settings
from ..store.workspace import Workspace


@cache
def _environment(html: bool) -> Any:
    from jinja2 import Environment, StrictUndefined, select_autoescape

    return Environment(
        autoescape=select_autoescape(default=html, default_for_string=html),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


_MESSAGE_ID_TAG = "message_id_tag"


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(name: str, title: str, /, **values: object) -> Rendered:
    folder = resource("templates", "email")
    text_source = (folder / f"{name}.txt.j2").read_text("utf-8")
    html_source = (folder / f"{name}.html.j2").read_text("utf-8")
    text = _environment(False).from_string(text_source).render(values)
    html = _environment(True).from_string(html_source).render(values)
    return Rendered(title, text, html)


def duration_text(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def when_text(start: datetime, end: datetime, zone_name: str) -> str:
    tz = zone(zone_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    return f"{a:%A %d %B %Y, %H:%M}-{b:%H:%M} ({zone_name})"


def slot_label(start: datetime, zone_name: str) -> str:
    return f"{start.astimezone(zone(zone_name)):%a %d %b, %H:%M} ({zone_name})"


def workspace_tag(workspace: Workspace) -> str:
    """This workspace's random tag, made once: it keeps its Message-IDs unique in the world."""
    with workspace.session() as session:
        settings = Settings(session)
        stored = settings.get(_MESSAGE_ID_TAG)
        if stored is None:
            stored = {"tag": secrets.token_hex(8)}
            settings.put(_MESSAGE_ID_TAG, stored)
    return str(stored["tag"])


def message_id(kind: str, ident: str, sender: str, tag: str) -> str:
    """The same for every sending of one email; no other workspace's email shares it.

    Mail providers drop a message whose Message-ID they have seen, so ids such as
    invitation 1 of two organizers of one company must differ: *tag* sees to that.
    """
    domain = sender.rpartition("@")[2] or "inviteonce.invalid"
    return f"<{kind}.{ident}.{tag}@{domain}>"


def compose(
    rendered: Rendered,
    *,
    sender: Profile,
    to: tuple[str, str],
    msg_id: str,
    sent_at: datetime,
    ics: bytes | None = None,
) -> EmailMessage:
    """An email with text and HTML parts; names go through Address, never raw headers."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import format_datetime

    message = EmailMessage()
    message["From"] = Address(display_name=sender.name, addr_spec=sender.email)
    message["To"] = Address(display_name=to[0], addr_spec=to[1])
    message["Subject"] = rendered.subject
    message["Message-ID"] = msg_id
    message["Date"] = format_datetime(sent_at)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    if ics is not None:
        message.add_attachment(
            ics.decode("utf-8"),
            subtype="calendar",
            charset="utf-8",
            filename="invite.ics",
            params={"method": "REQUEST"},
        )
    return message
