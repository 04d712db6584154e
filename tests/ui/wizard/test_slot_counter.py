"""Step 2 counts at once from the busy time already read, says how old it is, and counts
again when a slow calendar has been read afresh."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.calendars import CalendarService
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.services.calendars.base import CalendarProvider, EventRef, EventRequest
from inviteonce_desktop.store.accounts import CalendarAccounts
from inviteonce_desktop.store.calendar_data import BusyCache
from inviteonce_desktop.ui.qt import QWizard
from inviteonce_desktop.ui.shell import Shell
from tests.ui.wizard_driver import Wait, fill_details, fill_participant


class SlowCalendar:
    """A connected calendar that answers free/busy only once the test lets it."""

    kind = "slow"

    def __init__(self, busy: list[Interval]) -> None:
        self.answer = asyncio.Event()
        self.asked = 0
        self._busy = busy

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Interval]]:
        self.asked += 1
        await self.answer.wait()
        return {calendar_id: list(self._busy) for calendar_id in calendar_ids}

    async def create_event(self, calendar_id: str, event: EventRequest) -> EventRef:
        raise AssertionError("no event is written here")

    async def update_event(self, calendar_id: str, ref: EventRef, event: EventRequest) -> EventRef:
        raise AssertionError("no event is written here")

    async def cancel_event(self, calendar_id: str, ref: EventRef) -> None:
        raise AssertionError("no event is written here")

    async def aclose(self) -> None:
        return None


def connect_slow_calendar(app: InviteOnce, provider: SlowCalendar, read_at: datetime | None) -> int:
    """The first member's calendar on *provider*, last read (empty) at *read_at* (None: never)."""
    conforming: CalendarProvider = provider
    app.calendars = CalendarService(
        app.workspace, app.clock, app.credentials, app.profile_zone, build=lambda _: conforming
    )
    member = app.members()[0]
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("google")
        accounts.complete(account_id, "Slow calendar", AccountSettings(calendar=member.email))
    app.calendars.map_resource(member.email, account_id, member.email)
    now = app.clock.now()
    if read_at is not None:
        with app.workspace.session() as session:
            BusyCache(session).replace(
                {member.key: []}, now - timedelta(days=1), now + timedelta(days=120), read_at
            )
    return member.id or 0


def test_the_first_count_comes_from_cached_busy_time_then_the_fresh_one(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window._app
    now = app.clock.now()
    read_at = now - timedelta(hours=2)
    busy_all_frame = [Interval(now - timedelta(days=1), now + timedelta(days=7))]
    provider = SlowCalendar(busy_all_frame)
    member_id = connect_slow_calendar(app, provider, read_at)
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    fill_details(qtbot, wizard, [member_id])
    page = wizard.time_frame_page
    counter = page.counter

    wait(lambda: counter.last is not None and provider.asked)
    local = ZoneInfo(app.profile_zone())
    cached = counter.last
    assert cached is not None and cached.count > 0 and counter.refreshing
    assert f"<b>{cached.count}</b> available" in page.count.text()
    assert f"busy time as of {read_at.astimezone(local):%H:%M}, refreshing…" in page.count.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    provider.answer.set()
    wait(lambda: not counter.pending)
    fresh = counter.last
    assert fresh is not None and not counter.refreshing
    assert 0 < fresh.count < cached.count  # the first week is busy now
    assert f"<b>{fresh.count}</b> available" in page.count.text()
    assert f"busy time as of {now.astimezone(local):%H:%M})" in page.count.text()
    assert "refreshing" not in page.count.text()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_calendar_never_read_offers_nothing_until_it_is(
    qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window._app
    provider = SlowCalendar([])
    member_id = connect_slow_calendar(app, provider, None)
    wizard = shell.window.open_wizard()
    fill_participant(qtbot, wizard)
    fill_details(qtbot, wizard, [member_id])
    page = wizard.time_frame_page
    wait(lambda: page.counter.last is not None and provider.asked)
    assert page.counter.refreshing and page.counter.last is not None
    assert page.counter.last.count == 0  # unknown busy time stays busy
    assert "Reading the calendars…" in page.count.text()
    assert page.error.text() == ""
    provider.answer.set()
    wait(lambda: not page.counter.pending)
    assert page.counter.last is not None and page.counter.last.count > 0
