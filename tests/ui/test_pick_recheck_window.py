"""The window's background sync answers the relay's re-check when a customer picks."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import httpx
from pytestqt.qtbot import QtBot

from inviteonce_desktop.store.calendar_data import LocalAttendee, LocalEvent, LocalEvents
from inviteonce_desktop.ui.qt import QWizard
from inviteonce_desktop.ui.shell import Shell
from inviteonce_desktop.ui.wizard.pages import PageId

from .wizard_driver import Wait, click, to_step_three


def test_a_pick_that_became_busy_in_the_calendar_is_sent_back_by_the_window(
    qtbot: QtBot, shell: Shell, wait: Wait
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
    wait(lambda: shell.window.status.online)

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
