"""Customer pages over HTTP, including hostile input."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

Hour = Callable[[int, int], datetime]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _confirm_and_book(customer: httpx.Client, token: str, slot: str) -> httpx.Response:
    page = customer.get(f"/i/{token}/slot/{slot}?tz=Asia/Tokyo")
    assert page.status_code == 200
    return customer.post(
        f"/i/{token}/book",
        data={"slot_id": slot, "csrf": _csrf(page), "time_zone": "Asia/Tokyo"},
    )


def test_the_link_lists_slots_by_day_in_the_chosen_zone(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish(starts=[hour(3, 9), hour(3, 10), hour(4, 9)])
    page = customer.get(f"/i/{token}", params={"tz": "Asia/Tokyo"})
    assert page.status_code == 200
    assert page.text.count('class="day"') == 2
    assert "18:00 – 18:30" in page.text
    assert "<option selected>Asia/Tokyo</option>" in page.text


def test_security_headers_are_strict(customer: httpx.Client, publish: Callable[..., str]) -> None:
    page = customer.get(f"/i/{publish()}")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"


def test_everything_typed_is_escaped(
    customer: httpx.Client, organizer: httpx.Client, make_offer: Callable[..., dict[str, Any]]
) -> None:
    body = make_offer(subject=HOSTILE, organizer_name=HOSTILE, location=HOSTILE)
    token = organizer.put("/api/v1/offers/inv-x", json=body).json()["token"]
    page = customer.get(f"/i/{token}", params={"tz": '"><script>alert(1)</script>'})
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text


def test_a_get_never_books(
    customer: httpx.Client, organizer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish()
    slot = f"{hour(3, 9):%Y%m%dT%H%M%SZ}"
    for path in (
        f"/i/{token}",
        f"/i/{token}/slot/{slot}",
        f"/i/{token}/book",
        f"/api/v1/i/{token}/book",
    ):
        customer.get(path)
    assert organizer.get("/api/v1/bookings").json()["bookings"] == []


def test_book_confirm_then_already_scheduled(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish()
    slot = f"{hour(3, 9):%Y%m%dT%H%M%SZ}"
    booked = _confirm_and_book(customer, token, slot)
    assert booked.status_code == 303
    confirmation = customer.get(booked.headers["location"])
    assert "You&#39;re booked" in confirmation.text or "You're booked" in confirmation.text
    assert "Asia/Tokyo" in confirmation.text
    later = customer.get(f"/i/{token}")
    assert "already scheduled" in later.text
    ics = customer.get(f"/i/{token}/event.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert f"DTSTART:{slot}" in ics.text
    replay = customer.post(f"/i/{token}/book", data={"slot_id": slot, "csrf": "x"})
    assert replay.status_code in (303, 403)
    json_replay = customer.post(f"/api/v1/i/{token}/book", json={"slot_id": slot})
    assert json_replay.status_code == 409
    assert json_replay.json()["error"] == "already_scheduled"


def test_a_slot_taken_meanwhile_shows_what_is_left(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    first = publish("inv-a", starts=[hour(3, 9), hour(3, 11)])
    second = publish("inv-b", starts=[hour(3, 9), hour(3, 12)])
    page = customer.get(f"/i/{second}/slot/{hour(3, 9):%Y%m%dT%H%M%SZ}")
    assert (
        customer.post(
            f"/api/v1/i/{first}/book", json={"start": f"{hour(3, 9):%Y-%m-%dT%H:%M:%SZ}"}
        ).status_code
        == 201
    )
    taken = customer.post(
        f"/i/{second}/book",
        data={"slot_id": f"{hour(3, 9):%Y%m%dT%H%M%SZ}", "csrf": _csrf(page)},
    )
    assert taken.status_code == 409
    assert "just taken" in taken.text
    assert f"{hour(3, 12):%Y%m%dT%H%M%SZ}" in taken.text
    as_json = customer.post(
        f"/api/v1/i/{second}/book", json={"slot_id": f"{hour(3, 9):%Y%m%dT%H%M%SZ}"}
    )
    assert as_json.status_code == 409
    assert [s["id"] for s in as_json.json()["slots"]] == [f"{hour(3, 12):%Y%m%dT%H%M%SZ}"]


def test_unknown_tokens_all_get_the_same_404(customer: httpx.Client) -> None:
    pages = [customer.get(f"/i/{token}") for token in ("A" * 24, "short", "x" * 300, "%3Cb%3E")]
    assert {page.status_code for page in pages} == {404}
    assert len({page.text for page in pages}) == 1
    assert customer.get("/api/v1/i/" + "A" * 24).status_code == 404


def test_an_expired_link_says_so(
    customer: httpx.Client, organizer: httpx.Client, make_offer: Callable[..., dict[str, Any]]
) -> None:
    body = make_offer(expires_at="2020-01-01T00:00:00Z")
    token = organizer.put("/api/v1/offers/inv-old", json=body).json()["token"]
    page = customer.get(f"/i/{token}")
    assert page.status_code == 410 and "expired" in page.text
    assert customer.get(f"/api/v1/i/{token}").json()["error"] == "expired"


def test_forms_need_the_csrf_token(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish()
    slot = f"{hour(3, 9):%Y%m%dT%H%M%SZ}"
    page = customer.get(f"/i/{token}/slot/{slot}")
    missing = customer.post(f"/i/{token}/book", data={"slot_id": slot})
    forged = customer.post(
        f"/i/{token}/book",
        data={"slot_id": slot, "csrf": _csrf(page)},
        headers={"origin": "https://evil.example"},
    )
    # A matching cookie from a sandboxed frame or data: page: Origin null, no Fetch Metadata.
    sandboxed = customer.post(
        f"/i/{token}/book",
        data={"slot_id": slot, "csrf": _csrf(page)},
        headers={"origin": "null"},
    )
    cross_site = customer.post(
        f"/i/{token}/book",
        data={"slot_id": slot, "csrf": _csrf(page)},
        headers={"origin": "null", "sec-fetch-site": "cross-site"},
    )
    assert missing.status_code == forged.status_code == 403
    assert sandboxed.status_code == cross_site.status_code == 403
    same_site = customer.post(
        f"/i/{token}/book",
        data={"slot_id": slot, "csrf": _csrf(page)},
        headers={"origin": "null", "sec-fetch-site": "same-origin"},
    )
    assert same_site.status_code == 303


def test_json_bookings_reject_bad_input(
    customer: httpx.Client, publish: Callable[..., str]
) -> None:
    token = publish()
    url = f"/api/v1/i/{token}/book"
    assert (
        customer.post(url, content=b"{", headers={"content-type": "application/json"}).status_code
        == 400
    )
    assert customer.post(url, data={"slot_id": "x"}).status_code == 400
    assert customer.post(url, json={"start": "yesterday"}).status_code == 400
    assert customer.post(url, json={"slot_id": "20200101T000000Z"}).status_code == 409
    huge = customer.post(
        url, content=b"{" + b" " * 100_000 + b"}", headers={"content-type": "application/json"}
    )
    assert huge.status_code == 413


def test_bookings_are_rate_limited_per_client(
    tmp_path: Path, make_offer: Callable[..., dict[str, Any]]
) -> None:
    relay = EmbeddedRelay(
        f"sqlite:///{tmp_path / 'r.sqlite3'}",
        settings=RelaySettings(bookings_per_minute=1, booking_burst=3),
    )
    key = relay.create_organizer("Ann")
    with relay, httpx.Client(base_url=relay.base_url) as client:
        token = client.put(
            "/api/v1/offers/inv", json=make_offer(), headers={"Authorization": f"Bearer {key}"}
        ).json()["token"]
        codes = [
            client.post(f"/api/v1/i/{token}/book", json={"slot_id": "20200101T000000Z"}).status_code
            for _ in range(5)
        ]
    assert codes == [409, 409, 409, 429, 429]
