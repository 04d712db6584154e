"""Connected calendar accounts: their kind, name and non-secret settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.account_settings import AccountSettings
from ..core.errors import NotFound, ValidationError
from .models import CalendarAccountRow


@dataclass(frozen=True, slots=True)
class CalendarAccount:
    id: int
    kind: str
    name: str
    settings: AccountSettings
    status: str
    last_refresh: datetime | None
    last_error: str | None


def _account(row: CalendarAccountRow) -> CalendarAccount:
    return CalendarAccount(
        row.id,
        row.kind,
        row.name,
        AccountSettings.from_json(row.settings),
        row.status,
        row.last_refresh,
        row.last_error,
    )


class CalendarAccounts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def reserve(self, kind: str) -> int:
        """A placeholder record whose id the connect flow files the secret under."""
        row = CalendarAccountRow(
            kind=kind, name=f"(connecting {kind})", settings={}, status="connecting"
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def complete(self, account_id: int, name: str, settings: AccountSettings) -> CalendarAccount:
        row = self._row(account_id)
        taken = self._session.scalars(
            select(CalendarAccountRow).where(
                CalendarAccountRow.name == name, CalendarAccountRow.id != account_id
            )
        ).first()
        if taken is not None:
            raise ValidationError(f"The calendar {name} is connected already.")
        row.name, row.status, row.last_error = name, "connected", None
        row.settings = settings.to_json()
        return _account(row)

    def change_settings(self, account_id: int, settings: AccountSettings) -> CalendarAccount:
        """New settings for a connected account (its status and sign-in stay as they are)."""
        row = self._row(account_id)
        row.settings = settings.to_json()
        return _account(row)

    def reconnected(self, account_id: int, settings: AccountSettings) -> CalendarAccount:
        """Signed in again: new settings, connected, the name (and so the mapping) kept."""
        row = self._row(account_id)
        row.settings, row.status, row.last_error = settings.to_json(), "connected", None
        return _account(row)

    def list(self) -> list[CalendarAccount]:
        query = select(CalendarAccountRow).where(CalendarAccountRow.status != "connecting")
        return [_account(r) for r in self._session.scalars(query.order_by(CalendarAccountRow.id))]

    def get(self, account_id: int) -> CalendarAccount:
        return _account(self._row(account_id))

    def refreshed(
        self, account_id: int, at: datetime | None, status: str, error: str | None
    ) -> None:
        row = self._row(account_id)
        if at is not None:
            row.last_refresh = at
        row.status, row.last_error = status, error

    def remove(self, account_id: int) -> CalendarAccount:
        row = self._row(account_id)
        account = _account(row)
        self._session.delete(row)
        return account

    def _row(self, account_id: int) -> CalendarAccountRow:
        row = self._session.get(CalendarAccountRow, account_id)
        if row is None:
            raise NotFound(f"There is no calendar account {account_id}.")
        return row
