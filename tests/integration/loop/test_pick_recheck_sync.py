"""The desktop's sync pass answers the relay's re-check with a live read of the local
calendar: a customer's pick that has just become busy there is released, a free one
stands, and a pick for an invitation the desktop does not know waits for the deadline.

The relay is the standalone ``inviteonce-relay``; the customer books through the JSON
twin, which waits for the verdict.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from inviteonce_desktop.core.invitation import SendMode
from inviteonce_desktop.relay.database import create_relay_engine
from inviteonce_desktop.relay.schema import booking_rechecks, organizers
from inviteonce_desktop.store.calendar_data import LocalAttendee, LocalEvent, LocalEvents

from .parts import Desktop, RadicaleCalendar, invitation, slots_bookable_later

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def collected_first() -> None:
    """What earlier tests left (a window's Qt timers) is collected here, on the main
    thread, rather than by a garbage collection on one of this test's threads."""
    gc.collect()


def verdicts(desktop: Desktop) -> list[str]:
    """The relay's verdicts on this organizer's holds, oldest first."""
    engine = create_relay_engine(desktop.relay.database_url, pool_size=1)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(booking_rechecks.c.verdict)
                .join(organizers, organizers.c.id == booking_rechecks.c.organizer_id)
                .where(organizers.c.name == desktop.organizer)
                .order_by(booking_rechecks.c.id)
            ).all()
    finally:
        engine.dispose()
    return [str(row.verdict) for row in rows]


def pick_while_syncing(desktop: Desktop, token: str, start: str) -> httpx.Response:
    """The customer books; the desktop runs sync passes until the booking is answered."""
    answer: list[httpx.Response] = []

    def customer() -> None:
        answer.append(
            httpx.post(
                f"{desktop.relay.url}/api/v1/i/{token}/book", json={"start": start}, timeout=30
            )
        )

    thread = threading.Thread(target=customer)
    thread.start()
    while thread.is_alive():
        asyncio.run(desktop.app.sync.run_once())
    thread.join()
    return answer[0]


def test_the_sync_pass_releases_a_pick_that_the_local_calendar_has_made_busy(
    desktop: Desktop,
) -> None:
    app = desktop.app
    created = asyncio.run(app.create_invitation(invitation(desktop, send=SendMode.LINKS)))
    token = created.invitation.token
    assert token is not None
    first, second = slots_bookable_later(desktop, created.invitation)[:2]
    # After publishing, Maria gets another appointment at the first time.
    maria = desktop.members[0]
    with app.workspace.session() as session:
        LocalEvents(session).put(
            LocalEvent(
                "dentist@t",
                "Dentist",
                first.start,
                first.start + timedelta(minutes=30),
                attendees=(LocalAttendee(maria.key),),
            )
        )
    asyncio.run(app.sync.run_once())  # The desktop is connected.

    refused = pick_while_syncing(desktop, token, first.start.isoformat())
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "calendar_busy"
    remaining = [slot["start"] for slot in refused.json()["slots"]]
    assert first.start.isoformat().replace("+00:00", "Z") not in remaining
    assert app.meetings() == []
    (refusal,) = [
        e.text
        for e in app.invitations.history(created.invitation.id or 0)
        if "asked to pick another time" in e.text
    ]
    assert refusal.startswith("The customer picked ")
    assert "but Maria Keller had become busy then" in refusal

    booked = pick_while_syncing(desktop, token, second.start.isoformat())
    assert booked.status_code == 201, booked.text
    asyncio.run(app.sync.run_once())
    (meeting,) = app.meetings()
    assert meeting.start == second.start and meeting.conflict is None
    assert verdicts(desktop) == ["conflict", "confirmed"]


def test_a_calendar_that_cannot_be_read_leaves_the_pick_to_the_relay_and_is_flagged(
    desktop: Desktop, radicale_calendar: RadicaleCalendar
) -> None:
    """Unknown is not known busy: the relay books on its own data and the meeting says why."""
    app = desktop.app
    server = radicale_calendar.server
    account = asyncio.run(
        app.calendars.connect_caldav(
            server.url, "olivia", server.users["olivia"], email="maria@example.com"
        )
    )
    asyncio.run(app.calendars.choose_calendar(account.id, radicale_calendar.calendar_id))
    assert asyncio.run(app.calendars.refresh()).problems == []
    created = asyncio.run(app.create_invitation(invitation(desktop, send=SendMode.LINKS)))
    token = created.invitation.token
    assert token is not None
    first = slots_bookable_later(desktop, created.invitation)[0]
    # Maria's calendar goes away after the offer was published.
    app.calendars.map_resource("Maria Keller", account.id, "olivia/gone/")
    asyncio.run(app.sync.run_once())

    booked = pick_while_syncing(desktop, token, first.start.isoformat())
    assert booked.status_code == 201, booked.text
    asyncio.run(app.sync.run_once())
    (meeting,) = app.meetings()
    assert meeting.conflict is not None
    assert "Maria Keller's calendar could not be read" in meeting.conflict
    assert verdicts(desktop) == ["confirmed"]  # The desktop's "unknown", not the deadline.
