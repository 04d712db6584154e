from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.jobs import (
    Handlers,
    InvitationEmail,
    Publish,
    Republish,
    TeamNotification,
    enqueue,
    job_from,
)
from inviteonce_desktop.application.outbox_worker import OutboxWorker, set_give_up_after
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.services.mail import MailUnavailable
from inviteonce_desktop.store.outbox import Outbox, backoff
from inviteonce_desktop.store.workspace import Workspace

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def worker_with(
    tmp_path: Path, outcome: BaseException | None
) -> tuple[OutboxWorker, list[Publish]]:
    workspace = Workspace(tmp_path / "workspace")
    calls: list[Publish] = []

    async def handler(job: Publish) -> dict[str, Any] | None:
        calls.append(job)
        if outcome is not None:
            raise outcome
        return {"published": job.id}

    with workspace.session() as session:
        enqueue(session, Publish(1), NOW)
        enqueue(session, Publish(1), NOW)
    handlers = Handlers().add(Publish, handler)
    return OutboxWorker(workspace, FixedClock(NOW), handlers), calls


def item(worker: OutboxWorker) -> Any:
    with worker._workspace.session() as session:
        return Outbox(session).get("publish:1")


def test_a_job_is_declared_once_with_its_key_and_payload() -> None:
    job = TeamNotification(meeting_id=4, member_id=2)

    assert (job.kind, job.key, job.payload()) == (
        "team_notification",
        "notify:4:2",
        {"meeting_id": 4, "member_id": 2},
    )
    assert job_from(job.kind, job.payload()) == job
    assert InvitationEmail(7, 2).key == "invitation-email:7:2"
    assert InvitationEmail(7, 2).invitation_id == 7


def test_a_republish_is_a_job_with_its_offers_in_its_key() -> None:
    job = Republish(((3, 2), (5, 1)))

    assert (job.kind, job.key, job.payload()) == (
        "republish",
        "republish:3.2,5.1",
        {"ids": [[3, 2], [5, 1]]},
    )
    assert job_from(job.kind, job.payload()) == job
    # One offer at a time was the stored form before lists of offers.
    assert job_from("republish", {"id": 4, "n": 3}) == Republish(((4, 3),))


def test_an_item_is_done_once(tmp_path: Path) -> None:
    worker, calls = worker_with(tmp_path, None)

    first = asyncio.run(worker.run_due())
    second = asyncio.run(worker.run_due())

    assert calls == [Publish(1)]
    assert (first.done, first.waiting, second.done) == (1, 0, 0)
    assert item(worker).status == "done"
    assert item(worker).invitation_id == 1


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


def test_backoff_doubles_and_is_capped() -> None:
    waits = [backoff(n) for n in range(1, 20)]

    assert waits[:3] == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    assert max(waits) == timedelta(minutes=15)
    assert waits == sorted(waits)


def test_backoff_makes_a_failed_item_due_later(tmp_path: Path) -> None:
    worker, calls = worker_with(tmp_path, MailUnavailable("down"))
    asyncio.run(worker.run_due())

    worker._clock.at = NOW + timedelta(seconds=1)  # type: ignore[attr-defined]
    asyncio.run(worker.run_due())
    assert len(calls) == 1
    worker._clock.at = NOW + timedelta(seconds=3)  # type: ignore[attr-defined]
    asyncio.run(worker.run_due())

    assert len(calls) == 2


@pytest.mark.parametrize(("hours", "status"), [(24.0, "pending"), (1.0, "failed")])
def test_temporary_failures_are_given_up_after_the_setting(
    tmp_path: Path, hours: float, status: str
) -> None:
    worker, calls = worker_with(tmp_path, MailUnavailable("The mail server said later (450)."))
    set_give_up_after(worker._workspace, hours)
    asyncio.run(worker.run_due())

    worker._clock.at = NOW + timedelta(hours=2)  # type: ignore[attr-defined]
    asyncio.run(worker.run_due())

    assert len(calls) == 2
    assert item(worker).status == status


def test_a_failed_item_asked_for_again_is_tried_afresh(tmp_path: Path) -> None:
    worker, calls = worker_with(tmp_path, ValidationError("Set your name first."))
    asyncio.run(worker.run_due())

    with worker._workspace.session() as session:
        again = enqueue(session, Publish(1), NOW, reopen=True)

    assert again.status == "pending"
    asyncio.run(worker.run_due())
    assert len(calls) == 2
