from __future__ import annotations

from inviteonce_desktop.relay.settings import RelaySettings


def test_settings_come_from_the_environment_and_go_back_to_it() -> None:
    settings = RelaySettings.from_environ(
        {
            "INVITEONCE_RELAY_DATABASE_URL": "postgresql+psycopg://db/relay",
            "INVITEONCE_RELAY_PORT": "9000",
            "INVITEONCE_RELAY_WORKERS": "4",
            "INVITEONCE_RELAY_PUBLIC_URL": "https://book.example.com/",
        }
    )
    assert settings.port == 9000 and settings.workers == 4
    assert settings.base_url == "https://book.example.com"
    assert settings.secure_cookies
    assert RelaySettings.from_environ(settings.to_environ()) == settings


def test_overrides_skip_missing_values() -> None:
    settings = RelaySettings().with_overrides(port=1234, host=None)
    assert settings.port == 1234 and settings.host == "127.0.0.1"
    assert settings.base_url == "http://127.0.0.1:1234"
