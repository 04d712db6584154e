"""Names found in any script, numbers as names, and the migration that keys them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from inviteonce_desktop.core.errors import NotFound
from inviteonce_desktop.core.resources import ResourcePool, Room, TeamMember
from inviteonce_desktop.store.directory import Directory
from inviteonce_desktop.store.workspace import Workspace, _alembic_config


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Émile Zola", "émile zola"),
        ("Émile Zola", "ÉMILE  ZOLA"),
        ("Иван Петров", "иван петров"),
        ("Ölçer Ğüneş", "ölçer ğüneş"),
        ("Straße", "STRASSE"),
    ],
)
def test_members_are_found_by_name_in_any_script(
    workspace: Workspace, name: str, typed: str
) -> None:
    with workspace.session() as session:
        added = Directory(session).add_member(TeamMember(name, "a@example.com"))
    with workspace.session() as session:
        assert Directory(session).member(typed).id == added.id


def test_rooms_and_pools_are_found_by_casefolded_name(workspace: Workspace) -> None:
    with workspace.session() as session:
        directory = Directory(session)
        room = directory.add_room(Room("Éclair"))
        directory.add_pool(ResourcePool("Salles Ésotériques", (room.key,)))
    with workspace.session() as session:
        directory = Directory(session)
        assert directory.room("éclair").id == room.id
        assert directory.pool("salles ésotériques").member_keys == (room.key,)


def test_a_number_is_a_name_first_and_hash_number_is_an_id(workspace: Workspace) -> None:
    with workspace.session() as session:
        directory = Directory(session)
        first = directory.add_member(TeamMember("Ann", "ann@example.com"))
        named = directory.add_member(TeamMember(str(first.id), "num@example.com"))
    with workspace.session() as session:
        directory = Directory(session)
        assert directory.member(str(first.id)).id == named.id
        assert directory.member(f"#{first.id}").id == first.id
        assert directory.member(first.id).id == first.id
        with pytest.raises(NotFound):
            directory.member("#99999999999999999999")
        with pytest.raises(NotFound):
            directory.member("99999999999999999999")


def test_upgrading_keys_existing_names_and_drops_busy_time_that_takes_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.execute(
            text("INSERT INTO members (name, email) VALUES ('Émile Zola', 'e@example.com')")
        )
        connection.execute(text("INSERT INTO rooms (name) VALUES ('Éclair')"))
        stamp = datetime(2027, 3, 14, 7, 30, tzinfo=UTC).replace(tzinfo=None)
        for uid, end in (("empty", stamp), ("kept", stamp.replace(hour=8))):
            connection.execute(
                text(
                    'INSERT INTO local_events (uid, title, start, "end", time_zone, description,'
                    " location, transparent, status, sequence) VALUES (:uid, 'Busy', :start, :end,"
                    " 'UTC', '', '', 0, 'confirmed', 0)"
                ),
                {"uid": uid, "start": stamp, "end": end},
            )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        keys = connection.execute(text("SELECT name_key FROM members")).scalars().all()
        rooms = connection.execute(text("SELECT name_key FROM rooms")).scalars().all()
        uids = connection.execute(text("SELECT uid FROM local_events")).scalars().all()
    assert keys == ["émile zola"]
    assert rooms == ["éclair"]
    assert uids == ["kept"]
    engine.dispose()
