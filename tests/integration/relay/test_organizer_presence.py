"""The booked page says what happens next: at once while the organizer's desktop polls the
feed, and "will follow" while it does not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import httpx

from inviteonce_desktop.relay.embedded import EmbeddedRelay

ON_THEIR_WAY = "the confirmation email and the calendar invitation are on their way."
WILL_FOLLOW = (
    "Ann Organizer's InviteOnce is not connected right now, so the confirmation email "
    "and the calendar invitation will follow as soon as it is."
)


def book(customer: httpx.Client, token: str, slot: str) -> httpx.Response:
    page = customer.get(f"/i/{token}/slot/{slot}")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and found is not None
    posted = customer.post(f"/i/{token}/book", data={"slot_id": slot, "csrf": found.group(1)})
    assert posted.status_code == 303, posted.text
    return customer.get(posted.headers["location"])


def test_without_the_desktop_the_booked_page_says_the_rest_will_follow(
    customer: httpx.Client,
    publish: Callable[..., str],
    hour: Callable[[int, int], datetime],
    slot_id_of: Callable[[datetime], str],
) -> None:
    token = publish(starts=[hour(3, 9)])
    booked = book(customer, token, slot_id_of(hour(3, 9)))
    assert booked.status_code == 200, booked.text
    assert WILL_FOLLOW in booked.text and ON_THEIR_WAY not in booked.text


def test_while_the_desktop_polls_the_feed_the_booked_page_says_it_is_on_its_way(
    running_relay: EmbeddedRelay,
    organizer: httpx.Client,
    customer: httpx.Client,
    publish: Callable[..., str],
    hour: Callable[[int, int], datetime],
    slot_id_of: Callable[[datetime], str],
) -> None:
    token = publish(starts=[hour(3, 9)])
    assert organizer.get("/api/v1/bookings", params={"wait": 0}).status_code == 200
    waiting = book(customer, token, slot_id_of(hour(3, 9)))
    assert "Confirming with the organizer's calendar…" in waiting.text
    [ask] = organizer.get("/api/v1/bookings", params={"wait": 0}).json()["rechecks"]
    answered = organizer.post(f"/api/v1/rechecks/{ask['id']}", json={"verdict": "free"})
    assert answered.json() == {"id": ask["id"], "outcome": "confirmed"}
    booked = customer.get(f"/i/{token}/checking", follow_redirects=True)
    assert booked.status_code == 200, booked.text
    assert booked.url.path == f"/i/{token}/confirmed"
    assert ON_THEIR_WAY in booked.text and WILL_FOLLOW not in booked.text
