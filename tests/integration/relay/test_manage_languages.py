"""The manage pages in the browser's language or the link's ``?lang=``, kept through a move."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import httpx

from .conftest import slot_id

Hour = Callable[[int, int], datetime]
GERMAN = {"accept-language": "de-DE,de;q=0.9"}


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def _manage_path(organizer: httpx.Client) -> str:
    (entry,) = organizer.get("/api/v1/bookings").json()["bookings"]
    url: str = entry["manage_url"]
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_manage_pages_speak_the_language_and_a_move_keeps_it(
    customer: httpx.Client, organizer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish(starts=[hour(3, 9), hour(3, 10)])
    page = customer.get(f"/i/{token}/slot/{slot_id(hour(3, 9))}?tz=UTC&lang=fr")
    booked = customer.post(
        f"/i/{token}/book?lang=fr",
        data={"slot_id": slot_id(hour(3, 9)), "csrf": _csrf(page), "time_zone": "UTC"},
    )
    done = customer.get(booked.headers["location"])
    assert "le lien propre à votre rendez-vous" in done.text
    assert re.search(r'href="/m/[^"?]+\?lang=fr" data-manage', done.text)
    manage = _manage_path(organizer)

    german = customer.get(manage, headers=GERMAN)
    assert '<html lang="de"' in german.text and "Ihr Termin" in german.text
    assert "Verschieben" in german.text and "Termin absagen" in german.text

    spanish = customer.get(f"{manage}/reschedule?lang=es", headers=GERMAN)
    assert "Elija una nueva fecha y hora" in spanish.text
    move = customer.get(f"{manage}/reschedule/{slot_id(hour(3, 10))}?tz=UTC&lang=es")
    assert "Cambiar la hora de su reunión" in move.text
    action = re.search(r'<form method="post" action="([^"]+)"', move.text)
    assert action is not None and "lang=es" in action.group(1)
    found = re.search(r'name="from" value="(\d+)"', move.text)
    assert found is not None
    moved = customer.post(
        action.group(1).replace("&amp;", "&"),
        data={"slot_id": slot_id(hour(3, 10)), "csrf": _csrf(move), "from": found.group(1)},
        headers=GERMAN,
    )
    assert moved.status_code == 303 and "lang=es" in moved.headers["location"]
    after = customer.get(moved.headers["location"], headers=GERMAN)
    assert '<html lang="es"' in after.text and "Su reunión se ha cambiado." in after.text
