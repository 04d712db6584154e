"""The customer's manage link over HTTP: see, reschedule, cancel; scanners change nothing."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .conftest import OfferFactory, future_hour, slot_id
from .servers import http_client

Hour = Callable[[int, int], datetime]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def _book(customer: httpx.Client, token: str, start: datetime, zone: str = "Asia/Tokyo") -> None:
    page = customer.get(f"/i/{token}/slot/{slot_id(start)}?tz={zone}")
    booked = customer.post(
        f"/i/{token}/book",
        data={"slot_id": slot_id(start), "csrf": _csrf(page), "time_zone": zone},
    )
    assert booked.status_code == 303, booked.text


def _feed(organizer: httpx.Client) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = organizer.get("/api/v1/bookings").json()["bookings"]
    return entries


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _move(customer: httpx.Client, manage: str, start: datetime) -> httpx.Response:
    page = customer.get(f"{manage}/reschedule/{slot_id(start)}")
    assert page.status_code == 200, page.text
    found = re.search(r'name="from" value="(\d+)"', page.text)
    assert found is not None
    return customer.post(
        f"{manage}/reschedule",
        data={"slot_id": slot_id(start), "csrf": _csrf(page), "from": found.group(1)},
    )


@pytest.fixture
def running_relay(sqlite_url: str) -> Iterator[EmbeddedRelay]:
    """A relay that books picks at once: these tests poll the feed as the organizer, and the
    re-check at pick time (test_recheck_holds.py) would hold each pick for a verdict."""
    with EmbeddedRelay(
        sqlite_url,
        settings=RelaySettings(bookings_per_minute=0, recheck_seconds=0),
    ) as relay:
        yield relay


@pytest.fixture
def booked(
    customer: httpx.Client, organizer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> tuple[str, str]:
    """(link token, manage path) of a meeting booked at hour(3, 9) from Tokyo."""
    token = publish(starts=[hour(3, 9), hour(3, 10), hour(3, 11), hour(4, 9)])
    _book(customer, token, hour(3, 9))
    (entry,) = _feed(organizer)
    assert entry["change"] == "booked"
    return token, _path(entry["manage_url"])


def test_the_feed_and_the_booked_page_carry_the_same_manage_link(
    customer: httpx.Client, organizer: httpx.Client, booked: tuple[str, str]
) -> None:
    token, manage = booked
    assert manage.startswith("/m/") and token not in manage
    page = customer.get(f"/i/{token}/confirmed?tz=Asia/Tokyo")
    assert f'href="{manage}"' in page.text
    shown = customer.get(manage)
    assert shown.status_code == 200
    assert "Reschedule" in shown.text and "Cancel meeting" in shown.text
    # The time in the customer's zone, the zone picker as on the booking page.
    assert '<option value="Asia/Tokyo" selected>' in shown.text
    assert f"{future_hour(3, 9).astimezone(_tokyo()):%H:%M}" in shown.text
    assert customer.get("/m/" + "A" * 24).status_code == 404
    assert customer.get("/m/short").status_code == 404


def _tokyo() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Tokyo")


def test_mail_scanners_following_every_link_change_nothing(
    customer: httpx.Client, organizer: httpx.Client, booked: tuple[str, str], hour: Hour
) -> None:
    _token, manage = booked
    new = slot_id(hour(3, 10))
    for path in (
        manage,
        f"{manage}/reschedule",
        f"{manage}/reschedule/{new}",
        f"{manage}/reschedule?day={hour(3, 10):%Y-%m-%d}",
        f"{manage}/cancel",
        f"{manage}/zones",
    ):
        assert customer.get(path).status_code == 200, path
    # A POST without the page's token (a scanner that submits forms) changes nothing either.
    for path in (f"{manage}/reschedule", f"{manage}/cancel"):
        refused = customer.post(path, data={"slot_id": new, "csrf": "x" * 22})
        assert refused.status_code == 403
    assert [e["change"] for e in _feed(organizer)] == ["booked"]
    assert "Your meeting" in customer.get(manage).text


def test_reschedule_moves_the_meeting_and_frees_the_old_slot(
    customer: httpx.Client,
    organizer: httpx.Client,
    booked: tuple[str, str],
    make_offer: OfferFactory,
    hour: Hour,
) -> None:
    token, manage = booked
    # Another invitation of the same team member holds 11:00 (with a buffer that blocks 10:00).
    other = organizer.put(
        "/api/v1/offers/inv-2",
        json=make_offer(starts=[hour(3, 11)], buffer_before_minutes=45),
    ).json()["token"]
    _book(customer, other, hour(3, 11), zone="UTC")
    picker = customer.get(f"{manage}/reschedule")
    listed = set(re.findall(r"/reschedule/(\w+)", picker.text))
    assert slot_id(hour(3, 9)) not in listed  # its own slot
    assert slot_id(hour(3, 10)) not in listed and slot_id(hour(3, 11)) not in listed
    days = re.findall(r'class="day open[^"]*" href="([^"]+)"', picker.text)
    assert days and all(d.startswith(f"{manage}/reschedule?") for d in days)
    assert not any(f"day={hour(3, 9):%Y-%m-%d}" in d for d in days)  # nothing left that day
    moved = _move(customer, manage, hour(4, 9))
    assert moved.status_code == 303 and moved.headers["location"].startswith(manage)
    done = customer.get(moved.headers["location"])
    assert "was moved" in done.text
    entries = _feed(organizer)
    first, _other, change = entries
    assert change["change"] == "moved" and change["uid"] == first["uid"]
    assert change["start"] == _iso(hour(4, 9)) and change["manage_url"] == first["manage_url"]
    # The old slot is free again for everyone, the link shows the new time.
    third = organizer.put("/api/v1/offers/inv-3", json=make_offer(starts=[hour(3, 9)])).json()
    _book(customer, third["token"], hour(3, 9), zone="UTC")
    ics = customer.get(f"/i/{token}/event.ics").text
    assert f"DTSTART:{hour(4, 9):%Y%m%dT%H%M%SZ}" in ics
    assert change["uid"] in ics.replace("\r\n ", "") and "SEQUENCE:1" in ics


def test_two_tabs_moving_to_the_same_new_slot_one_wins_the_other_sees_the_truth(
    customer: httpx.Client, organizer: httpx.Client, booked: tuple[str, str], hour: Hour
) -> None:
    _token, manage = booked
    new = hour(3, 10)
    first = customer.get(f"{manage}/reschedule/{slot_id(new)}")
    second = customer.get(f"{manage}/reschedule/{slot_id(new)}")
    posts = []
    for page in (first, second):
        found = re.search(r'name="from" value="(\d+)"', page.text)
        assert found is not None
        posts.append(
            customer.post(
                f"{manage}/reschedule",
                data={"slot_id": slot_id(new), "csrf": _csrf(page), "from": found.group(1)},
            )
        )
    assert [p.status_code for p in posts] == [303, 409]
    assert "changed meanwhile" in posts[1].text
    assert f"{new.astimezone(_tokyo()):%H:%M}" in posts[1].text
    assert [e["change"] for e in _feed(organizer)] == ["booked", "moved"]


def test_cancel_frees_the_slot_and_closes_the_invitation(
    customer: httpx.Client,
    organizer: httpx.Client,
    booked: tuple[str, str],
    make_offer: OfferFactory,
    hour: Hour,
) -> None:
    token, manage = booked
    page = customer.get(f"{manage}/cancel")
    found = re.search(r'name="from" value="(\d+)"', page.text)
    assert found is not None
    done = customer.post(f"{manage}/cancel", data={"csrf": _csrf(page), "from": found.group(1)})
    assert done.status_code == 303
    assert "This meeting is cancelled" in customer.get(manage).text
    again = customer.post(f"{manage}/cancel", data={"csrf": _csrf(page), "from": found.group(1)})
    assert again.status_code == 409 and "already cancelled" in again.text
    assert [e["change"] for e in _feed(organizer)] == ["booked", "cancelled"]
    assert customer.get(f"/i/{token}").status_code == 410
    other = organizer.put("/api/v1/offers/inv-2", json=make_offer(starts=[hour(3, 9)])).json()
    _book(customer, other["token"], hour(3, 9), zone="UTC")


def test_the_organizer_moves_a_meeting_through_the_api(
    organizer: httpx.Client, customer: httpx.Client, booked: tuple[str, str], hour: Hour
) -> None:
    _token, manage = booked
    (entry,) = _feed(organizer)
    path = f"/api/v1/bookings/{entry['id']}/move"
    moved = organizer.post(path, json={"start": _iso(hour(3, 11))})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["change"] == "moved" and body["uid"] == entry["uid"]
    assert body["start"] == _iso(hour(3, 11))
    taken = organizer.post(path, json={"start": _iso(hour(5, 9))})
    assert taken.status_code == 409 and taken.json()["error"] == "slot_taken"
    assert [s["start"] for s in taken.json()["slots"]] == [
        _iso(hour(3, 9)),
        _iso(hour(3, 10)),
        _iso(hour(4, 9)),
    ]
    assert (
        organizer.post("/api/v1/bookings/999/move", json={"start": _iso(hour(3, 9))}).status_code
        == 404
    )
    assert organizer.post(path, json={"when": "x"}).status_code == 400
    assert f"{hour(3, 11).astimezone(_tokyo()):%H:%M}" in customer.get(manage).text


@pytest.fixture
def ahead(sqlite_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """(organizer, customer) clients of a relay whose clock runs an hour ahead."""
    relay = EmbeddedRelay(
        sqlite_url,
        settings=RelaySettings(bookings_per_minute=0),
        clock=lambda: time.time() + 3600,
    )
    key = relay.create_organizer("Ann")
    with relay:
        headers = {"Authorization": f"Bearer {key}"}
        with (
            http_client(relay.base_url, headers=headers, timeout=30) as organizer,
            http_client(relay.base_url, timeout=30) as customer,
        ):
            yield organizer, customer


def test_the_lead_time_is_enforced_by_the_relay_clock(
    ahead: tuple[httpx.Client, httpx.Client], make_offer: OfferFactory
) -> None:
    organizer, customer = ahead
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    # 12 h lead: by the desktop's clock the meeting is 12.5 h away, by the relay's 11.5 h.
    soon, later = now + timedelta(hours=12, minutes=30), now + timedelta(days=2)
    token = organizer.put(
        "/api/v1/offers/inv-1",
        json=make_offer(starts=[soon, later], change_lead_minutes=12 * 60),
    ).json()["token"]
    _book(customer, token, soon, zone="UTC")
    (entry,) = _feed(organizer)
    manage = _path(entry["manage_url"])
    page = customer.get(manage)
    assert "starts soon" in page.text and "12 hrs before the start" in page.text
    assert "Cancel meeting" not in page.text
    assert 'name="csrf"' not in customer.get(f"{manage}/cancel").text
    # A forged but well-formed POST is refused too: the relay, not the page, decides.
    customer.cookies.set("relay_csrf", "a" * 22, path="/m/")
    for path, data in (
        (f"{manage}/cancel", {"csrf": "a" * 22}),
        (f"{manage}/reschedule", {"csrf": "a" * 22, "slot_id": slot_id(later)}),
    ):
        refused = customer.post(path, data=data)
        assert refused.status_code == 409 and "too soon" in refused.text
    assert [e["change"] for e in _feed(organizer)] == ["booked"]


def test_before_the_lead_time_the_page_says_until_when(
    customer: httpx.Client, organizer: httpx.Client, make_offer: OfferFactory, hour: Hour
) -> None:
    token = organizer.put(
        "/api/v1/offers/inv-1", json=make_offer(starts=[hour(3, 9)], change_lead_minutes=720)
    ).json()["token"]
    _book(customer, token, hour(3, 9), zone="UTC")
    (entry,) = _feed(organizer)
    page = customer.get(_path(entry["manage_url"]))
    deadline = hour(3, 9) - timedelta(hours=12)
    assert "until 12 hrs before the start" in page.text
    assert f"{deadline:%H:%M}" in page.text and "Cancel meeting" in page.text
