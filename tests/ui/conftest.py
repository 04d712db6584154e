"""The desktop window on a qasync loop, a demo workspace, and a loopback SMTP server."""

from __future__ import annotations

import asyncio
import gc
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
def frozen_heap() -> Iterator[None]:
    """The collection after each test looks at that test's objects only.

    What is alive before the first window, and what outlives each test's collection
    (modules, classes, caches), is frozen out of the collector's sight: a collection
    then takes milliseconds, not the few hundred it takes over the whole heap. A
    frozen object is never collected, so it cannot be deleted on a worker thread
    either; refcounting still frees it.
    """
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture
def qloop(frozen_heap: None, qapp: QApplication, app: InviteOnce) -> Iterator[QEventLoop]:
    """An asyncio loop on Qt's, running while the test runs (Qt's events drive it).

    At the end every task the test left behind is finished, then the loop runs once
    for real and stops, which leaves no running loop behind for the tests after it.
    """
    make_qt_app()
    loop = QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    deadline = loop.time() + 5
    while any(not task.done() for task in pending) and loop.time() < deadline:
        qapp.processEvents()
    loop.stop()
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()
    asyncio.set_event_loop(None)
    # The test's widgets and timers go now, on the GUI thread: left to the garbage
    # collector, a later test's worker thread could end up deleting them.
    gc.collect()
    gc.freeze()


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
