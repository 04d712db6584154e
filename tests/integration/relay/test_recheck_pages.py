"""The customer's side of the re-check without a browser: the waiting page, its status
twin, the redirects while a pick is held, and the page after a busy verdict."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import httpx

from .test_organizer_presence import book

WAITING = "Confirming with the organizer's calendar…"
BUSY = "That time has just become busy in the organizer&#39;s calendar; please pick another."


def the_ask(organizer: httpx.Client) -> int:
    [ask] = organizer.get("/api/v1/bookings", params={"wait": 0}).json()["rechecks"]
    ask_id: int = ask["id"]
    return ask_id


def test_a_held_pick_waits_on_every_page_and_a_busy_verdict_sends_it_back(
    organizer: httpx.Client,
    customer: httpx.Client,
    publish: Callable[..., str],
    hour: Callable[[int, int], datetime],
    slot_id_of: Callable[[datetime], str],
) -> None:
    nine, ten = hour(3, 9), hour(3, 10)
    token = publish(starts=[nine, ten])
    status = f"/api/v1/i/{token}/recheck"
    assert customer.get(status).json() == {"status": "none"}
    assert organizer.get("/api/v1/bookings", params={"wait": 0}).status_code == 200
    waiting = book(customer, token, slot_id_of(nine))
    assert waiting.status_code == 200 and WAITING in waiting.text
    assert '<meta http-equiv="refresh" content="1">' in waiting.text  # Inside <noscript>.
    assert customer.get(status).json() == {"status": "checking"}
    assert customer.get(f"/api/v1/i/{token}").json()["status"] == "checking"
    for page in (f"/i/{token}", f"/i/{token}/confirmed", f"/i/{token}/slot/{slot_id_of(ten)}"):
        answer = customer.get(page)
        assert answer.status_code == 303 and "/checking" in answer.headers["location"], page
    for _ in range(3):  # Looking never books anything.
        assert WAITING in customer.get(f"/i/{token}/checking").text
    assert organizer.get("/api/v1/bookings", params={"wait": 0}).json()["bookings"] == []

    ask = the_ask(organizer)
    answered = organizer.post(f"/api/v1/rechecks/{ask}", json={"verdict": "busy"})
    assert answered.json() == {"id": ask, "outcome": "released"}
    assert customer.get(status).json() == {"status": "conflict"}
    assert customer.get(f"/api/v1/i/{token}").json()["status"] == "open"
    back = customer.get(f"/i/{token}/checking")
    assert back.status_code == 200 and BUSY in back.text
    offered = set(re.findall(r'data-start="([^"]+)"', back.text))
    assert f"{ten:%Y-%m-%dT%H:%M:%SZ}" in offered and f"{nine:%Y-%m-%dT%H:%M:%SZ}" not in offered
    assert customer.get(f"/i/{token}/slot/{slot_id_of(nine)}").status_code == 200  # "Gone".
    late = organizer.post(f"/api/v1/rechecks/{ask}", json={"verdict": "free"})
    assert late.status_code == 409 and late.json()["error"] == "too_late"
    assert organizer.get("/api/v1/bookings", params={"wait": 0}).json()["bookings"] == []


def test_the_recheck_routes_refuse_what_they_do_not_know(
    organizer: httpx.Client, customer: httpx.Client, publish: Callable[..., str]
) -> None:
    token = publish()
    assert customer.get(f"/api/v1/i/{token}/recheck", params={"wait": 31}).status_code == 400
    assert customer.get(f"/api/v1/i/{token}/recheck", params={"wait": "x"}).status_code == 400
    assert customer.get("/api/v1/i/nope/recheck").status_code == 404
    assert organizer.post("/api/v1/rechecks/1", json={"verdict": "free"}).status_code == 404
    assert organizer.post("/api/v1/rechecks/1", json={"verdict": "maybe"}).status_code == 400
    assert organizer.post(f"/api/v1/rechecks/{2**63}", json={"verdict": "free"}).status_code == 404
    anonymous = httpx.post(f"{customer.base_url}/api/v1/rechecks/1", json={"verdict": "busy"})
    assert anonymous.status_code == 401
