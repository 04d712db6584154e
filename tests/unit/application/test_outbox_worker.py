from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.outbox_worker import OutboxWorker
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.services.mail import MailUnavailable
from inviteonce_desktop.store.outbox import Outbox
from inviteonce_desktop.store.workspace import Workspace

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def worker_with(tmp_path: Path, outcome: BaseException | None) -> tuple[OutboxWorker, list[Any]]:
    workspace = Workspace(tmp_path / "workspace")
    calls: list[Any] = []

    async def handler(payload: dict[str, Any]) -> dict[str, Any] | None:
        calls.append(payload)
        if outcome is not None:
            raise outcome
        return {"sent": payload["n"]}

    with workspace.session() as session:
        Outbox(session).add("email", "email:1", {"n": 1}, NOW)
        Outbox(session).add("email", "email:1", {"n": 2}, NOW)
    return OutboxWorker(workspace, FixedClock(NOW), {"email": handler}), calls


def item(worker: OutboxWorker) -> Any:
    with worker._workspace.session() as session:
        return Outbox(session).get("email:1")


def test_an_item_is_done_once(tmp_path: Path) -> None:
    worker, calls = worker_with(tmp_path, None)

    first = asyncio.run(worker.run_due())
    second = asyncio.run(worker.run_due())

    assert calls == [{"n": 1}]
    assert (first.done, first.waiting, second.done) == (1, 0, 0)
    assert item(worker).status == "done"


def test_the_network_failing_keeps_the_item_for_a_retry(tmp_path: Path) -> None:
    worker, calls = worker_with(tmp_path, MailUnavailable("The mail server cannot be reached."))

    report = asyncio.run(worker.run_due())
    asyncio.run(worker.run_due())

    assert (report.failed, report.waiting, len(calls)) == (1, 1, 1)
    assert item(worker).status == "pending"
    assert item(worker).last_error == "The mail server cannot be reached."
    worker.retry_now()
    asyncio.run(worker.run_due())
    assert len(calls) == 2


def test_a_refusal_is_kept_as_failed_with_its_sentence(tmp_path: Path) -> None:
    worker, calls = worker_with(tmp_path, ValidationError("Set your name first."))

    asyncio.run(worker.run_due())
    worker.retry_now()
    asyncio.run(worker.run_due())

    assert len(calls) == 1
    assert (item(worker).status, item(worker).last_error) == ("failed", "Set your name first.")


def test_backoff_makes_a_failed_item_due_later(tmp_path: Path) -> None:
    worker, calls = worker_with(tmp_path, MailUnavailable("down"))
    asyncio.run(worker.run_due())

    worker._clock.at = NOW + timedelta(seconds=3)  # type: ignore[attr-defined]
    asyncio.run(worker.run_due())

    assert len(calls) == 2
