"""Delivering an outbox email once, even when a send's outcome was never known.

Before the message is handed over (SMTP's DATA, a provider's send request) the
item is marked; a mark found on a later attempt means the earlier one may have
gone out. Then the account's Sent folder is searched for the Message-ID where
the transport has one: found, the email counts as sent; not found, it is sent
again. Where nothing can be searched it is sent once more, and the invitation's
history says that it may have arrived twice.
"""

from __future__ import annotations

from typing import Any

from ..core.history import HistoryKind
from ..services.mail import MailError, MailOutcomeUnknown
from ..store.history import History
from ..store.outbox import Outbox, OutboxItem
from ..store.workspace import Workspace
from .clock import Clock
from .jobs import Outgoing
from .mail_settings import MailService


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
