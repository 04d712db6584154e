"""schemathesis, stateful: publish, then follow the document's links (read the link,
book it, fetch its file, cancel) with generated data; never a 5xx, every answer
as documented."""

from __future__ import annotations

from collections.abc import Iterator
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

from inviteonce_desktop.relay.embedded import EmbeddedRelay
from inviteonce_desktop.relay.settings import RelaySettings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def relay_for_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    path: Path = tmp_path_factory.mktemp("stateful") / "relay.sqlite3"
    relay = EmbeddedRelay(f"sqlite:///{path}", settings=RelaySettings(bookings_per_minute=0))
    key = relay.create_organizer("Fuzz")
    with relay:
        yield relay.base_url, key


@pytest.mark.slow
def test_sequences_of_calls_answer_as_documented(relay_for_schema: tuple[str, str]) -> None:
    base_url, key = relay_for_schema
    schema = from_url(f"{base_url}/openapi.json")
    headers = {"Authorization": f"Bearer {key}"}
    calls: list[int] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            query = case.query if isinstance(case.query, dict) else None
            if query and isinstance(query.get("wait"), int | float) and query["wait"] > 1:
                query["wait"] = 1
            return {"headers": headers, "timeout": 40}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            calls.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
    )
    assert calls and not [status for status in calls if status >= 500]
