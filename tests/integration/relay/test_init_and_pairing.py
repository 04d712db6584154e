"""``inviteonce-relay init`` sets a server up and prints a pairing code the desktop accepts."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from inviteonce_desktop.cli.commands import run
from inviteonce_desktop.core.pairing import Pairing
from inviteonce_desktop.relay.cli import main as relay_main
from inviteonce_desktop.relay.database import create_relay_engine
from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.organizers import OrganizerDirectory


def init(tmp_path: Path, *extra: str) -> int:
    return relay_main(
        [
            "init",
            "--public-url",
            "https://book.example.com",
            "--database-url",
            f"sqlite:///{tmp_path / 'data' / 'relay.sqlite3'}",
            "--config-dir",
            str(tmp_path / "etc"),
            "--systemd-dir",
            str(tmp_path / "systemd"),
            "--caddyfile",
            str(tmp_path / "caddy" / "Caddyfile"),
            "--workers",
            "3",
            *extra,
        ]
    )


def pairing_of(output: str) -> Pairing:
    return Pairing.decode(output.strip().splitlines()[-1])


def test_init_writes_the_server_files_and_a_code_whose_key_the_relay_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(tmp_path, "--tls-internal") == 0
    pairing = pairing_of(capsys.readouterr().out)
    assert pairing.url == "https://book.example.com"
    engine = create_relay_engine(f"sqlite:///{tmp_path / 'data' / 'relay.sqlite3'}", pool_size=1)
    try:
        assert OrganizerDirectory(engine).authenticate(pairing.key) is not None
    finally:
        engine.dispose()

    settings = (tmp_path / "etc" / "relay.env").read_text()
    assert "INVITEONCE_RELAY_PUBLIC_URL=https://book.example.com\n" in settings
    assert "INVITEONCE_RELAY_WORKERS=3\n" in settings
    assert pairing.key not in settings
    assert (tmp_path / "etc" / "relay.env").stat().st_mode & 0o777 == 0o640
    unit = (tmp_path / "systemd" / "inviteonce-relay.service").read_text()
    assert f"EnvironmentFile={tmp_path / 'etc' / 'relay.env'}\n" in unit
    assert "ExecStart=/" in unit and unit.count(" serve\n") == 1
    site = (tmp_path / "caddy" / "Caddyfile").read_text()
    assert site.startswith("# The InviteOnce booking relay behind Caddy")
    assert "book.example.com {" in site and "tls internal" in site
    assert "reverse_proxy 127.0.0.1:8080" in site


def test_init_leaves_a_caddyfile_it_did_not_write_and_says_how_to_import_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    caddyfile = tmp_path / "caddy" / "Caddyfile"
    caddyfile.parent.mkdir()
    caddyfile.write_text('example.org {\n\trespond "hello"\n}\n')
    assert init(tmp_path) == 0
    out = capsys.readouterr().out
    assert caddyfile.read_text() == 'example.org {\n\trespond "hello"\n}\n'
    site = (tmp_path / "caddy" / "inviteonce-relay.caddy").read_text()
    assert "tls internal" not in site and "book.example.com {" in site
    assert f"Add the line 'import inviteonce-relay.caddy' to {caddyfile}" in out


def test_init_twice_refuses_to_make_a_second_first_organizer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(tmp_path) == 0
    capsys.readouterr()
    assert init(tmp_path) == 1
    assert capsys.readouterr().err == (
        "inviteonce-relay: An organizer called 'organizer' already exists.\n"
    )


@pytest.mark.parametrize("url", ["http://book.example.com", "https://book.example.com/relay"])
def test_init_wants_an_https_address_with_no_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code = relay_main(["init", "--public-url", url, "--config-dir", str(tmp_path)])
    assert code == 1
    assert "must be the relay's https address with no path" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_organizers_pair_prints_a_new_code_and_the_old_key_stops_working(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert init(tmp_path) == 0
    first = pairing_of(capsys.readouterr().out)
    database_url = f"sqlite:///{tmp_path / 'data' / 'relay.sqlite3'}"
    monkeypatch.setenv("INVITEONCE_RELAY_PUBLIC_URL", "https://book.example.com")
    assert relay_main(["--database-url", database_url, "organizers", "pair", "organizer"]) == 0
    second = pairing_of(capsys.readouterr().out)
    assert second.url == first.url and second.key != first.key
    engine = create_relay_engine(database_url, pool_size=1)
    try:
        directory = OrganizerDirectory(engine)
        assert directory.authenticate(first.key) is None
        assert directory.authenticate(second.key) is not None
    finally:
        engine.dispose()


# The desktop side


@pytest.fixture
def relay(sqlite_url: str) -> Iterator[EmbeddedRelay]:
    relay = EmbeddedRelay(sqlite_url)
    relay.start()
    yield relay
    relay.stop()


def relay_settings(capsys: pytest.CaptureFixture[str]) -> str:
    assert run(["settings", "relay", "show", "--json"]) == 0
    return capsys.readouterr().out


def test_the_desktop_pairs_by_code(
    relay: EmbeddedRelay, capsys: pytest.CaptureFixture[str]
) -> None:
    code = Pairing(relay.base_url, relay.create_organizer("Olivia")).encode()
    assert run(["settings", "relay", "pair", code]) == 0
    assert (
        capsys.readouterr().out == f"Paired: links are served by the relay at {relay.base_url}.\n"
    )
    assert f'"url": "{relay.base_url}"' in relay_settings(capsys)


def test_a_code_with_a_key_the_relay_does_not_know_changes_nothing(
    relay: EmbeddedRelay, capsys: pytest.CaptureFixture[str]
) -> None:
    relay.create_organizer("Olivia")
    code = Pairing(relay.base_url, "io_wrong_key_000000").encode()
    assert run(["settings", "relay", "pair", code]) == 2
    assert capsys.readouterr().err == (
        f"inviteonce: The relay at {relay.base_url} does not accept this pairing code's key; "
        "print a new code with 'inviteonce-relay organizers pair NAME'.\n"
    )
    assert '"embedded": true' in relay_settings(capsys)


def test_a_code_for_a_relay_that_does_not_answer_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    assert run(["settings", "relay", "pair", Pairing(url, "io_k_1").encode()]) == 1
    assert capsys.readouterr().err.startswith(f"inviteonce: The relay at {url} refuses connections")
    assert '"embedded": true' in relay_settings(capsys)


def test_a_mistyped_code_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["settings", "relay", "pair", "iorelay1.garbage"]) == 2
    assert "The pairing code is incomplete or mistyped" in capsys.readouterr().err


@pytest.mark.postgres
def test_init_on_postgresql_writes_the_connection_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], postgres_url: str
) -> None:
    from inviteonce_desktop.relay.database import connection_budget

    from .servers import postgres_schema

    with postgres_schema(postgres_url) as url:
        code = relay_main(
            [
                "init",
                "--public-url",
                "https://book.example.com",
                "--database-url",
                url,
                "--config-dir",
                str(tmp_path / "etc"),
                "--systemd-dir",
                str(tmp_path / "systemd"),
                "--caddyfile",
                str(tmp_path / "caddy" / "Caddyfile"),
                "--hosts",
                "2",
            ]
        )
        engine = create_relay_engine(url, pool_size=1)
        try:
            budget = connection_budget(engine, hosts=2)
        finally:
            engine.dispose()
    assert code == 0, capsys.readouterr().err
    settings = (tmp_path / "etc" / "relay.env").read_text()
    written = [
        int(line.split("=", 1)[1])
        for line in settings.splitlines()
        if line.startswith("INVITEONCE_RELAY_DATABASE_CONNECTIONS=")
    ]
    # Other clients of the shared test server come and go; the budget stays near.
    assert len(written) == 1 and abs(written[0] - budget) <= 5 and written[0] > 0
    assert "INVITEONCE_RELAY_HOSTS=2" in settings.splitlines()


def test_init_writes_the_receipt_settings_and_keeps_the_password_in_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password = tmp_path / "smtp-password"
    password.write_text("operator-secret\n")
    assert (
        init(
            tmp_path,
            "--receipt-smtp-host",
            "smtp.example.com",
            "--receipt-smtp-username",
            "bookings",
            "--receipt-smtp-password-file",
            str(password),
            "--receipt-from",
            "Bookings <bookings@example.com>",
        )
        == 0
    )
    settings = (tmp_path / "etc" / "relay.env").read_text()
    assert "INVITEONCE_RELAY_RECEIPT_SMTP_HOST=smtp.example.com\n" in settings
    assert "INVITEONCE_RELAY_RECEIPT_SMTP_PORT=587\n" in settings
    assert f"INVITEONCE_RELAY_RECEIPT_SMTP_PASSWORD_FILE={password}\n" in settings
    assert "INVITEONCE_RELAY_RECEIPT_FROM=Bookings <bookings@example.com>\n" in settings
    assert "operator-secret" not in settings


def test_init_without_receipts_says_they_are_off_and_refuses_half_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(tmp_path) == 0
    assert "receipts to customers through your own SMTP server are off" in (
        (tmp_path / "etc" / "relay.env").read_text()
    )
    capsys.readouterr()
    assert init(tmp_path / "other", "--receipt-smtp-host", "smtp.example.com") == 1
    assert "INVITEONCE_RELAY_RECEIPT_FROM must be an email address" in capsys.readouterr().err
