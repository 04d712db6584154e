from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.relay.settings import RelaySettings

DOCS = Path(__file__).parents[3] / "docs" / "relay.md"


def _unusual(name: str, value: object) -> object:
    """A value for every field that differs from its default."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, float):
        return value + 0.25
    return f"{value}-{name}"


def test_every_field_round_trips_through_the_environment() -> None:
    default = RelaySettings()
    changed = RelaySettings(
        **{f.name: _unusual(f.name, getattr(default, f.name)) for f in fields(default)}
    )
    environ = changed.to_environ()
    assert len(environ) == len(fields(RelaySettings))
    assert RelaySettings.from_environ(environ) == changed
    for f in fields(default):
        assert getattr(changed, f.name) != getattr(default, f.name), f.name


def test_settings_come_from_the_environment() -> None:
    settings = RelaySettings.from_environ(
        {
            "INVITEONCE_RELAY_DATABASE_URL": "postgresql+psycopg://db/relay",
            "INVITEONCE_RELAY_PORT": "9000",
            "INVITEONCE_RELAY_WORKERS": "4",
            "INVITEONCE_RELAY_PUBLIC_URL": "https://book.example.com/",
            "INVITEONCE_RELAY_PAGE_CACHE_SECONDS": "0",
            "INVITEONCE_RELAY_LONG_POLL_INTERVAL": "0.1",
        }
    )
    assert settings.port == 9000 and settings.workers == 4
    assert settings.page_cache_seconds == 0 and settings.long_poll_interval == 0.1
    assert settings.base_url == "https://book.example.com"
    assert settings.secure_cookies


def test_a_malformed_or_negative_value_is_one_sentence() -> None:
    with pytest.raises(ValidationError, match="INVITEONCE_RELAY_PORT must be a whole number"):
        RelaySettings.from_environ({"INVITEONCE_RELAY_PORT": "eighty"})
    with pytest.raises(ValidationError, match="cannot be negative"):
        RelaySettings.from_environ({"INVITEONCE_RELAY_RETENTION_DAYS": "-1"})


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    missing = [
        name for name, _default, _doc in RelaySettings.documented() if f"`{name}`" not in text
    ]
    assert missing == []


def test_overrides_skip_missing_values() -> None:
    settings = RelaySettings().with_overrides(port=1234, host=None)
    assert settings.port == 1234 and settings.host == "127.0.0.1"
    assert settings.base_url == "http://127.0.0.1:1234"
