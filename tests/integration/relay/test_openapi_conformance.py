"""schemathesis against /openapi.json: no 5xx and every answer as documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.openapi import from_url

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

from .servers import migrated_sqlite

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def relay_for_schema(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[str, str]]:
    url = migrated_sqlite(sqlite_template, tmp_path_factory.mktemp("schema") / "relay.sqlite3")
    relay = EmbeddedRelay(url, settings=RelaySettings(bookings_per_minute=0))
    key = relay.create_organizer("Fuzz")
    with relay:
        yield relay.base_url, key


def test_every_route_answers_as_documented(relay_for_schema: tuple[str, str]) -> None:
    base_url, key = relay_for_schema
    api = from_url(f"{base_url}/openapi.json")
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            query = case.query if isinstance(case.query, dict) else None
            if query and isinstance(query.get("wait"), int | float) and query["wait"] > 0.2:
                # How long a long-poll waits is not under test here; its answer is.
                query["wait"] = 0.2
            case.call_and_validate(headers=headers, checks=CHECKS, timeout=40)

        run()
