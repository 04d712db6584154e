"""Settings → Calendars: a Google account's calendar list chooses where meetings go."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.ui.qt import QEventLoop, Qt
from tests.integration.calendars.conftest import (  # noqa: F401 (the fake's fixture)
    GoogleServer,
    google,
)
from tests.integration.calendars.fakes.browser import consenting_browser
from tests.ui.settings.test_calendars_page import Page
from tests.ui.wizard_driver import Wait

BOOKINGS = "c_7f3a9e@group.calendar.google.com"


def test_a_google_accounts_calendars_are_listed_and_one_chosen(
    qtbot: QtBot,
    app: InviteOnce,
    qloop: QEventLoop,
    google: GoogleServer,  # noqa: F811
    wait: Wait,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    fake = google.fake
    fake.add_calendar(fake.account_email)
    fake.add_calendar(BOOKINGS, "Bookings")
    fake.add_calendar("en.german#holiday@group.v.calendar.google.com", "Holidays", "reader")
    client = tmp_path / "client_secret.json"
    client.write_text(json.dumps(fake.client_config(google.url)))

    async def connect() -> Any:
        return await app.calendars.connect_google(
            str(client), consenting_browser([]), google.api_endpoint
        )

    task = asyncio.ensure_future(connect())
    wait(task.done)
    account = task.result()
    page = Page(qtbot, app)
    widget = page.widget
    widget.refresh()
    row = next(r for r in range(widget.model.rowCount()) if widget.model.key(r) == account.id)
    widget.view.selectRow(row)
    combo = widget.collection
    assert widget.collection_row.isVisible()
    wait(lambda: combo.isEnabled())
    # The calendars the account may write to, by name; the primary one is current.
    assert [combo.itemText(i) for i in range(combo.count())] == [fake.account_email, "Bookings"]
    assert combo.currentData() == fake.account_email

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    wait(lambda: app.calendar_account(account.id).settings.event_calendar == BOOKINGS)
    wait(lambda: any("'Bookings' gets the meetings now" in info for info in page.infos))
    assert "busy time is read per person" in widget.collection_message.text()
    # Busy time is still read from the organizer's own calendar.
    assert app.calendar_account(account.id).settings.calendar == fake.account_email
