"""Composing the product's emails from the templates in resources/templates/email."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..assets import resources_root
from ..core.languages import Language
from ..core.profile import Profile
from ..core.timezones import zone

if TYPE_CHECKING:
    from email.message import EmailMessage
from ..store.settings import Settings
from ..store.workspace import Workspace


@cache
def _environment(html: bool) -> Any:
    from jinja2 import Environment, StrictUndefined, select_autoescape
    from markupsafe import Markup

    environment = Environment(
        autoescape=select_autoescape(default=html, default_for_string=html),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["strong"] = (
        (lambda text: Markup("<strong>%s</strong>") % text) if html else (lambda text: text)
    )
    return environment


def email_language(code: str | None) -> Language:
    """The emails' catalog (``resources/locales/<code>/LC_MESSAGES/emails.po``) in *code*."""
    return Language.load(Path(str(resources_root())) / "locales", "emails", code)


def _template_gettext(lang: Language, html: bool) -> Any:
    """``_()`` for an email template: in HTML the catalog's text is trusted and the
    values are escaped (as Jinja's own gettext does under autoescaping)."""
    from markupsafe import Markup

    def gettext(message: str, /, **values: object) -> object:
        text = lang.translations.gettext(message)
        if not html:
            return text % values if values else text
        return Markup(text) % values if values else Markup(text)

    return gettext


_MESSAGE_ID_TAG = "message_id_tag"


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(name: str, title: str, /, *, lang: Language, **values: object) -> Rendered:
    """The email *name* in *lang*: its templates call ``_()`` for every text;
    *title* (the subject) comes translated by the caller."""
    folder = resources_root() / "templates" / "email"
    text_source = (folder / f"{name}.txt.j2").read_text("utf-8")
    html_source = (folder / f"{name}.html.j2").read_text("utf-8")
    text = (
        _environment(False)
        .from_string(text_source)
        .render(values, lang=lang, _=_template_gettext(lang, False))
    )
    html = (
        _environment(True)
        .from_string(html_source)
        .render(values, lang=lang, _=_template_gettext(lang, True))
    )
    return Rendered(title, text, html)


def duration_text(duration: timedelta, lang: Language) -> str:
    return lang.duration(int(duration.total_seconds() // 60))


def when_text(start: datetime, end: datetime, zone_name: str, lang: Language | None = None) -> str:
    """``Monday, 3 March 2025, 09:00 – 09:30 (Europe/Paris)``, in *lang* (else English)."""
    lang = lang or email_language(None)
    return f"{lang.when(start, end, zone(zone_name))} ({zone_name})"


def slot_label(start: datetime, zone_name: str, lang: Language | None = None) -> str:
    """``Mon 3 Mar, 09:00 (Europe/Paris)``, in *lang* (else English)."""
    lang = lang or email_language(None)
    return f"{lang.short_when(start, zone(zone_name))} ({zone_name})"


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
    method: str = "REQUEST",
) -> EmailMessage:
    """An email with text and HTML parts; names go through Address, never raw headers.

    A calendar file sits inside the multipart/alternative beside the text and
    the HTML, as ``text/calendar; method=…; charset=utf-8`` (where mail clients
    look for a meeting request), and once more as an ``invite.ics`` attachment
    for the clients that only look there; both carry the same UID.
    """
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
        message.add_alternative(
            ics,
            maintype="text",
            subtype="calendar",
            params={"method": method, "charset": "utf-8"},
        )
        message.add_attachment(
            ics,
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    return message
