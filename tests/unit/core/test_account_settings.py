from __future__ import annotations

from inviteonce_desktop.core.account_settings import AccountSettings


def test_only_what_is_set_is_stored_and_read_back() -> None:
    settings = AccountSettings(email="ann@example.com", server_url="https://ex/EWS", auth="basic")
    stored = settings.to_json()
    assert stored == {"email": "ann@example.com", "server_url": "https://ex/EWS", "auth": "basic"}
    assert AccountSettings.from_json(stored) == settings


def test_a_record_written_before_keeps_what_is_known() -> None:
    old = {"calendar": "https://dav/ann/", "time_zone": "Europe/Berlin", "retired": "x", "n": None}
    assert AccountSettings.from_json(old) == AccountSettings(
        calendar="https://dav/ann/", time_zone="Europe/Berlin"
    )
    assert AccountSettings.from_json(None) == AccountSettings()
