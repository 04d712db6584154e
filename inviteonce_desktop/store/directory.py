"""Team members, rooms and resource pools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import NotFound, ValidationError
from ..core.hours import WeeklyHours
from ..core.resources import ResourcePool, Room, TeamMember, member_key, room_key
from ..core.validation import name_key
from .models import (
    BusyRefreshRow,
    BusyRow,
    LocalAttendeeRow,
    MemberRow,
    PoolMemberRow,
    PoolRow,
    RoomRow,
)

_Row = TypeVar("_Row", MemberRow, RoomRow, PoolRow)


def _member(row: MemberRow) -> TeamMember:
    return TeamMember(
        name=row.name,
        email=row.email,
        id=row.id,
        time_zone=row.time_zone,
        working_hours=WeeklyHours.from_json(row.working_hours) if row.working_hours else None,
        calendar_account_id=row.calendar_account_id,
        calendar_id=row.calendar_id,
    )


def _room(row: RoomRow) -> Room:
    return Room(
        name=row.name,
        email=row.email,
        id=row.id,
        capacity=row.capacity,
        calendar_account_id=row.calendar_account_id,
        calendar_id=row.calendar_id,
    )


def _pool(row: PoolRow) -> ResourcePool:
    return ResourcePool(
        name=row.name, member_keys=tuple(m.resource_key for m in row.members), id=row.id
    )


class Directory:
    """The people and places an invitation can name, looked up by id, email or name."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # Team members

    def add_member(self, member: TeamMember) -> TeamMember:
        if self._find(MemberRow, member.email, MemberRow.email) is not None:
            raise ValidationError(f"A team member with the email {member.email} already exists.")
        row = MemberRow(
            name=member.name,
            name_key=name_key(member.name),
            email=member.email,
            time_zone=member.time_zone,
            working_hours=member.working_hours.to_json() if member.working_hours else None,
            calendar_account_id=member.calendar_account_id,
            calendar_id=member.calendar_id,
        )
        self._session.add(row)
        self._session.flush()
        return _member(row)

    def members(self) -> list[TeamMember]:
        rows = self._session.scalars(select(MemberRow).order_by(MemberRow.name))
        return [_member(r) for r in rows]

    def member(self, ref: str | int) -> TeamMember:
        return _member(self._member_row(ref))

    def members_by_ref(self, refs: Sequence[str | int]) -> list[TeamMember]:
        return [self.member(ref) for ref in refs]

    def update_member_calendar(
        self, ref: str | int, account_id: int | None, calendar_id: str | None
    ) -> TeamMember:
        row = self._member_row(ref)
        row.calendar_account_id, row.calendar_id = account_id, calendar_id
        return _member(row)

    def remove_member(self, ref: str | int) -> TeamMember:
        row = self._member_row(ref)
        member = _member(row)
        self._forget_resource(member_key(row.id))
        self._session.delete(row)
        return member

    def _member_row(self, ref: str | int) -> MemberRow:
        row = self._find(MemberRow, ref, MemberRow.email)
        if row is None:
            raise NotFound(f"There is no team member '{ref}'.")
        return row

    # Rooms

    def add_room(self, room: Room) -> Room:
        if self._find(RoomRow, room.name, None) is not None:
            raise ValidationError(f"A room called {room.name} already exists.")
        row = RoomRow(
            name=room.name,
            name_key=name_key(room.name),
            email=room.email,
            capacity=room.capacity,
            calendar_account_id=room.calendar_account_id,
            calendar_id=room.calendar_id,
        )
        self._session.add(row)
        self._session.flush()
        return _room(row)

    def rooms(self) -> list[Room]:
        return [_room(r) for r in self._session.scalars(select(RoomRow).order_by(RoomRow.name))]

    def room(self, ref: str | int) -> Room:
        return _room(self._room_row(ref))

    def update_room_calendar(
        self, ref: str | int, account_id: int | None, calendar_id: str | None
    ) -> Room:
        row = self._room_row(ref)
        row.calendar_account_id, row.calendar_id = account_id, calendar_id
        return _room(row)

    def remove_room(self, ref: str | int) -> Room:
        row = self._room_row(ref)
        room = _room(row)
        self._forget_resource(room_key(row.id))
        self._session.delete(row)
        return room

    def _room_row(self, ref: str | int) -> RoomRow:
        row = self._find(RoomRow, ref, RoomRow.email)
        if row is None:
            raise NotFound(f"There is no room '{ref}'.")
        return row

    # Resource pools

    def add_pool(self, pool: ResourcePool) -> ResourcePool:
        if self._find(PoolRow, pool.name, None) is not None:
            raise ValidationError(f"A resource pool called {pool.name} already exists.")
        if not pool.member_keys:
            raise ValidationError("A resource pool needs at least one member.")
        row = PoolRow(name=pool.name, name_key=name_key(pool.name))
        row.members = [
            PoolMemberRow(resource_key=key, position=i) for i, key in enumerate(pool.member_keys)
        ]
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError:
            raise ValidationError("A resource pool lists the same member twice.") from None
        return _pool(row)

    def pools(self) -> list[ResourcePool]:
        return [_pool(r) for r in self._session.scalars(select(PoolRow).order_by(PoolRow.name))]

    def pool(self, ref: str | int) -> ResourcePool:
        return _pool(self._pool_row(ref))

    def remove_pool(self, ref: str | int) -> ResourcePool:
        row = self._pool_row(ref)
        pool = _pool(row)
        self._session.delete(row)
        return pool

    def _pool_row(self, ref: str | int) -> PoolRow:
        row = self._find(PoolRow, ref, None)
        if row is None:
            raise NotFound(f"There is no resource pool '{ref}'.")
        return row

    # Shared

    def _find(self, model: type[_Row], ref: str | int, email_column: Any) -> _Row | None:
        """The row *ref* names: ``#12`` or an int is an id; text is a name or an email.

        Names compare on their stored casefolded key, so any script's capitals
        match. A bare number is a name first (someone may be called "2027") and
        an id only when nothing has that name.
        """
        if isinstance(ref, int):
            return self._by_id(model, ref)
        text = ref.strip()
        if text.startswith("#") and text[1:].isdigit():
            return self._by_id(model, int(text[1:]))
        conditions = [model.name_key == name_key(text)]
        if email_column is not None:
            conditions.append(func.lower(email_column) == text.lower())
        for condition in conditions:
            row = self._session.scalars(select(model).where(condition)).first()
            if row is not None:
                return row
        if text.isdigit():
            return self._by_id(model, int(text))
        return None

    def _by_id(self, model: type[_Row], ident: int) -> _Row | None:
        return self._session.get(model, ident)  # any int: the session names no row

    def _forget_resource(self, key: str) -> None:
        self._session.execute(delete(PoolMemberRow).where(PoolMemberRow.resource_key == key))
        self._session.execute(delete(BusyRow).where(BusyRow.resource_key == key))
        self._session.execute(delete(BusyRefreshRow).where(BusyRefreshRow.resource_key == key))
        self._session.execute(delete(LocalAttendeeRow).where(LocalAttendeeRow.calendar_id == key))
