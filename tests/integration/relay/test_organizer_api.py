"""The organizer API on a real relay: publish, replace, cancel, feed, acknowledge."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

Hour = Callable[[int, int], datetime]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_publish_is_idempotent_and_replace_keeps_the_link(
    organizer: httpx.Client,
    customer: httpx.Client,
    make_offer: Callable[..., dict[str, Any]],
    hour: Hour,
) -> None:
    start = hour(4, 9)
    body = make_offer([start], promoted=[_iso(start)])
    first = organizer.put("/api/v1/offers/inv-1", json=body)
    second = organizer.put("/api/v1/offers/inv-1", json=body)
    replaced = organizer.put("/api/v1/offers/inv-1", json={**body, "subject": "Renamed"})
    assert (first.status_code, second.status_code, replaced.status_code) == (201, 200, 200)
    assert first.json() == second.json()
    assert replaced.json()["token"] == first.json()["token"]
    data = first.json()
    assert len(data["token"]) == 24
    assert data["url"] == f"{str(organizer.base_url).rstrip('/')}/i/{data['token']}"
    assert data["promoted_urls"] == {_iso(start): f"{data['url']}/slot/{start:%Y%m%dT%H%M%SZ}"}
    assert customer.get(f"/api/v1/i/{data['token']}").json()["subject"] == "Renamed"


def test_wrong_or_missing_key_is_refused(
    customer: httpx.Client, make_offer: Callable[..., dict[str, Any]]
) -> None:
    wrong = customer.put(
        "/api/v1/offers/inv-1", json=make_offer(), headers={"Authorization": "Bearer io_wrong"}
    )
    missing = customer.put("/api/v1/offers/inv-1", json=make_offer())
    feed = customer.get("/api/v1/bookings")
    assert wrong.status_code == missing.status_code == feed.status_code == 401
    assert "io_wrong" not in wrong.text


def test_bad_bodies_are_answered_with_4xx(
    organizer: httpx.Client, make_offer: Callable[..., dict[str, Any]]
) -> None:
    json_type = {"content-type": "application/json"}
    malformed = organizer.put("/api/v1/offers/inv-1", content=b"{not json", headers=json_type)
    naive = make_offer()
    naive["slots"][0]["start"] = "2030-01-01T09:00:00"
    invalid = organizer.put("/api/v1/offers/inv-1", json=naive)
    backwards = make_offer()
    backwards["slots"][0]["end"] = backwards["slots"][0]["start"]
    senseless = organizer.put("/api/v1/offers/inv-1", json=backwards)
    oversized = organizer.put(
        "/api/v1/offers/inv-1", content=b"[" + b"1," * 2_000_000 + b"1]", headers=json_type
    )
    assert malformed.status_code == 400
    assert invalid.status_code == 400
    assert "time zone" in invalid.json()["message"]
    assert senseless.status_code == 422
    assert "end after it starts" in senseless.json()["message"]
    assert oversized.status_code == 413


def test_cancel_shows_the_cancelled_page_and_refuses_bookings(
    organizer: httpx.Client, customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish("inv-1")
    assert organizer.delete("/api/v1/offers/inv-1").status_code == 200
    assert organizer.delete("/api/v1/offers/nope").status_code == 404
    page = customer.get(f"/i/{token}")
    assert page.status_code == 410 and "cancelled" in page.text
    booking = customer.post(
        f"/api/v1/i/{token}/book", json={"slot_id": f"{hour(3, 9):%Y%m%dT%H%M%SZ}"}
    )
    assert booking.status_code == 410
    assert booking.json()["error"] == "cancelled"


def test_feed_long_poll_wakes_on_a_booking_and_acks(
    organizer: httpx.Client, customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish("inv-feed")
    slot = f"{hour(3, 9):%Y%m%dT%H%M%SZ}"
    assert organizer.get("/api/v1/bookings").status_code == 200  # The desktop is connected.
    booked: list[int] = []
    polling = threading.Event()

    def book_while_polling() -> None:
        polling.wait(30)
        booked.append(customer.post(f"/api/v1/i/{token}/book", json={"slot_id": slot}).status_code)

    def on_request(request: httpx.Request) -> None:
        polling.set()

    thread = threading.Thread(target=book_while_polling)
    thread.start()
    organizer.event_hooks["request"].append(on_request)
    try:
        # The pick is held, and the poll wakes with its re-check.
        asked = organizer.get("/api/v1/bookings", params={"after": 0, "wait": 20}).json()
    finally:
        organizer.event_hooks["request"].remove(on_request)
    assert asked["bookings"] == []
    [ask] = asked["rechecks"]
    assert (ask["invitation_id"], ask["resource_keys"]) == ("inv-feed", ["alice"])
    assert organizer.post(f"/api/v1/rechecks/{ask['id']}", json={"verdict": "free"}).json() == {
        "id": ask["id"],
        "outcome": "confirmed",
    }
    thread.join()
    assert booked == [201]
    page = organizer.get("/api/v1/bookings", params={"after": 0, "wait": 20}).json()
    [booking] = page["bookings"]
    assert booking["invitation_id"] == "inv-feed"
    assert booking["token"] == token
    assert booking["resource_keys"] == ["alice"]
    assert page["cursor"] == booking["cursor"] == booking["id"]
    assert organizer.get("/api/v1/bookings").json()["bookings"] == page["bookings"]
    ack = organizer.post("/api/v1/bookings/ack", json={"cursor": page["cursor"]})
    assert ack.json() == {"acknowledged": 1}
    assert organizer.get("/api/v1/bookings").json() == {
        "bookings": [],
        "cursor": 0,
        "opened": [],
        "rechecks": [],
    }


def test_feed_rejects_bad_parameters(organizer: httpx.Client) -> None:
    for params in ({"after": "x"}, {"wait": "31"}, {"after": "-1"}):
        assert organizer.get("/api/v1/bookings", params=params).status_code == 400
    assert organizer.post("/api/v1/bookings/ack", json={"cursor": "1"}).status_code == 400


def test_what_once_broke_the_relay_is_refused_at_the_door(
    organizer: httpx.Client,
    customer: httpx.Client,
    make_offer: Callable[..., dict[str, Any]],
) -> None:
    json_type = {"content-type": "application/json"}
    deep = b"[" * 5000
    answers = [
        customer.post("/api/v1/i/ANYTHING/book", content=deep, headers=json_type),
        organizer.put("/api/v1/offers/inv-deep", content=deep, headers=json_type),
        organizer.post("/api/v1/bookings/ack", content=deep, headers=json_type),
        organizer.get("/api/v1/bookings", params={"after": str(2**64)}),
        organizer.post("/api/v1/bookings/ack", json={"cursor": 2**64}),
        organizer.post("/api/v1/bookings/ack", json={"ids": [1, 2**70]}),
        organizer.post("/api/v1/bookings/ack", json={"cursor": 1, "ids": [1]}),
    ]
    far = make_offer(expires_at="9999-12-31T23:59:00-01:00")
    nul = make_offer(resources=["alice\u0000"])
    answers += [
        organizer.put("/api/v1/offers/inv-far", json=far),
        organizer.put("/api/v1/offers/inv-nul", json=nul),
    ]
    for answer in answers:
        assert answer.status_code == 400, (answer.request.url, answer.text)
        message = answer.json()["message"]
        assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    # Nothing half-stored: those invitations have no offer to cancel.
    for name in ("inv-deep", "inv-far", "inv-nul"):
        assert organizer.delete(f"/api/v1/offers/{name}").status_code == 404
