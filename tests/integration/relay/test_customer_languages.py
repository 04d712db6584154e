"""The customer's pages over HTTP in the browser's language, or the link's ``?lang=``."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

Hour = Callable[[int, int], datetime]
GERMAN = {"accept-language": "de-DE,de;q=0.9,en;q=0.8"}


def _links(page: httpx.Response) -> list[str]:
    """Every link and form target of the page, but the footer's language choice."""
    body = page.text.split('<footer class="foot">')[0]
    return [html.unescape(u) for u in re.findall(r'(?:href|action|data-zones)="([^"]+)"', body)]


def test_the_browsers_language_chooses_the_page(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour
) -> None:
    token = publish(starts=[hour(3, 9), hour(3, 10)])
    page = customer.get(f"/i/{token}?tz=Europe/Berlin", headers=GERMAN)
    assert page.status_code == 200
    assert '<html lang="de"' in page.text
    assert "Datum und Uhrzeit wählen" in page.text and "Uhrzeiten anzeigen" in page.text
    assert '<abbr title="Montag">Mo.</abbr>' in page.text
    assert "Mitteleuropäische Zeit — Berlin" in page.text
    assert "Dauer:" in page.text and "30 Min." in page.text and "Videoanruf" in page.text
    assert 'data-search-label="Zeitzonen durchsuchen"' in page.text
    assert "accept-language" in page.headers["vary"].lower()
    french = customer.get(f"/i/{token}?tz=Europe/Berlin", headers={"accept-language": "fr"})
    assert '<html lang="fr"' in french.text and "Choisissez une date et un horaire" in french.text
    english = customer.get(f"/i/{token}?tz=Europe/Berlin")
    assert '<html lang="en"' in english.text and "Select a date and time" in english.text


def test_the_link_parameter_wins_and_every_link_and_form_keeps_it(
    customer: httpx.Client, publish: Callable[..., str], hour: Hour, slot_id_of: Any
) -> None:
    slot = slot_id_of(hour(3, 9))
    token = publish(starts=[hour(3, 9), hour(4, 9)])
    page = customer.get(f"/i/{token}?tz=Asia/Tokyo&lang=es", headers=GERMAN)
    assert '<html lang="es"' in page.text and "Elija una fecha y una hora" in page.text
    own = [u for u in _links(page) if u.startswith("/i/") and u != f"/i/{token}"]
    assert own and [u for u in own if "lang=es" not in u] == []
    # the zone form (its action the bare link) carries it as a field
    assert f'action="/i/{token}"' in page.text
    assert '<input type="hidden" name="lang" value="es">' in page.text
    confirm = customer.get(f"/i/{token}/slot/{slot}?tz=Asia/Tokyo&lang=es", headers=GERMAN)
    assert "Confirmar este horario" in confirm.text
    assert f'action="/i/{token}/book?lang=es"' in confirm.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', confirm.text)
    assert csrf is not None
    booked = customer.post(
        f"/i/{token}/book?lang=es",
        data={"slot_id": slot, "csrf": csrf.group(1), "time_zone": "Asia/Tokyo"},
        headers=GERMAN,
    )
    assert booked.status_code == 303
    assert booked.headers["location"] == f"/i/{token}/confirmed?tz=Asia%2FTokyo&lang=es"
    done = customer.get(booked.headers["location"], headers=GERMAN)
    assert "Su reserva está hecha" in done.text
    tokyo = hour(3, 9).astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M}".lstrip("0") in done.text
    assert "hora de Japón — Tokio" in done.text
    # the footer offers this very page in the other languages
    assert f'href="/i/{token}/confirmed?tz=Asia%2FTokyo&amp;lang=de"' in done.text


def test_an_unknown_language_is_english_and_never_echoed(
    customer: httpx.Client, publish: Callable[..., str]
) -> None:
    token = publish()
    page = customer.get(f"/i/{token}", params={"lang": '"><script>x</script>'})
    assert page.status_code == 200 and '<html lang="en"' in page.text
    assert "<script>x" not in page.text and "&lt;script&gt;x" not in page.text


def test_message_pages_speak_the_language_and_stay_the_same_for_every_token(
    customer: httpx.Client, organizer: httpx.Client, make_offer: Callable[..., dict[str, Any]]
) -> None:
    pages = [customer.get(f"/i/{t}", headers=GERMAN) for t in ("A" * 24, "B" * 24, "short")]
    assert {p.status_code for p in pages} == {404}
    assert len({p.text for p in pages}) == 1
    assert "Link nicht gefunden" in pages[0].text and '<html lang="de"' in pages[0].text
    body = make_offer(expires_at="2020-01-01T00:00:00Z")
    token = organizer.put("/api/v1/offers/inv-old", json=body).json()["token"]
    gone = customer.get(f"/i/{token}?lang=es")
    assert gone.status_code == 410 and "Invitación caducada" in gone.text


def test_the_page_cache_keeps_each_language_apart(
    customer: httpx.Client, publish: Callable[..., str]
) -> None:
    token = publish()
    for _ in range(2):
        german = customer.get(f"/i/{token}?tz=UTC", headers=GERMAN)
        spanish = customer.get(f"/i/{token}?tz=UTC", headers={"accept-language": "es"})
        chosen = customer.get(f"/i/{token}?tz=UTC&lang=fr", headers=GERMAN)
        assert '<html lang="de"' in german.text and '<html lang="es"' in spanish.text
        assert '<html lang="fr"' in chosen.text and "lang=fr" in chosen.text
