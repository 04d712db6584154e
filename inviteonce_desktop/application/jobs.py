"""The outbox's jobs: one typed dataclass per kind of work, each with its own key.

A job is declared once, here, and everything else comes from it: its kind (the
name stored with it), its idempotency key, its payload and the invitation it
belongs to (for the invitation's history and its problems). A new kind of work
is one more decorated dataclass and one handler given to :class:`Handlers`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any, ClassVar, TypeVar

from sqlalchemy.orm import Session

from ..core.history import HistoryKind
from ..store.outbox import Outbox, OutboxItem

JobResult = dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """An email a job wants sent; the worker delivers it, once (see ``delivery``)."""

    message: EmailMessage
    invitation_id: int
    sent: str
    """What the invitation's history says once it is sent: "Invitation emailed to …"."""
    kind: HistoryKind = HistoryKind.EMAILED


class Job:
    """Work for the outside world; subclasses are frozen dataclasses of ints."""

    kind: ClassVar[str]
    prefix: ClassVar[str]
    """The start of its key, which says what the work is about."""
    mail: ClassVar[bool] = False
    """True for an email, whose send can end with an unknown outcome."""

    @property
    def key(self) -> str:
        values = ":".join(str(v) for v in self.payload().values())
        return f"{self.prefix}:{values}"

    @property
    def invitation_id(self) -> int | None:
        """The invitation this work belongs to, when it is known from the job alone."""
        return None

    def payload(self) -> dict[str, object]:
        """What the outbox stores of it (JSON)."""
        return {f.name: int(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Job:
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        return cls(**{name: int(payload[name]) for name in names})


J = TypeVar("J", bound=Job)
_KINDS: dict[str, type[Job]] = {}


def job(kind: str, prefix: str, *, mail: bool = False) -> Callable[[type[J]], type[J]]:
    """Registers a job dataclass under *kind* (the name stored in the outbox)."""

    def register(cls: type[J]) -> type[J]:
        if kind in _KINDS:
            raise ValueError(f"Two jobs are called {kind}.")
        cls.kind, cls.prefix, cls.mail = kind, prefix, mail
        _KINDS[kind] = cls
        return cls

    return register


def job_from(kind: str, payload: dict[str, Any]) -> Job:
    """The job stored as *kind* with *payload*."""
    return _KINDS[kind].from_payload(payload)


def kinds() -> Iterator[str]:
    return iter(_KINDS)


# Invitations


@job("publish", "publish")
@dataclass(frozen=True, slots=True)
class Publish(Job):
    id: int

    @property
    def invitation_id(self) -> int:
        return self.id


@job("invitation_email", "invitation-email", mail=True)
@dataclass(frozen=True, slots=True)
class InvitationEmail(Job):
    id: int
    n: int
    """Which sending of the invitation this is: 1, then one more per resend."""

    @property
    def invitation_id(self) -> int:
        return self.id


@job("cancel_offer", "cancel")
@dataclass(frozen=True, slots=True)
class CancelOffer(Job):
    id: int

    @property
    def invitation_id(self) -> int:
        return self.id


@job("edited_offer", "edit")
@dataclass(frozen=True, slots=True)
class EditedOffer(Job):
    """The offer of invitation *id* published again after its *n*-th edit, on the same link."""

    id: int
    n: int

    @property
    def invitation_id(self) -> int:
        return self.id


# Meetings


@dataclass(frozen=True, slots=True)
class MeetingJob(Job):
    meeting_id: int


@job("calendar_event", "event")
@dataclass(frozen=True, slots=True)
class CalendarEvent(MeetingJob):
    pass


@job("cancel_event", "cancel-event")
@dataclass(frozen=True, slots=True)
class CancelEvent(MeetingJob):
    pass


@job("confirmation_email", "confirmation", mail=True)
@dataclass(frozen=True, slots=True)
class ConfirmationEmail(MeetingJob):
    pass


@job("team_notification", "notify", mail=True)
@dataclass(frozen=True, slots=True)
class TeamNotification(MeetingJob):
    member_id: int


@job("cancellation_email", "cancellation", mail=True)
@dataclass(frozen=True, slots=True)
class CancellationEmail(MeetingJob):
    """The customer's METHOD:CANCEL for a meeting."""


@job("cancellation_notice", "cancel-notice", mail=True)
@dataclass(frozen=True, slots=True)
class CancellationNotice(MeetingJob):
    """A team member's notice that a meeting was cancelled."""

    member_id: int


@job("update_event", "update-event")
@dataclass(frozen=True, slots=True)
class UpdateEvent(MeetingJob):
    """The provider's event moved in place (same UID) to the meeting's time."""

    sequence: int
    """The meeting's SEQUENCE this update is for; a later move supersedes it."""


@job("update_email", "update", mail=True)
@dataclass(frozen=True, slots=True)
class UpdateEmail(MeetingJob):
    """The customer's update: METHOD:REQUEST with the meeting's new time and SEQUENCE."""

    sequence: int
    was: int
    """The start it moved from, in seconds since the epoch."""


@job("update_notice", "update-notice", mail=True)
@dataclass(frozen=True, slots=True)
class UpdateNotice(MeetingJob):
    """A team member's notice that a meeting moved."""

    member_id: int
    sequence: int
    was: int


@job("reminder_email", "reminder", mail=True)
@dataclass(frozen=True, slots=True)
class ReminderEmail(MeetingJob):
    """The customer's reminder *offset_minutes* before the meeting that starts at *start*.

    The start (seconds since the epoch) is part of the key: a moved meeting gets
    reminders of its own, and the ones planned for its old start send nothing.
    """

    offset_minutes: int
    start: int


@job("republish", "republish")
@dataclass(frozen=True, slots=True)
class Republish(Job):
    """Open invitations whose slots changed, each with the count of its publishing:
    ``((invitation id, n), …)``. Nobody waits on it (the worker does it last)."""

    offers: tuple[tuple[int, int], ...]

    @property
    def key(self) -> str:
        return f"{self.prefix}:" + ",".join(f"{i}.{n}" for i, n in self.offers)

    def payload(self) -> dict[str, object]:
        return {"ids": [[i, n] for i, n in self.offers]}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Republish:
        """The stored form, and the one-offer form queued before lists of offers."""
        offers = [(int(i), int(n)) for i, n in payload.get("ids", [])]
        if "id" in payload:
            offers.append((int(payload["id"]), int(payload.get("n", 0))))
        return cls(tuple(offers))


Handler = Callable[[Job], Awaitable[JobResult | Outgoing]]


class Handlers:
    """Which coroutine does each kind of job; mypy checks each pairing."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def add(
        self, cls: type[J], handler: Callable[[J], Awaitable[JobResult | Outgoing]]
    ) -> Handlers:
        async def run(work: Job) -> JobResult | Outgoing:
            if not isinstance(work, cls):
                raise TypeError(f"A {type(work).__name__} is not a {cls.__name__}.")
            return await handler(work)

        self._handlers[cls.kind] = run
        return self

    def __getitem__(self, kind: str) -> Handler:
        return self._handlers[kind]

    def __contains__(self, kind: object) -> bool:
        return kind in self._handlers


def enqueue(
    session: Session,
    work: Job,
    now: datetime,
    *,
    invitation_id: int | None = None,
    reopen: bool = False,
    not_before: datetime | None = None,
) -> OutboxItem:
    """Queues *work* once, in *session*'s transaction (see ``Outbox.add``)."""
    meeting_id = work.meeting_id if isinstance(work, MeetingJob) else None
    return Outbox(session).add(
        work.kind,
        work.key,
        work.payload(),
        now,
        invitation_id=invitation_id if invitation_id is not None else work.invitation_id,
        meeting_id=meeting_id,
        reopen=reopen,
        not_before=not_before,
    )


def job_of(item: OutboxItem) -> Job:
    return job_from(item.kind, item.payload)
