"""Links of the embedded relay open only on this computer: ``invite`` says so, and refuses
to email them to a customer unless told."""

from __future__ import annotations

from pathlib import Path

import pytest

from inviteonce_desktop.application.relay_host import LOCAL_LINKS_NOTICE

from ...cli_runner import run_inviteonce

INVITE = ("invite", "Carla Customer", "carla@example.org", "-s", "Intro call", "-m", "Ethan Park")


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    home = tmp_path / "demo"
    assert run_inviteonce(home, "demo").returncode == 0
    return home


def test_emailing_local_links_to_a_customer_is_refused_and_nothing_is_saved(
    demo_home: Path,
) -> None:
    done = run_inviteonce(demo_home, *INVITE)
    assert done.returncode == 2
    assert done.stderr == (
        "inviteonce: carla@example.org could not open the links: these links open only on "
        "this computer (the relay runs inside InviteOnce); to let customers open them, set up "
        "a relay in Settings, Relay, or add --local-links-ok to send them anyway.\n"
    )
    assert run_inviteonce(demo_home, "invitations", "--json").stdout.strip() == "[]"


def test_local_links_ok_sends_and_still_says_where_the_links_open(demo_home: Path) -> None:
    done = run_inviteonce(demo_home, *INVITE, "--local-links-ok")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"inviteonce: {LOCAL_LINKS_NOTICE}\n"


def test_copying_links_says_where_they_open(demo_home: Path) -> None:
    done = run_inviteonce(demo_home, *INVITE, "--send", "links", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"inviteonce: {LOCAL_LINKS_NOTICE}\n"
    assert '"url": "http://127.0.0.1:' in done.stdout
