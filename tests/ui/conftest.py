"""The desktop window on a qasync loop, a demo workspace, and a loopback SMTP server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.demo import seed_demo
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.ui.launch import make_qt_app, preferences_for
from inviteonce_desktop.ui.qt import QApplication, QEventLoop
from inviteonce_desktop.ui.shell import Shell

WAIT_MS = 15_000


@pytest.fixture(scope="session")
def session_loop(qapp: QApplication) -> Iterator[QEventLoop]:
    """One asyncio loop on Qt's for the whole session; it runs while qtbot waits."""
    make_qt_app()
    loop = QEventLoop(qapp, already_running=True)
    # It counts as running only while a UI test runs (see qloop), so that other tests
    # in the same worker can still call asyncio.run().
    asyncio.events._set_running_loop(None)
    yield loop
    # stop() would call QApplication.exit(); only the running flag needs to go.
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    loop.close()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def qloop(session_loop: QEventLoop, qapp: QApplication, app: InviteOnce) -> Iterator[QEventLoop]:
    """The loop, with every task a test left behind finished before the workspace closes."""
    asyncio.set_event_loop(session_loop)
    asyncio.events._set_running_loop(session_loop)
    yield session_loop
    pending = [task for task in asyncio.all_tasks(session_loop) if not task.done()]
    for task in pending:
        task.cancel()
    deadline = session_loop.time() + 5
    while any(not task.done() for task in pending) and session_loop.time() < deadline:
        qapp.processEvents()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def demo(app: InviteOnce) -> InviteOnce:
    seed_demo(app)
    return app


@pytest.fixture
def shell(qtbot: QtBot, demo: InviteOnce, qloop: QEventLoop, tmp_path: Path) -> Iterator[Shell]:
    """The application on the demo workspace, as on a desktop without a system tray."""
    shell = Shell(demo, preferences_for(tmp_path), tray_available=False)
    qtbot.addWidget(shell.window)
    shell.window.show()
    yield shell
    shell.tray.hide()


@pytest.fixture
def wait(qtbot: QtBot) -> Callable[[Callable[[], Any]], None]:
    def wait_until(predicate: Callable[[], Any]) -> None:
        qtbot.waitUntil(lambda: bool(predicate()), timeout=WAIT_MS)

    return wait_until


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox(app: InviteOnce) -> Iterator[Mailbox]:
    """An SMTP server on loopback; the workspace sends its mail there."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.mail.configure(
        MailSettings.from_json(
            {"mode": "smtp", "host": "127.0.0.1", "port": controller.port, "security": "none"}
        )
    )
    yield box
    controller.stop()


@pytest.fixture
def demo_mail(shell: Shell, mailbox: Mailbox) -> tuple[Shell, Mailbox]:
    """The demo window with its mail going to the loopback mailbox."""
    return shell, mailbox
