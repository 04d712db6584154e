"""``inviteonce settings`` run in this process; secrets only in the keyring."""

from __future__ import annotations

import json
from pathlib import Path

from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from tests.cli_runner import run_inviteonce as run


def test_smtp_settings_keep_the_password_in_the_keyring_only(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    home = tmp_path / "ws"
    result = run(
        home,
        "settings",
        "mail",
        "smtp",
        "mail.example.com",
        "--port",
        "465",
        "--security",
        "tls",
        "--username",
        "ann",
        "--password-stdin",
        stdin="smtp-secret-7\n",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(run(home, "settings", "mail", "show", "--json").stdout)
    assert shown["mode"] == "smtp" and shown["port"] == 465 and shown["security"] == "tls"
    assert b"smtp-secret-7" not in (home / "inviteonce.sqlite3").read_bytes()
    assert "smtp-secret-7" in memory_keyring._secrets.values()


def test_a_standalone_relay_needs_a_url_and_a_key(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    bad = run(home, "settings", "relay", "url", "ftp://relay.example", "--key-stdin", stdin="k\n")
    assert (bad.returncode, bad.stderr) == (
        2,
        "inviteonce: The relay URL must start with http:// or https://.\n",
    )
    keyless = run(home, "settings", "relay", "url", "https://book.example.com", "--key-stdin")
    assert keyless.returncode == 2 and "organizer key" in keyless.stderr
    good = run(
        home,
        "settings",
        "relay",
        "url",
        "https://book.example.com",
        "--key-stdin",
        stdin="organizer-key-123\n",
    )
    assert good.returncode == 0, good.stderr
    shown = json.loads(run(home, "settings", "relay", "show", "--json").stdout)
    assert shown == {
        "embedded": False,
        "url": "https://book.example.com",
        "port": None,
        "lan": False,
    }
    assert b"organizer-key-123" not in (home / "inviteonce.sqlite3").read_bytes()
    back = run(home, "settings", "relay", "embedded")
    assert back.returncode == 0
    assert json.loads(run(home, "settings", "relay", "show", "--json").stdout)["embedded"]


def test_mail_through_an_account_needs_an_account_that_exists(tmp_path: Path) -> None:
    result = run(tmp_path / "ws", "settings", "mail", "account", "3")
    assert (result.returncode, result.stderr) == (
        2,
        "inviteonce: There is no calendar account 3.\n",
    )


def test_the_retry_times_of_mail_are_settings(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    shown = run(home, "settings", "mail", "retry")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (
        "Temporary failures are retried for 24 h; a send that got no answer is looked up in "
        "the Sent folder for 2 min.\n"
    )
    too_long = run(home, "settings", "mail", "retry", "--sent-wait-minutes", "90")
    assert too_long.returncode == 2 and "from 0 to 60 minutes" in too_long.stderr
    done = run(
        home, "settings", "mail", "retry", "--give-up-hours", "6", "--sent-wait-minutes", "5"
    )
    assert done.returncode == 0, done.stderr
    assert "retried for 6 h" in done.stdout
    assert "does not show it 5 min after it" in done.stdout


def test_the_emails_language_is_set_shown_and_kept_in_the_profile(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    before = run(home, "settings", "language", "de")
    assert before.returncode != 0 and "Profile first" in before.stderr
    assert "Traceback" not in before.stderr
    assert (
        run(home, "profile", "set", "Olivia", "olivia@example.com", "Europe/Berlin").returncode == 0
    )
    assert run(home, "settings", "language").stdout.strip() == "Emails are written in English (en)."
    chosen = run(home, "settings", "language", "de-AT")
    assert chosen.returncode == 0, chosen.stderr
    assert "Deutsch (de)" in chosen.stdout
    # setting the profile again keeps the language
    assert run(home, "profile", "set", "Olivia O.", "olivia@example.com", "UTC").returncode == 0
    shown = json.loads(run(home, "profile", "show", "--json").stdout)
    assert shown["language"] == "de" and shown["name"] == "Olivia O."
    wrong = run(home, "settings", "language", "pt")
    assert wrong.returncode != 0 and "one of en, de, fr, es" in wrong.stderr
    assert "Traceback" not in wrong.stderr
