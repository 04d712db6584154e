"""The window's background sync answers the relay's re-check when a customer picks."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from inviteonce_desktop.relay.database import create_relay_engine
from inviteonce_desktop.relay.schema import organizers
from inviteonce_desktop.store.calendar_data import LocalAttendee, LocalEvent, LocalEvents
from inviteonce_desktop.ui.qt import QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId

from .wizard_driver import Wait, click, to_step_three


def polled(database: Path) -> bool:
    """Whether the desktop has asked its embedded relay for bookings."""
    engine = create_relay_engine(f"sqlite:///{database}", pool_size=1)
    try:
        with engine.connect() as connection:
            seen = connection.execute(select(organizers.c.seen_at)).scalars().all()
    finally:
        engine.dispose()
    return any(at is not None for at in seen)


@pytest.fixture
def collected_last() -> Iterator[None]:
    """After the window and its loop are gone, collect what they left on this thread (the
    loop's Qt timers must not be destroyed by a later test's thread)."""
    yield
    gc.collect()


def test_a_pick_that_became_busy_in_the_calendar_is_sent_back_by_the_window(
    collected_last: None, qtbot: QtBot, shell: Shell, wait: Wait
) -> None:
    app = shell.window._app
    members = [m for m in app.members() if m.id is not None][:2]
    wizard = shell.window.open_wizard()
    to_step_three(qtbot, wizard, wait, [m.id or 0 for m in members])
    wizard.notifications_page.by_links.click()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait(lambda: wizard.currentId() == PageId.LINKS)
    created = wizard.links_page.created
    assert created is not None and created.links.url
    api = created.links.url.replace("/i/", "/api/v1/i/")
    with httpx.Client(timeout=10) as customer:
        wanted = customer.get(api).json()["slots"][-1]["start"]
    start = datetime.fromisoformat(wanted)
    with app.workspace.session() as session:  # Booked elsewhere after the link went out.
        LocalEvents(session).put(
            LocalEvent(
                "elsewhere@t",
                "Elsewhere",
                start,
                start + timedelta(minutes=30),
                attendees=(LocalAttendee(members[0].key),),
            )
        )
    shell.background.start()
    wait(lambda: polled(app.home / "relay.sqlite3"))

    answers: list[httpx.Response] = []
    customer_thread = threading.Thread(
        target=lambda: answers.append(httpx.post(f"{api}/book", json={"start": wanted}, timeout=30))
    )
    customer_thread.start()
    wait(lambda: not customer_thread.is_alive())
    (answer,) = answers
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"] == "calendar_busy"
    assert wanted not in [slot["start"] for slot in answer.json()["slots"]]
    assert shell.window.activity.meetings.model.rowCount() == 0
