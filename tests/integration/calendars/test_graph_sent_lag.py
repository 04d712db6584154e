"""Microsoft 365 files a sent message in Sent Items some time after sendMail's 202.

The fake Graph models that lag on an injected clock, and a proxy in front of it
drops the answer to a send it let through. The outbox must neither send again
because Sent Items does not show the message yet (a duplicate), nor lose a
message that was in fact never sent: that one goes again, once, when the
settle time has passed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.demo import seed_demo
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.invitations import EmailState, outbox_handlers
from inviteonce_desktop.application.mail_delivery import DEFAULT_SETTLE, MailDelivery
from inviteonce_desktop.application.mail_settings import MailService, MailSettings
from inviteonce_desktop.application.outbox_worker import OutboxWorker
from inviteonce_desktop.core.history import HistoryKind
from inviteonce_desktop.core.invitation import (
    Invitation,
    MeetingDetails,
    Notifications,
    Participant,
    SendMode,
)
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.services.mail_accounts import GraphMailTransport
from inviteonce_desktop.store.outbox import DONE, PENDING, Outbox, OutboxItem

from .conftest import GraphServer
from .fakes.common import Fault
from .fakes.dropping import DroppingProxy, dropping_proxy

LAG = timedelta(seconds=90)
SENT_ITEMS = ("GET", "me/mailFolders/sentitems/messages")


@pytest.fixture
def app(tmp_path: Path, memory_keyring: object) -> Iterator[InviteOnce]:
    app = InviteOnce.open(tmp_path / "ws", FixedClock(datetime.now(UTC).replace(microsecond=0)))
    seed_demo(app)
    yield app
    asyncio.run(app.calendars.aclose())
    app.close()


@pytest.fixture
def proxy(graph: GraphServer, app: InviteOnce) -> Iterator[DroppingProxy]:
    graph.fake.clock = app.clock.now
    graph.fake.sent_items_lag = LAG
    with dropping_proxy(graph.graph_url) as proxy:
        yield proxy


def clock(app: InviteOnce) -> FixedClock:
    assert isinstance(app.clock, FixedClock)
    return app.clock


def queued_invitation(app: InviteOnce) -> int:
    """An invitation whose email waits in the outbox (no way of sending set up yet)."""
    member = app.members()[0]
    assert member.id is not None
    invitation = Invitation(
        Participant("First Customer", "first@example.com"),
        MeetingDetails("Discovery call", timedelta(minutes=30), (member.id,)),
        TimeFrame("Europe/Berlin", rolling_days=14),
        Notifications(send_mode=SendMode.EMAIL),
    )
    created = asyncio.run(app.create_invitation(invitation))
    assert created.email.state == EmailState.QUEUED
    return created.invitation.id or 0


def graph_worker(app: InviteOnce, graph: GraphServer, proxy: DroppingProxy) -> OutboxWorker:
    """The outbox sending as the Microsoft 365 account, through the dropping proxy."""
    transport = GraphMailTransport(
        account_name="Contoso",
        access_token=graph.access_token(),
        address=graph.fake.account_email,
        graph_url=f"{proxy.url}/v1.0",
        timeout=0.5,
    )
    mail = MailService(app.workspace, app.credentials, lambda _account: transport)
    mail.configure(MailSettings("account", account_id=1))
    handlers = outbox_handlers(app.invitations, app.bookings)
    delivery = MailDelivery(app.workspace, app.clock, mail)
    worker = OutboxWorker(app.workspace, app.clock, handlers, delivery)
    worker.retry_now()
    return worker


def email_item(app: InviteOnce, invitation_id: int) -> OutboxItem:
    with app.workspace.session() as session:
        (item,) = [i for i in Outbox(session).of(invitation_id=invitation_id) if "email" in i.kind]
    return item


def run(worker: OutboxWorker, app: InviteOnce, later: timedelta) -> None:
    clock(app).at += later
    asyncio.run(worker.run_due())


def test_a_sent_message_missing_from_sent_items_at_first_is_not_sent_again(
    app: InviteOnce, graph: GraphServer, proxy: DroppingProxy
) -> None:
    invitation_id = queued_invitation(app)
    worker = graph_worker(app, graph, proxy)
    proxy.drop("POST", "sendMail")

    run(worker, app, timedelta(0))
    assert len(graph.fake.sent) == 1
    run(worker, app, timedelta(seconds=5))
    assert graph.fake.requests.count(SENT_ITEMS) == 1
    item = email_item(app, invitation_id)
    assert item.status == PENDING and item.last_error is not None
    assert "not in the Microsoft 365 Sent Items folder yet" in item.last_error
    run(worker, app, LAG / 2)
    assert graph.fake.requests.count(SENT_ITEMS) == 1

    worker.retry_now()
    run(worker, app, LAG)

    assert len(graph.fake.sent) == 1
    assert email_item(app, invitation_id).status == DONE
    emailed = [e for e in app.invitations.history(invitation_id) if e.kind == HistoryKind.EMAILED]
    assert len(emailed) == 1
    assert "found in the Microsoft 365 Sent Items folder" in emailed[0].text


def test_a_message_that_was_truly_lost_is_sent_once_after_the_settle_time(
    app: InviteOnce, graph: GraphServer, proxy: DroppingProxy
) -> None:
    invitation_id = queued_invitation(app)
    worker = graph_worker(app, graph, proxy)
    graph.fake.faults.add(Fault(202, {}, delay=1.5))

    run(worker, app, timedelta(0))
    assert graph.fake.sent == []
    run(worker, app, timedelta(seconds=5))
    run(worker, app, DEFAULT_SETTLE / 2)
    assert graph.fake.sent == []
    assert email_item(app, invitation_id).status == PENDING

    run(worker, app, DEFAULT_SETTLE / 2)
    run(worker, app, DEFAULT_SETTLE)

    assert len(graph.fake.sent) == 1
    assert email_item(app, invitation_id).status == DONE
    kinds = [e.kind for e in app.invitations.history(invitation_id)]
    assert kinds.count(HistoryKind.EMAILED) == 1
    assert HistoryKind.MAYBE_TWICE not in kinds


def test_the_settle_time_is_a_setting(app: InviteOnce) -> None:
    assert app.sent_settle_minutes() == DEFAULT_SETTLE.total_seconds() / 60
    app.set_sent_settle_minutes(5)
    assert app.sent_settle_minutes() == 5
