"""A connected calendar account's settings: everything but its secrets.

Which are set depends on the kind of account:

    google      calendar, email, client_id_file, [event_calendar, api_endpoint, gmail_endpoint]
    microsoft   client_id, authority, email, [event_calendar, graph_url,
                working_elsewhere (free|busy)]
    exchange    server_url, email, username, auth (ntlm|basic|oauth), build,
                [client_id, authority for oauth]
    caldav      url, username, [email, calendar, time_zone, free_busy (auto|report|search)]

Tokens and passwords live in the keyring, never here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True, slots=True)
class AccountSettings:
    email: str = ""
    """The address of the account's owner."""
    calendar: str = ""
    """The calendar meetings are written to (Google, Microsoft 365: the calendar busy time
    of the account's owner is read from, their address)."""
    event_calendar: str = ""
    """Google, Microsoft 365: the id of the calendar the organizer's meetings are written to
    (empty: the primary one)."""
    url: str = ""
    username: str = ""
    time_zone: str = ""
    free_busy: str = ""
    server_url: str = ""
    auth: str = ""
    build: str = ""
    client_id: str = ""
    client_id_file: str = ""
    authority: str = ""
    api_endpoint: str = ""
    gmail_endpoint: str = ""
    graph_url: str = ""
    working_elsewhere: str = ""
    """Microsoft 365: "busy" when 'working elsewhere' blocks time (by default it does not)."""

    def to_json(self) -> dict[str, str]:
        """The settings that are set, as stored."""
        return {name: value for name, value in asdict(self).items() if value}

    @classmethod
    def from_json(cls, data: Mapping[str, object] | None) -> AccountSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in (data or {}).items() if k in known and v is not None})
