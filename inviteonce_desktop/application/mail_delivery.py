"""Delivering an outbox email once, even when a send's outcome was never known.

Before the message is handed over (SMTP's DATA, a provider's send request) the
item is marked; a mark found on a later attempt means the earlier one may have
gone out. Then the account's Sent folder is searched for the Message-ID where
the transport has one: found, the email counts as sent; not found, it is sent
again. Where nothing can be searched it is sent once more, and the invitation's
history says that it may have arrived twice.

A Sent folder fills in after the send, not with it: Microsoft 365 files the
copy in Sent Items asynchronously, Gmail's search index and Exchange's Sent
Items catch up after the transport takes the message, an SMTP server files its
copy once it has relayed it. So "not there" counts only once the hand-over is
older than the settle time (a setting, two minutes by default); before that
the item is deferred (:class:`NotSettled`) and looked up again then, and the
loop goes on with other work meanwhile.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..core.errors import ValidationError
from ..core.history import HistoryKind
from ..services.mail import MailError, MailOutcomeUnknown
from ..store.history import History
from ..store.outbox import Outbox, OutboxItem
from ..store.settings import Settings
from ..store.workspace import Workspace
from .clock import Clock
from .jobs import Outgoing
from .mail_settings import MailService

DELIVERY_SETTINGS = "delivery"
DEFAULT_SETTLE = timedelta(minutes=2)
MAX_SETTLE = timedelta(hours=1)


def sent_settle(workspace: Workspace) -> timedelta:
    """How long after a hand-over a message missing from the Sent folder may still appear."""
    with workspace.session() as session:
        stored = Settings(session).get(DELIVERY_SETTINGS) or {}
    seconds = stored.get("sent_settle_seconds")
    return DEFAULT_SETTLE if seconds is None else timedelta(seconds=float(seconds))


def set_sent_settle(workspace: Workspace, settle: timedelta) -> None:
    if not timedelta(0) <= settle <= MAX_SETTLE:
        raise ValidationError("The wait for the Sent folder must be from 0 to 60 minutes.")
    with workspace.session() as session:
        settings = Settings(session)
        stored = settings.get(DELIVERY_SETTINGS) or {}
        settings.put(DELIVERY_SETTINGS, {**stored, "sent_settle_seconds": settle.total_seconds()})


class NotSettled(Exception):
    """An earlier send got no answer and its Sent folder may not show it yet: look again later."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class MailDelivery:
    def __init__(self, workspace: Workspace, clock: Clock, mail: MailService) -> None:
        self._workspace = workspace
        self._clock = clock
        self._mail = mail

    async def deliver(self, item: OutboxItem, outgoing: Outgoing) -> dict[str, Any]:
        transport = self._mail.transport()
        message_id = str(outgoing.message["Message-ID"])
        twice = False
        if item.handed_over_at is not None:
            folder = transport.sent_folder()
            if folder is None:
                twice = True
            elif await folder.contains(message_id):
                self._record(outgoing, f"{outgoing.sent} (found in {folder.name})")
                return {"message_id": message_id, "found_in": folder.name}
            else:
                settled = item.handed_over_at + sent_settle(self._workspace)
                if self._clock.now() < settled:
                    raise NotSettled(
                        f"An earlier send got no answer and is not in {folder.name} yet; "
                        "it is looked up again before the email is sent anew.",
                        settled,
                    )

        async def handing_over() -> None:
            with self._workspace.session() as session:
                Outbox(session).handing_over(item.id, self._clock.now())

        try:
            await transport.send(outgoing.message, handing_over)
        except MailOutcomeUnknown:
            raise
        except MailError:
            # certainly not sent this time: only an earlier unanswered send stays marked
            with self._workspace.session() as session:
                Outbox(session).handing_over(item.id, item.handed_over_at)
            raise
        self._record(outgoing, outgoing.sent, twice=twice)
        return {"message_id": message_id, **({"maybe_twice": True} if twice else {})}

    def _record(self, outgoing: Outgoing, text: str, twice: bool = False) -> None:
        now = self._clock.now()
        with self._workspace.session() as session:
            history = History(session)
            history.add(outgoing.invitation_id, now, outgoing.kind, text)
            if twice:
                history.add(
                    outgoing.invitation_id,
                    now,
                    HistoryKind.MAYBE_TWICE,
                    f"{outgoing.sent}: an earlier send got no answer and the mail server's "
                    "Sent folder cannot be searched, so it may have arrived twice.",
                )
