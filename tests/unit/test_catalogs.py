"""Every text the booking page and the emails pass to ``_()`` is translated in each
catalog (``make catalogs`` adds new ones to the .po files; translate them there)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _catalogs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogs"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


CATALOGS = _catalogs()
_extract = CATALOGS.extracted
_extracted: dict[str, object] = {}


def _extracted_once(domain: object) -> object:
    """Each domain's texts are extracted once for all its catalogs' tests."""
    name: str = domain.name  # type: ignore[attr-defined]
    if name not in _extracted:
        _extracted[name] = _extract(domain)
    return _extracted[name]


CATALOGS.extracted = _extracted_once


@pytest.mark.parametrize("code", CATALOGS.TRANSLATED)
@pytest.mark.parametrize("domain", CATALOGS.DOMAINS, ids=lambda d: d.name)
def test_every_text_is_translated(domain: object, code: str) -> None:
    assert CATALOGS.untranslated(domain, code) == []


@pytest.mark.parametrize("code", CATALOGS.TRANSLATED)
@pytest.mark.parametrize("domain", CATALOGS.DOMAINS, ids=lambda d: d.name)
def test_translations_keep_every_placeholder(domain: object, code: str) -> None:
    with CATALOGS.po_path(domain, code).open("rb") as source:
        catalog = read_po(source, locale=code)
    assert list(catalog.check()) == []  # Babel's python-format checker
    found = [m for m in catalog if m.id]
    assert found and not any(m.fuzzy for m in found)


def test_extraction_finds_the_pages_and_the_emails_texts() -> None:
    relay, emails = (CATALOGS.extracted(d) for d in CATALOGS.DOMAINS)
    assert "Confirm booking" in relay and "Search time zones" in relay
    assert "Hello %(name)s," in emails and "Confirmed: %(title)s" in emails
