"""Babel's locale data trimmed to the relay's languages still writes every page's dates."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import babel.localedata
import pytest

from inviteonce_desktop.core.errors import DomainError
from inviteonce_desktop.core.languages import _locale
from inviteonce_desktop.relay.languages import language
from inviteonce_desktop.relay.locale_data import babel_locale_data, trim
from inviteonce_desktop.relay.zone_labels import _place, zone_choices


@pytest.fixture
def trimmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of Babel's locale data, trimmed, and Babel reading only that copy.

    The copy's files are links to Babel's: trimming removes a link, never Babel's file,
    and the 35 MB are not written again for each test.
    """
    folder = tmp_path / "locale-data"
    shutil.copytree(babel_locale_data(), folder, copy_function=os.symlink)
    monkeypatch.setattr(babel.localedata, "_dirname", str(folder))
    monkeypatch.setattr(babel.localedata, "_cache", {})
    _locale.cache_clear()  # no Locale read before from the full data
    _place.cache_clear()
    yield folder
    _locale.cache_clear()
    _place.cache_clear()


def test_trimming_keeps_what_the_four_languages_read(trimmed: Path) -> None:
    before = len(list(trimmed.glob("*.dat")))
    files, size = trim(trimmed)
    assert sorted(p.stem for p in trimmed.glob("*.dat")) == sorted(
        ["root", "en", "en_001", "en_GB", "de", "fr", "es"]
    )
    assert files == before - 7 and size > 20 * 2**20
    assert trim(trimmed) == (0, 0)  # running it again changes nothing
    at = datetime(2026, 3, 2, 12, tzinfo=UTC)
    for code, monday in (("en", "Monday"), ("de", "Montag"), ("fr", "lundi"), ("es", "lunes")):
        lang = language(code)
        assert lang.day(date(2026, 3, 2)).startswith(monday)
        assert lang.weekdays()[0][0].lower() == monday.lower()
        assert lang.duration(90).startswith("1")
        assert len(zone_choices(at, lang)) > 300


def test_locale_data_missing_a_needed_file_is_refused(trimmed: Path) -> None:
    (trimmed / "de.dat").unlink()
    with pytest.raises(DomainError, match="lacks de"):
        trim(trimmed)
    assert (trimmed / "ja.dat").is_file()  # nothing removed
