"""The message catalogs: every ``_()``/``gettext`` text extracted with Babel into
each language's ``.po`` file, keeping the translations already made.

    .venv/bin/python scripts/catalogs.py          # update the .po files
    .venv/bin/python scripts/catalogs.py --check  # exit 1 while a text is untranslated

The relay's pages (``relay`` domain) and the desktop's emails (``emails``) have
a catalog each; the programs read the ``.po`` files as they are, so there is
nothing to compile.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = ("de", "fr", "es")
_JINJA = {"extensions": "", "trimmed": "false"}
# The header's dates stay put, so that updating changes a .po file only where a text did.
_FIXED_DATE = datetime(2026, 12, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Domain:
    name: str
    folder: Path
    catalogs: Path
    methods: list[tuple[str, str]]


DOMAINS = (
    Domain(
        "relay",
        ROOT / "inviteonce_desktop" / "relay",
        ROOT / "inviteonce_desktop" / "relay" / "locales",
        [("templates/**.html", "jinja2"), ("*.py", "python")],
    ),
    Domain(
        "emails",
        ROOT,
        ROOT / "resources" / "locales",
        [
            ("resources/templates/email/**.j2", "jinja2"),
            ("inviteonce_desktop/application/**.py", "python"),
        ],
    ),
)


def extracted(domain: Domain) -> Catalog:
    catalog = Catalog(domain=domain.name, project="InviteOnce", charset="utf-8")
    found = extract_from_dir(
        domain.folder,
        method_map=domain.methods,
        options_map={pattern: _JINJA for pattern, method in domain.methods if method == "jinja2"},
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(domain: Domain, code: str) -> Path:
    return domain.catalogs / code / "LC_MESSAGES" / f"{domain.name}.po"


def untranslated(domain: Domain, code: str) -> list[str]:
    """The extracted texts that *code*'s catalog lacks or leaves empty."""
    path = po_path(domain, code)
    have = Catalog(locale=code)
    if path.is_file():
        with path.open("rb") as source:
            have = read_po(source, locale=code)
    missing = []
    for message in extracted(domain):
        if not message.id:
            continue
        found = have.get(message.id, message.context)
        strings = found.string if found is not None else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(str(message.id))
    return missing


def update(domain: Domain, code: str) -> None:
    path = po_path(domain, code)
    template = extracted(domain)
    if path.is_file():
        with path.open("rb") as source:
            catalog = read_po(source, locale=code, domain=domain.name)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=code, domain=domain.name, project="InviteOnce")
        catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    catalog.header_comment = f"# InviteOnce: the {domain.name} catalog in {code}."
    catalog.version = "1"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "InviteOnce Desktop developers"
    catalog.language_team = f"{catalog.locale_identifier} <{code}@inviteonce.invalid>"
    catalog.revision_date = catalog.creation_date = _FIXED_DATE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        write_po(target, catalog, width=100, omit_header=False, sort_output=True)


def main(argv: list[str]) -> int:
    if "--check" in argv:
        gaps = [
            f"{domain.name}/{code}: {text}"
            for domain in DOMAINS
            for code in TRANSLATED
            for text in untranslated(domain, code)
        ]
        print("\n".join(gaps) or "Every text is translated.")
        return 1 if gaps else 0
    for domain in DOMAINS:
        for code in TRANSLATED:
            update(domain, code)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
