"""Customer pages over HTTP, including hostile input."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import http_client

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
    tokyo = [hour(d, h).astimezone(ZoneInfo("Asia/Tokyo")) for d, h in ((3, 9), (3, 10), (4, 9))]
    open_days = re.findall(r'class="day open[^"]*" href="([^"]+)"', page.text)
    assert len(open_days) == len({t.date() for t in tokyo})
    assert "tz=Asia%2FTokyo" in open_days[0]
    first_day = [t for t in tokyo if t.date() == tokyo[0].date()]
    assert re.findall(r'class="slot"[^>]*>(\d\d:\d\d)<', page.text) == [
        f"{t:%H:%M}" for t in first_day
    ]
    assert (
        '<option value="Asia/Tokyo" selected>Japan Standard Time — Tokyo (UTC+09:00)' in page.text
    )
    assert page.text.index('value="Asia/Tokyo" selected') < page.text.index('value="UTC"')


def test_day_pages_work_without_scripts(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish(starts=[hour(3, 9), hour(4, 9), hour(4, 10), hour(40, 9)])
    second = f"{hour(4, 9):%Y-%m-%d}"
    page = customer.get(f"/i/{token}", params={"day": second, "tz": "UTC"})
    assert page.status_code == 200
    assert re.findall(r"/slot/(\w+)", page.text) == [
        f"{hour(4, 9):%Y%m%dT%H%M%SZ}",
        f"{hour(4, 10):%Y%m%dT%H%M%SZ}",
    ]
    assert 'aria-selected="true"><a class="day open selected"' in page.text
    assert f'name="day" value="{second}"' in page.text
    later = f"{hour(40, 9):%Y-%m}"
    if later != f"{hour(3, 9):%Y-%m}":
        month = customer.get(f"/i/{token}", params={"month": later, "tz": "UTC"})
        assert f"{hour(40, 9):%Y%m%dT%H%M%SZ}" in month.text
    for wrong in ("2020-01-01", "not-a-day", "9999-99-99", "<b>"):
        fallback = customer.get(f"/i/{token}", params={"day": wrong, "month": wrong})
        assert fallback.status_code == 200
        assert f"{hour(3, 9):%Y%m%dT%H%M%SZ}" in fallback.text


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
        f"/i/{token}?day={hour(3, 9):%Y-%m-%d}",
        f"/i/{token}/zones?slot={slot}",
        f"/i/{token}/brand.css",
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
    with relay, http_client(relay.base_url) as client:
        token = client.put(
            "/api/v1/offers/inv", json=make_offer(), headers={"Authorization": f"Bearer {key}"}
        ).json()["token"]
        codes = [
            client.post(f"/api/v1/i/{token}/book", json={"slot_id": "20200101T000000Z"}).status_code
            for _ in range(5)
        ]
    assert codes == [409, 409, 409, 429, 429]


def _png(size: int = 8) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = zlib.compress((b"\x00" + b"\x10\x80\x40" * size) * size)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _data_url(data: bytes, media_type: str = "image/png") -> str:
    import base64

    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def test_branding_is_served_from_the_relay_itself(
    customer: httpx.Client, organizer: httpx.Client, make_offer: Callable[..., dict[str, Any]]
) -> None:
    logo = _png()
    branding = {"accent_color": "#FFD400", "logo": _data_url(logo), "photo": _data_url(logo)}
    token = organizer.put("/api/v1/offers/inv-brand", json=make_offer(branding=branding)).json()[
        "token"
    ]
    page = customer.get(f"/i/{token}")
    urls = re.findall(r'(?:href|src)="(/i/[^"]+/(?:brand\.css|logo|photo)\?v=[^"]+)"', page.text)
    assert len(urls) == 3
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text.split("<body>", 1)[0])
    css = customer.get(urls[0])
    assert css.headers["content-type"].startswith("text/css")
    # Yellow is unreadable on white: the light scheme gets a darker shade of it.
    light = re.search(r"--accent:(#[0-9a-f]{6})", css.text)
    assert light is not None and light.group(1) != "#ffd400"
    image = customer.get(next(u for u in urls if "/logo" in u))
    assert image.headers["content-type"] == "image/png" and image.content == logo
    bare = organizer.put("/api/v1/offers/inv-plain", json=make_offer()).json()["token"]
    assert customer.get(f"/i/{bare}/logo").status_code == 404
    assert "brand.css" not in customer.get(f"/i/{bare}").text


def test_branding_that_could_harm_is_refused(
    organizer: httpx.Client, make_offer: Callable[..., dict[str, Any]]
) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for branding in (
        {"logo": _data_url(svg, "image/svg+xml")},
        {"logo": _data_url(svg, "image/png")},
        {"logo": _data_url(_png() + b"\x00" * 100_001)},
        {"logo": "https://tracker.example.com/logo.png"},
        {"accent_color": "red; background: url(//evil)"},
        {"calendar": "everything"},
    ):
        answer = organizer.put("/api/v1/offers/inv-bad", json=make_offer(branding=branding))
        # Out of the declared shape (too long, not #rrggbb, unknown): 400 at the door;
        # well-formed but not an image the relay serves: 422.
        assert answer.status_code in (400, 422), branding
        assert answer.json()["message"].endswith(".")


def test_the_booked_page_offers_calendar_links_for_the_meeting(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish()
    slot = f"{hour(3, 9):%Y%m%dT%H%M%SZ}"
    booked = _confirm_and_book(customer, token, slot)
    page = customer.get(booked.headers["location"])
    end = f"{hour(3, 9).replace(minute=30):%Y%m%dT%H%M%SZ}"
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', page.text)
    assert google is not None and f"dates={slot}%2F{end}" in google.group(1).replace("&amp;", "&")
    outlook = re.search(r'href="(https://outlook\.live\.com/[^"]+)"', page.text)
    assert outlook is not None
    assert f"startdt={hour(3, 9):%Y-%m-%dT%H}%3A00%3A00Z" in outlook.group(1)
    tokyo = hour(3, 9).astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M} – " in page.text and "Japan Standard Time — Tokyo" in page.text
    assert f'href="/i/{token}/event.ics"' in page.text


def test_every_zone_is_reachable_without_scripts(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish()
    page = customer.get(f"/i/{token}", params={"tz": "Asia/Calcutta"})
    assert '<option value="Asia/Calcutta" selected>India Standard Time — Calcutta' in page.text
    assert page.text.count("<option") < 80
    zones_link = re.search(r'class="all-zones"><a href="([^"]+)"', page.text)
    assert zones_link is not None
    zones = customer.get(zones_link.group(1).replace("&amp;", "&"))
    assert zones.status_code == 200
    names = re.findall(r'data-zone="([^"]+)"', zones.text)
    assert len(names) > 250 and "Asia/Yerevan" in names and "Asia/Calcutta" not in names
    day = f"{hour(3, 9):%Y-%m-%d}"
    assert f"/i/{token}?tz=Asia%2FYerevan&amp;day={day}" in zones.text
    slot = f"{hour(3, 9):%Y%m%dT%H%M%SZ}"
    from_confirm = customer.get(f"/i/{token}/zones", params={"slot": slot})
    assert f"/i/{token}/slot/{slot}?tz=Asia%2FYerevan" in from_confirm.text
    hostile = customer.get(f"/i/{token}/zones", params={"slot": "../../x", "day": "<b>"})
    assert "../../x" not in hostile.text and "&lt;b&gt;" not in hostile.text
    assert customer.get("/i/" + "A" * 24 + "/zones").status_code == 404


def test_the_calendar_and_times_follow_a_dst_change(
    customer: httpx.Client, publish: Callable[..., str]
) -> None:
    from datetime import UTC

    now = datetime.now(UTC)
    year = now.year + 1
    # The US moves to summer time on the second Sunday of March: 09:00 in New York
    # is 14:00 UTC on the Friday before and 13:00 UTC on the Monday after.
    sunday = next(
        datetime(year, 3, d, tzinfo=UTC)
        for d in range(8, 15)
        if datetime(year, 3, d).weekday() == 6
    )
    friday = sunday.replace(day=sunday.day - 2, hour=14)
    monday = sunday.replace(day=sunday.day + 1, hour=13)
    token = publish(starts=[friday, monday], expires_at=f"{year}-04-01T00:00:00Z")
    for start in (friday, monday):
        page = customer.get(
            f"/i/{token}", params={"tz": "America/New_York", "day": f"{start:%Y-%m-%d}"}
        )
        assert re.findall(r'class="slot"[^>]*>(\d\d:\d\d)<', page.text) == ["09:00"]
        assert f"{start:%B} {year}</h3>" in page.text
    confirm = customer.get(
        f"/i/{token}/slot/{monday:%Y%m%dT%H%M%SZ}", params={"tz": "America/New_York"}
    )
    assert "09:00 – 09:30" in confirm.text
    assert '<span class="when-zone">Eastern Time — New York (UTC−04:00)</span>' in confirm.text


def test_a_fixed_zone_is_named_and_not_offered_to_change(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish(time_zone_conversion="fixed", fixed_time_zone="Asia/Tokyo")
    page = customer.get(f"/i/{token}", params={"tz": "Europe/Paris"})
    assert "All times are in Japan Standard Time — Tokyo (UTC+09:00)." in page.text
    assert "<select" not in page.text and "tz=" not in page.text
    tokyo = hour(3, 9).astimezone(ZoneInfo("Asia/Tokyo"))
    assert f">{tokyo:%H:%M}</a>" in page.text
    zones = customer.get(f"/i/{token}/zones")
    assert zones.status_code == 303 and zones.headers["location"] == f"/i/{token}"
