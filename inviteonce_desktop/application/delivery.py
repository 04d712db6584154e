"""How far each invitation got on its way to the customer: published, emailed, or stuck.

The state is read from the durable outbox: the invitation's publish item and its
invitation emails. The window shows it in the Invitations table and detail, so
that "Waiting for customer" is never said of an invitation the customer never got.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from ..core.invitation import Invitation, InvitationStatus, SendMode
from ..store.models import OutboxRow
from ..store.workspace import Workspace


class DeliveryKind(StrEnum):
    NOT_PUBLISHED = "not_published"
    """A draft, or a publish that has not happened yet."""
    LINKS = "links"
    """Copy meeting links: the organizer sends the links."""
    QUEUED = "queued"
    """The email waits for its turn (or for the network)."""
    SENT = "sent"
    FAILED = "failed"
    """The last attempt failed; ``reason`` says why. It may still be retried."""
    CLOSED = "closed"
    """The invitation is over (booked, cancelled, expired)."""


FIXABLE_IN_MAIL_SETTINGS = ("Mail sending is not set up", "mail server", "Mail")


@dataclass(frozen=True, slots=True)
class Delivery:
    kind: DeliveryKind
    sent_at: datetime | None = None
    reason: str = ""
    attempts: int = 0

    @property
    def can_retry(self) -> bool:
        return self.kind in (DeliveryKind.FAILED, DeliveryKind.QUEUED)

    @property
    def fix_in_mail_settings(self) -> bool:
        """The failure is the mail set-up's: Settings → Mail is where it is fixed."""
        return self.kind == DeliveryKind.FAILED and any(
            word in self.reason for word in FIXABLE_IN_MAIL_SETTINGS
        )


def delivery_of(workspace: Workspace, invitation: Invitation) -> Delivery:
    """The delivery state of one stored invitation."""
    assert invitation.id is not None
    with workspace.session() as session:
        publish = session.scalars(
            select(OutboxRow).where(OutboxRow.idempotency_key == f"publish:{invitation.id}")
        ).first()
        emails = list(
            session.scalars(
                select(OutboxRow)
                .where(OutboxRow.idempotency_key.startswith(f"invitation-email:{invitation.id}:"))
                .order_by(OutboxRow.id.desc())
            )
        )
    if invitation.status == InvitationStatus.DRAFT:
        if publish is not None and publish.status != "done" and publish.last_error:
            return Delivery(
                DeliveryKind.FAILED, reason=publish.last_error, attempts=publish.attempts
            )
        return Delivery(DeliveryKind.NOT_PUBLISHED)
    by_email = invitation.notifications.send_mode == SendMode.EMAIL
    if not by_email:
        return Delivery(DeliveryKind.LINKS)
    latest = emails[0] if emails else None
    sent = next((row for row in emails if row.status == "done"), None)
    if latest is not None and latest.status != "done":
        if latest.last_error:
            return Delivery(
                DeliveryKind.FAILED,
                sent.done_at if sent else None,
                latest.last_error,
                latest.attempts,
            )
        if invitation.status == InvitationStatus.PENDING:
            return Delivery(DeliveryKind.QUEUED, sent.done_at if sent else None)
    if sent is not None:
        return Delivery(DeliveryKind.SENT, sent.done_at)
    if invitation.status != InvitationStatus.PENDING:
        return Delivery(DeliveryKind.CLOSED)
    return Delivery(DeliveryKind.QUEUED)


def make_retry_due(workspace: Workspace, invitation_id: int, now: datetime) -> bool:
    """Put the invitation's unfinished publish and email back in line for now.

    Answers whether there was anything to retry. A refused item (kept as failed)
    is tried once more too: the organizer may have fixed what refused it.
    """
    found = False
    with workspace.session() as session:
        rows = session.scalars(
            select(OutboxRow).where(
                (OutboxRow.idempotency_key == f"publish:{invitation_id}")
                | OutboxRow.idempotency_key.startswith(f"invitation-email:{invitation_id}:"),
                OutboxRow.status != "done",
            )
        )
        for row in rows:
            row.status, row.next_attempt_at = "pending", now
            found = True
    return found
