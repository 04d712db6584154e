"""The invitations' history, one row per thing that happened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.history import HistoryEntry, HistoryKind
from .models import HistoryRow


class History:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, invitation_id: int, at: datetime, kind: HistoryKind, text: str) -> None:
        self._session.add(
            HistoryRow(invitation_id=invitation_id, at=at, kind=kind.value, text=text[:2000])
        )
        self._session.flush()

    def add_once(self, invitation_id: int, at: datetime, kind: HistoryKind, text: str) -> bool:
        """Adds the entry unless the same one is there already (a redone step, a replayed feed)."""
        found = self._session.scalars(
            select(HistoryRow.id).where(
                HistoryRow.invitation_id == invitation_id,
                HistoryRow.kind == kind.value,
                HistoryRow.text == text[:2000],
            )
        ).first()
        if found is not None:
            return False
        self.add(invitation_id, at, kind, text)
        return True

    def of(self, invitation_id: int) -> list[HistoryEntry]:
        """In the order the desktop learned of them (their times come from several clocks)."""
        rows = self._session.scalars(
            select(HistoryRow)
            .where(HistoryRow.invitation_id == invitation_id)
            .order_by(HistoryRow.id)
        )
        return [HistoryEntry(r.at, HistoryKind(r.kind), r.text) for r in rows]
