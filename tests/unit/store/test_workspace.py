from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from inviteonce_desktop.core.errors import NotFound, ValidationError
from inviteonce_desktop.core.hours import WeeklyHours
from inviteonce_desktop.core.intervals import Interval
from inviteonce_desktop.core.invitation import (
    Invitation,
    InvitationStatus,
    MeetingDetails,
    Notifications,
    Participant,
    SendMode,
)
from inviteonce_desktop.core.resources import ResourcePool, Room, TeamMember
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.store.activity import Drafts, Invitations
from inviteonce_desktop.store.calendar_data import BusyCache, LocalAttendee, LocalEvent, LocalEvents
from inviteonce_desktop.store.directory import Directory
from inviteonce_desktop.store.outbox import Outbox
from inviteonce_desktop.store.workspace import Workspace, default_home

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TABLES = {
    "settings",
    "calendar_accounts",
    "members",
    "rooms",
    "pools",
    "pool_members",
    "busy_cache",
    "busy_refresh",
    "local_events",
    "local_event_attendees",
    "invitations",
    "meetings",
    "drafts",
    "outbox",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def test_an_empty_folder_is_migrated_to_the_head(workspace: Workspace) -> None:
    assert workspace.schema_revision() == Workspace.head_revision()
    assert TABLES <= set(inspect(workspace.engine).get_table_names())
    with workspace.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_reopening_keeps_the_data_and_the_revision(tmp_path: Path) -> None:
    first = Workspace(tmp_path / "ws")
    with first.session() as session:
        Directory(session).add_member(TeamMember("Ann", "ann@example.com"))
    first.close()
    again = Workspace(tmp_path / "ws")
    with again.session() as session:
        assert [m.name for m in Directory(session).members()] == ["Ann"]


def test_home_comes_from_the_environment_or_the_platform() -> None:
    assert default_home({"INVITEONCE_HOME": "/srv/io"}) == Path("/srv/io")
    assert default_home({}).name == "InviteOnce"


def test_directory_round_trip_and_lookup_by_name_email_or_id(workspace: Workspace) -> None:
    hours = WeeklyHours.parse("Mon-Thu 08:00-16:00")
    with workspace.session() as session:
        directory = Directory(session)
        ann = directory.add_member(
            TeamMember("Ann", "ann@example.com", time_zone="Asia/Kathmandu", working_hours=hours)
        )
        room = directory.add_room(Room("Alder", "alder@example.com", capacity=4))
        directory.add_pool(ResourcePool("Rooms", (room.key,)))
    with workspace.session() as session:
        directory = Directory(session)
        assert directory.member("ANN@example.com") == ann
        assert directory.member(str(ann.id)).working_hours == hours
        assert directory.room("alder").capacity == 4
        assert directory.pool("rooms").member_keys == (room.key,)


def test_duplicates_and_unknowns_are_refused_in_one_sentence(workspace: Workspace) -> None:
    with workspace.session() as session:
        Directory(session).add_member(TeamMember("Ann", "ann@example.com"))
    with pytest.raises(ValidationError, match="already exists"), workspace.session() as session:
        Directory(session).add_member(TeamMember("Other Ann", "ann@example.com"))
    with pytest.raises(NotFound, match="no team member 'bob'"), workspace.session() as session:
        Directory(session).member("bob")


def test_removing_a_room_drops_it_from_pools_and_busy_time(workspace: Workspace) -> None:
    with workspace.session() as session:
        directory = Directory(session)
        a = directory.add_room(Room("A"))
        b = directory.add_room(Room("B"))
        directory.add_pool(ResourcePool("Both", (a.key, b.key)))
        LocalEvents(session).put(
            LocalEvent(
                "e1", "Busy", NOW, NOW + timedelta(hours=1), attendees=(LocalAttendee(a.key),)
            )
        )
    with workspace.session() as session:
        Directory(session).remove_room("A")
    with workspace.session() as session:
        assert Directory(session).pool("Both").member_keys == (b.key,)
        assert LocalEvents(session).busy([a.key], NOW, NOW + timedelta(days=1)) == {a.key: []}


def test_local_events_are_idempotent_by_uid_and_free_time_does_not_block(
    workspace: Workspace,
) -> None:
    hour = timedelta(hours=1)
    with workspace.session() as session:
        events = LocalEvents(session)
        events.put(LocalEvent("u1", "One", NOW, NOW + hour, attendees=(LocalAttendee("member:1"),)))
        events.put(
            LocalEvent(
                "u1",
                "One, moved",
                NOW + hour,
                NOW + 2 * hour,
                attendees=(LocalAttendee("member:1"),),
            )
        )
        events.put(
            LocalEvent(
                "free",
                "Lunch",
                NOW,
                NOW + hour,
                transparent=True,
                attendees=(LocalAttendee("member:1"),),
            )
        )
        events.put(
            LocalEvent(
                "no",
                "Declined",
                NOW,
                NOW + hour,
                attendees=(LocalAttendee("member:1", partstat="declined"),),
            )
        )
        events.put(
            LocalEvent("gone", "Gone", NOW, NOW + hour, attendees=(LocalAttendee("member:1"),))
        )
        assert events.cancel("gone")
    with workspace.session() as session:
        busy = LocalEvents(session).busy(["member:1"], NOW, NOW + 3 * hour)
        assert busy == {"member:1": [Interval(NOW + hour, NOW + 2 * hour)]}
        assert LocalEvents(session).get("u1").sequence == 1  # type: ignore[union-attr]


def test_busy_cache_replaces_a_range_and_knows_its_age(workspace: Workspace) -> None:
    day = timedelta(days=1)
    with workspace.session() as session:
        cache = BusyCache(session)
        cache.replace({"member:1": [Interval(NOW, NOW + timedelta(hours=1))]}, NOW, NOW + day, NOW)
        cache.replace(
            {"member:1": [Interval(NOW + timedelta(hours=2), NOW + timedelta(hours=3))]},
            NOW,
            NOW + day,
            NOW + day,
        )
    with workspace.session() as session:
        cache = BusyCache(session)
        assert cache.busy(["member:1"], NOW, NOW + day)["member:1"] == [
            Interval(NOW + timedelta(hours=2), NOW + timedelta(hours=3))
        ]
        assert cache.fetched_at(["member:1"]) == {"member:1": NOW + day}


def test_invitations_round_trip_every_wizard_setting(workspace: Workspace) -> None:
    promoted = (NOW + timedelta(days=1),)
    invitation = Invitation(
        Participant("Carla", "carla@example.org"),
        MeetingDetails(
            "Intro",
            timedelta(minutes=45),
            (1, 2),
            "Agenda",
            "https://meet.example/x",
            room_ids=(3,),
            pool_ids=(4,),
        ),
        TimeFrame(
            "Pacific/Chatham",
            WeeklyHours.parse("Mon-Fri 08:00-12:00"),
            rolling_days=10,
            buffer_before=timedelta(minutes=10),
        ),
        Notifications(
            send_mode=SendMode.LINKS,
            promoted_slots=promoted,
            reminders=(timedelta(hours=24), timedelta(minutes=90)),
        ),
    )
    with workspace.session() as session:
        saved = Invitations(session).add(invitation, NOW)
    with workspace.session() as session:
        loaded = Invitations(session).get(saved.id)
    assert loaded.details == invitation.details
    assert loaded.time_frame == invitation.time_frame
    assert loaded.notifications == invitation.notifications
    assert loaded.status == InvitationStatus.DRAFT


def test_the_outbox_adds_once_per_key_and_backs_off(workspace: Workspace) -> None:
    with workspace.session() as session:
        outbox = Outbox(session)
        first = outbox.add("publish", "publish:1", {"id": 1}, NOW)
        assert outbox.add("publish", "publish:1", {"id": 1}, NOW).id == first.id
        outbox.failed(first.id, "The relay cannot be reached.", NOW)
        assert outbox.due(NOW) == []
        assert [i.id for i in outbox.due(NOW + timedelta(minutes=1))] == [first.id]
        outbox.done(first.id, NOW)
        assert outbox.pending() == []


def test_drafts_keep_the_wizard_state(workspace: Workspace) -> None:
    with workspace.session() as session:
        draft_id = Drafts(session).save({"subject": "Intro"}, "Intro", NOW)
        Drafts(session).save({"subject": "Intro 2"}, "Intro 2", NOW, draft_id)
    with workspace.session() as session:
        assert Drafts(session).load(draft_id) == {"subject": "Intro 2"}
        assert [d[0] for d in Drafts(session).list()] == [draft_id]


def test_the_fast_path_head_is_alembics_head() -> None:
    from inviteonce_desktop.store.workspace import HEAD_REVISION

    assert Workspace.head_revision() == HEAD_REVISION
