"""The facade's lookups by id take any int, as the window may hand them one: an id the
database cannot hold names nothing (NotFound, one sentence), never an OverflowError."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from inviteonce_desktop.application.clock import FixedClock
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.errors import NotFound

HUGE = 99_999_999_999_999_999_999

CALLS: dict[str, Callable[[InviteOnce, int], Any]] = {
    "invitation": lambda app, i: app.invitation(i),
    "invitation_history": lambda app, i: app.invitation_history(i),
    "email_status": lambda app, i: app.email_status(i),
    "invitation_links": lambda app, i: app.invitation_links(i),
    "cancel_invitation": lambda app, i: app.cancel_invitation(i),
    "resend_invitation": lambda app, i: app.resend_invitation(i),
    "send_draft": lambda app, i: app.send_draft(i),
    "retry_delivery": lambda app, i: app.retry_delivery(i),
    "load_draft": lambda app, i: app.load_draft(i),
    "calendar_account": lambda app, i: app.calendar_account(i),
    "remove_calendar": lambda app, i: app.remove_calendar(i),
    "test_calendar": lambda app, i: app.test_calendar(i),
    "calendar_choices": lambda app, i: app.calendar_choices(i),
    "set_working_elsewhere": lambda app, i: app.set_working_elsewhere(i, True),
    "map_calendar": lambda app, i: app.map_calendar(f"#{i}", None, None),
    "meeting_calendar_link": lambda app, i: app.meeting_calendar_link(i),
    "busy of #N": lambda app, i: app.busy(f"#{i}", *_day()),
    "remove_member": lambda app, i: app.remove_member(i),
    "remove_room": lambda app, i: app.remove_room(f"#{i}"),
}


def _day() -> tuple[datetime, datetime]:
    start = datetime(2027, 1, 4, tzinfo=UTC)
    return start, start + timedelta(days=1)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InviteOnce]:
    """One workspace for every case: a lookup that names nothing changes nothing."""
    app = InviteOnce.open(
        tmp_path_factory.mktemp("ids") / "workspace",
        FixedClock(datetime(2026, 11, 23, 7, tzinfo=UTC)),
    )
    app.set_profile("Org", "org@example.com", "UTC")
    yield app
    app.close()


@pytest.mark.parametrize("ident", [HUGE, -HUGE, 2**63, 0])
@pytest.mark.parametrize("name", list(CALLS))
def test_an_id_the_database_cannot_hold_names_nothing(
    workspace: InviteOnce, name: str, ident: int
) -> None:
    with pytest.raises(NotFound, match=r"^There is no "):
        result = CALLS[name](workspace, ident)
        if inspect.isawaitable(result):
            asyncio.run(result)
