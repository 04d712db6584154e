"""schemathesis, stateful: publish, then follow the document's links (read the link,
open its page, book it, read the organizer's feed and acknowledge it, fetch the
file, cancel) with generated data; never a 5xx, every answer as documented.

Generated offers rarely pass the checks across fields (whole minutes, slots in the
future and after the notice, known time zones), so each published body is made
valid from what was generated: its texts, meeting type, notice, buffers and
resource keys stay, its times are laid out so the slots can be booked. The
stateless schemathesis run fuzzes the validation itself.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.openapi import from_url
from schemathesis.specs.openapi import stateful

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import migrated_sqlite

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


OFFERS = "/api/v1/offers/{invitation_id}"


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) and " ".join(value.split()) else default


def _keys(slots: object, walk: str) -> tuple[list[str], list[list[str]]]:
    """The first generated slot's resources and pools (or one room), as this walk's own."""
    first = slots[0] if isinstance(slots, list) and slots and isinstance(slots[0], dict) else {}
    resources = [f"{walk}{k}"[:64] for k in first.get("resources", []) if isinstance(k, str)]
    pools = [
        [f"{walk}{k}"[:64] for k in pool if isinstance(k, str)]
        for pool in first.get("pools", [])
        if isinstance(pool, list) and pool
    ]
    return (resources or ([] if pools else [f"{walk}room"])), pools


def bookable_offer(body: dict[str, Any], walk: str) -> dict[str, Any]:
    """*body* with its times laid out so its slots can be booked now.

    Its resource keys are the walk's own, so what earlier walks booked cannot
    change this walk's answers (Hypothesis replays walks and wants them alike).
    """
    # JSON Schema takes 217.0 for an integer; the relay's decoder wants 217.
    whole = {
        name: int(value)
        for name, value in body.items()
        if isinstance(value, float) and value.is_integer()
    }
    body = {**body, **whole}
    notice = body.get("minimum_notice_minutes", 0)
    duration = body.get("duration_minutes", 30)
    duration = duration if isinstance(duration, int) and 1 <= duration <= 240 else 30
    notice = notice if isinstance(notice, int) and notice >= 0 else 0
    first = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=notice, days=1)
    resources, pools = _keys(body.get("slots"), walk)
    starts = [first + timedelta(hours=3 * n) for n in range(3)]
    offer = {
        **{k: v for k, v in body.items() if k not in ("branding", "fixed_time_zone")},
        "subject": _text(body.get("subject"), "Kitchen planning"),
        "organizer_name": _text(body.get("organizer_name"), "Ann Organizer"),
        "duration_minutes": duration,
        "time_zone": "Europe/Paris",
        "expires_at": _iso(first + timedelta(days=30)),
        "slots": [
            {
                "start": _iso(start),
                "end": _iso(start + timedelta(minutes=duration)),
                "resources": resources,
                "pools": pools,
            }
            for start in starts
        ],
        "promoted": [_iso(starts[0])],
    }
    if isinstance(body.get("location"), str):
        offer["location"] = _text(body["location"], "")
    return offer


@pytest.fixture(scope="module")
def relay_for_schema(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[str, str]]:
    url = migrated_sqlite(sqlite_template, tmp_path_factory.mktemp("stateful") / "relay.sqlite3")
    # Picks book at once: the walk polls the feed as the organizer, and a pick held for the
    # re-check would keep its booking (and the ack) out of the walk's reach; the re-check
    # routes are walked by test_openapi_conformance.py and tested in test_recheck_holds.py.
    settings = RelaySettings(bookings_per_minute=0, recheck_seconds=0)
    relay = EmbeddedRelay(url, settings=settings)
    key = relay.create_organizer("Fuzz")
    with relay:
        yield relay.base_url, key


@pytest.mark.slow
def test_sequences_of_calls_answer_as_documented(
    relay_for_schema: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base_url, key = relay_for_schema
    schema = from_url(f"{base_url}/openapi.json")
    # Every walk starts where a client's does, with a publish (schemathesis would
    # start from POSTs and from GETs without path parameters, with random tokens).
    monkeypatch.setattr(
        stateful,
        "is_likely_root_transition",
        lambda operation, *_: operation.method == "put" and operation.path == OFFERS,
    )
    headers = {"Authorization": f"Bearer {key}"}
    calls: Counter[tuple[str, str, int]] = Counter()

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.walk = uuid.uuid4().hex[:8]

        def before_call(self, case: Any) -> None:
            if case.path == "/api/v1/bookings/ack" and isinstance(case.body, dict):
                if "cursor" in case.body:
                    # The feed's cursor (the link's); generated ids besides it are refused.
                    case.body.pop("ids", None)
            if case.method == "PUT" and case.path == OFFERS and isinstance(case.body, dict):
                case.body = bookable_offer(case.body, self.walk)
            if case.path == OFFERS and isinstance(case.path_parameters, dict):
                # Each walk publishes offers of its own, first published (201), never replaced.
                named = str(case.path_parameters.get("invitation_id", ""))
                if not named.startswith(self.walk):
                    plain = "".join(c for c in named if c.isascii() and c.isalnum())
                    case.path_parameters["invitation_id"] = f"{self.walk}-{plain}"[:200]

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            query = case.query if isinstance(case.query, dict) else None
            if query and isinstance(query.get("wait"), int | float) and query["wait"] > 0.2:
                query["wait"] = 0.2
            return {"headers": headers, "timeout": 40}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            calls[case.method, case.path, response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
    )
    assert not [call for call in calls if call[2] >= 500]
    # The whole way was walked: published, page shown, booked, in the feed, acknowledged.
    walked = {(method, path) for method, path, status in calls if status < 300}
    assert {
        ("PUT", OFFERS),
        ("GET", "/i/{token}"),
        ("POST", "/api/v1/i/{token}/book"),
        ("GET", "/api/v1/bookings"),
        ("POST", "/api/v1/bookings/ack"),
    } <= walked, sorted(calls.items())
