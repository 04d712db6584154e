"""Workspace settings and the organizer's profile."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.branding import Branding
from ..core.languages import DEFAULT_LANGUAGE
from ..core.profile import Profile
from .models import SettingRow

PROFILE = "profile"
BRANDING = "branding"


class Settings:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str) -> dict[str, Any] | None:
        row = self._session.get(SettingRow, key)
        return None if row is None else dict(row.value)

    def put(self, key: str, value: dict[str, Any]) -> None:
        self._session.merge(SettingRow(key=key, value=value))

    def delete(self, key: str) -> None:
        row = self._session.get(SettingRow, key)
        if row is not None:
            self._session.delete(row)

    def profile(self) -> Profile | None:
        data = self.get(PROFILE)
        if data is None:
            return None
        language = data.get("language", DEFAULT_LANGUAGE)
        return Profile(data["name"], data["email"], data["time_zone"], language)

    def set_profile(self, profile: Profile) -> None:
        self.put(
            PROFILE,
            {
                "name": profile.name,
                "email": profile.email,
                "time_zone": profile.time_zone,
                "language": profile.language,
            },
        )

    def branding(self) -> Branding:
        data = self.get(BRANDING)
        return Branding() if data is None else Branding.from_json(data)

    def set_branding(self, branding: Branding) -> None:
        self.put(BRANDING, branding.to_json())

    def keys(self, prefix: str) -> list[str]:

        rows = self._session.scalars(
            select(SettingRow.key).where(SettingRow.key.startswith(prefix))
        )
        return list(rows)
