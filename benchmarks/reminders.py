"""What planning reminders adds to every outbox pass, with many upcoming meetings.

A throwaway workspace holds MEETINGS booked meetings in the coming weeks, each
with two reminders (24 h and 1 h). Every pass of the outbox (every few seconds
in the window or ``inviteonce agent``) first lets reminders follow their
meetings' starts; this measures that step:

- first_plan_ms: the pass that queues every reminder (after an upgrade, say).
- pass_p50_ms, pass_p95_ms: a pass with nothing to change, over 50 passes.
- moved_pass_ms: a pass after one meeting in ten moved (its reminders follow).

Target: pass_p95_ms <= 50 with 1,000 meetings. Prints one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inviteonce_desktop.application.clock import FixedClock  # noqa: E402
from inviteonce_desktop.application.reminders import ReminderService  # noqa: E402
from inviteonce_desktop.core.invitation import (  # noqa: E402
    Invitation,
    InvitationStatus,
    MeetingDetails,
    Notifications,
    Participant,
)
from inviteonce_desktop.core.meeting import Meeting, MeetingChange  # noqa: E402
from inviteonce_desktop.core.timeframe import TimeFrame  # noqa: E402
from inviteonce_desktop.store.activity import Invitations, Meetings  # noqa: E402
from inviteonce_desktop.store.workspace import Workspace  # noqa: E402

MEETINGS = 1000
PASSES = 50
REMINDERS = (timedelta(hours=24), timedelta(hours=1))


def seed(workspace: Workspace, now: datetime) -> list[int]:
    ids = []
    with workspace.session() as session:
        invitations, meetings = Invitations(session), Meetings(session)
        for number in range(MEETINGS):
            invitation = invitations.add(
                Invitation(
                    Participant(f"Customer {number}", f"c{number}@example.org"),
                    MeetingDetails("Intro call", timedelta(minutes=30), (1,)),
                    TimeFrame("UTC", rolling_days=30),
                    Notifications(reminders=REMINDERS),
                    status=InvitationStatus.SCHEDULED,
                ),
                now,
            )
            start = now + timedelta(days=2, minutes=30 * number)
            meeting = meetings.add(
                Meeting(
                    invitation.id or 0,
                    "Intro call",
                    start,
                    start + timedelta(minutes=30),
                    f"Customer {number}",
                    f"c{number}@example.org",
                    f"uid-{number}@bench",
                    booked_at=now,
                ),
                str(number),
                "UTC",
            )
            ids.append(meeting.id or 0)
    return ids


def timed(step: ReminderService) -> float:
    began = time.perf_counter()
    step.replan()
    return (time.perf_counter() - began) * 1000


def main() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder))
        ids = seed(workspace, now)
        reminders = ReminderService(workspace, FixedClock(now))
        first = timed(reminders)
        passes = sorted(timed(reminders) for _ in range(PASSES))
        with workspace.session() as session:
            meetings = Meetings(session)
            for meeting_id in ids[::10]:
                moved = meetings.get(meeting_id)
                later = moved.start + timedelta(days=1)
                change = MeetingChange(
                    f"moved-{meeting_id}", later, later + timedelta(minutes=30), (), "organizer"
                )
                meetings.move(meeting_id, change)
        moved_pass = timed(reminders)
        workspace.close()
    print(
        json.dumps(
            {
                "meetings": MEETINGS,
                "first_plan_ms": round(first, 1),
                "pass_p50_ms": round(statistics.median(passes), 1),
                "pass_p95_ms": round(passes[int(len(passes) * 0.95) - 1], 1),
                "moved_pass_ms": round(moved_pass, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
