"""Who can open the links: the embedded relay says "this computer", LAN mode "this network"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.relay_host import (
    LAN_LINKS_NOTICE,
    LOCAL_LINKS_NOTICE,
    RelayHost,
    RelaySettings,
)
from inviteonce_desktop.cli.commands import run

# An address of the loopback range other than 127.0.0.1 stands in for the network's.
NETWORK_ADDRESS = "127.0.0.2"


@pytest.fixture
def lan_app(isolated_home: Path, clock: FixedClock) -> Iterator[InviteOnce]:
    app = InviteOnce.open(isolated_home, clock)
    app.relay = RelayHost(app.workspace, app.credentials, app.clock, lambda: NETWORK_ADDRESS)
    yield app
    app.close()


def test_the_embedded_relay_says_its_links_open_on_this_computer_only(app: InviteOnce) -> None:
    assert app.link_notice() == LOCAL_LINKS_NOTICE


def test_lan_mode_listens_on_the_network_address_and_its_public_url_is_that_address(
    lan_app: InviteOnce,
) -> None:
    lan_app.relay.configure(RelaySettings(embedded=True, lan=True))
    lan_app.relay.start()
    port = lan_app.relay.settings().port
    assert lan_app.relay.status() == (
        f"Embedded relay running at http://{NETWORK_ADDRESS}:{port} (this network only)"
    )
    assert httpx.get(f"http://{NETWORK_ADDRESS}:{port}/healthz").json() == {"status": "ok"}
    assert lan_app.link_notice() == LAN_LINKS_NOTICE


def test_turning_lan_mode_off_listens_on_loopback_again_on_the_same_port(
    lan_app: InviteOnce,
) -> None:
    lan_app.relay.configure(RelaySettings(embedded=True, lan=True))
    lan_app.relay.start()
    port = lan_app.relay.settings().port
    lan_app.relay.configure(RelaySettings(embedded=True, port=port, lan=False))
    assert lan_app.relay.status() == (
        f"Embedded relay running at http://127.0.0.1:{port} (this computer only)"
    )
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://{NETWORK_ADDRESS}:{port}/healthz")


def test_lan_mode_without_a_network_address_is_one_sentence(
    isolated_home: Path, clock: FixedClock
) -> None:
    app = InviteOnce.open(isolated_home, clock)
    app.relay = RelayHost(app.workspace, app.credentials, app.clock, lambda: None)
    try:
        app.relay.configure(RelaySettings(embedded=True, lan=True))
        with pytest.raises(Exception, match="^This computer has no network address for LAN mode"):
            app.relay.start()
    finally:
        app.close()


def test_the_cli_turns_lan_mode_on_and_says_who_can_reach_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["settings", "relay", "embedded", "--lan"]) == 0
    assert "anyone on this network can open them, nobody outside it" in capsys.readouterr().out
    assert run(["settings", "relay", "show", "--json"]) == 0
    assert '"lan": true' in capsys.readouterr().out
    assert run(["settings", "relay", "embedded"]) == 0
    assert capsys.readouterr().out == (
        "Links are served by the embedded relay on 127.0.0.1: they open on this computer only.\n"
    )
