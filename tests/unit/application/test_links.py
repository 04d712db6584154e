from __future__ import annotations

from datetime import UTC, datetime

from inviteonce_desktop.application.links import InvitationLinks

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_one_link_without_promoted_slots() -> None:
    links = InvitationLinks("https://relay.example/i/abc")
    assert links.as_text() == "https://relay.example/i/abc"
    assert links.as_html() == '<a href="https://relay.example/i/abc">Choose a time</a>'


def test_promoted_slots_give_one_line_each_and_more_times() -> None:
    links = InvitationLinks(
        "https://relay.example/i/abc",
        [(START, "https://relay.example/i/abc/slot/1")],
        "Europe/Berlin",
    )
    assert links.as_text().splitlines() == [
        "Wed 25 Nov, 10:00 (Europe/Berlin): https://relay.example/i/abc/slot/1",
        "More times: https://relay.example/i/abc",
    ]
    assert InvitationLinks.from_json(links.to_json()) == links


def test_urls_are_escaped_in_html() -> None:
    links = InvitationLinks('https://relay.example/i/a"><script>')
    assert "<script>" not in links.as_html()


def test_no_links_before_publishing() -> None:
    assert InvitationLinks().as_text() == "" and InvitationLinks().as_html() == ""
