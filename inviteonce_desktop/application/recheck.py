"""The live re-check at pick time: is the time a customer just picked still free?

The relay holds the pick and asks (see ``relay/recheck.py``); the sync loop
reads the calendars of the meeting's members and rooms live, over the meeting
and its buffers, and answers:

- ``busy``: someone has another event then: the relay releases the time and
  sends the customer back to the remaining times;
- ``free``: the booking stands;
- ``unknown``: a calendar could not be read now. Unknown is never free, but
  it is not known to be busy either: the relay confirms on its own data (the
  offer came from the last good read), and the meeting carries the sentence
  that the calendar could not be read, as any booking made while the desktop
  was offline does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from ..core.history import HistoryKind
from ..core.invitation import Invitation
from ..core.resources import member_key, room_key
from ..services.relay_client import RelayRecheck
from ..store.activity import Invitations
from ..store.directory import Directory
from ..store.history import History
from ..store.workspace import Workspace
from .clock import Clock
from .emails import when_text
from .publishing import ResourceKeys

if TYPE_CHECKING:
    from .bookings import BusySource

Verdict = Literal["free", "busy", "unknown"]


def booked_keys(
    workspace: Workspace, keys: ResourceKeys, invitation: Invitation, opaque: Sequence[str]
) -> list[str]:
    """The member and room keys of a booking: the invitation's own, and the pool members
    the relay chose (by their opaque keys)."""
    with workspace.session() as session:
        directory = Directory(session)
        known = [m.key for m in directory.members()] + [r.key for r in directory.rooms()]
    reverse = keys.reverse(known)
    chosen = [reverse[k] for k in opaque if k in reverse]
    details = invitation.details
    required = [member_key(i) for i in details.team_member_ids]
    required += [room_key(i) for i in details.room_ids]
    return list(dict.fromkeys([*required, *chosen]))


class PickRecheck:
    def __init__(
        self, workspace: Workspace, clock: Clock, keys: ResourceKeys, live_busy: BusySource
    ) -> None:
        self._workspace = workspace
        self._clock = clock
        self._keys = keys
        self._live_busy = live_busy

    async def verdict(self, ask: RelayRecheck) -> Verdict | None:
        """What the calendars say now about the held time; None when the invitation is
        not ours (the relay then confirms at its deadline)."""
        try:
            with self._workspace.session() as session:
                invitation = Invitations(session).get(int(ask.invitation_id))
        except (ValueError, LookupError):
            return None
        keys = booked_keys(self._workspace, self._keys, invitation, ask.resource_keys)
        frame = invitation.time_frame
        start, end = ask.start - frame.buffer_before, ask.end + frame.buffer_after
        busy = await self._live_busy(keys, start, end)
        clashing = [
            k for k in keys if any(i.start < end and i.end > start for i in busy.get(k, []))
        ]
        if clashing:
            self._note_sent_back(invitation, clashing, ask)
            return "busy"
        if any(k in keys for k in getattr(busy, "unreadable", {})):
            return "unknown"
        return "free"

    def _note_sent_back(
        self, invitation: Invitation, clashing: list[str], ask: RelayRecheck
    ) -> None:
        """The invitation's history says which time was refused, and whose calendar why."""
        assert invitation.id is not None
        with self._workspace.session() as session:
            directory = Directory(session)
            names = {m.key: m.name for m in directory.members()}
            names.update({r.key: r.name for r in directory.rooms()})
            when = when_text(ask.start, ask.end, invitation.time_frame.time_zone)
            who = ", ".join(names.get(k, k) for k in clashing)
            History(session).add(
                invitation.id,
                self._clock.now(),
                HistoryKind.CALENDAR,
                f"The customer picked {when}, but {who} had become busy then; "
                "they were asked to pick another time.",
            )
