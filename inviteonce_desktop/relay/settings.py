"""The relay's settings, declared once: typed, documented, from and to the environment.

Every field is the variable ``INVITEONCE_RELAY_<FIELD>``; reading and writing
the environment walk the fields, so no setting can be left out of either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, get_type_hints

from inviteonce_desktop.core.errors import ValidationError

ENV_PREFIX = "INVITEONCE_RELAY_"
RECEIPT_SECURITY = ("starttls", "tls", "none")


def _setting(default: Any, doc: str) -> Any:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True, slots=True)
class RelaySettings:
    database_url: str = _setting(
        "sqlite:///inviteonce-relay.sqlite3", "sqlite:///PATH or postgresql+psycopg://..."
    )
    host: str = _setting("127.0.0.1", "Address to listen on.")
    port: int = _setting(8080, "Port to listen on.")
    public_url: str = _setting("", "The address customers open; links start with it.")
    workers: int = _setting(1, "Worker processes (about one per CPU core).")
    max_body_bytes: int = _setting(16 * 1024, "Largest request body outside publishing.")
    max_offer_bytes: int = _setting(2 * 1024 * 1024, "Largest offer body.")
    bookings_per_minute: float = _setting(10.0, "Booking attempts per client and minute (0: off).")
    booking_burst: int = _setting(20, "Booking attempts a client may make at once.")
    forwarded_allow_ips: str = _setting("127.0.0.1", "Proxies trusted for X-Forwarded-For.")
    long_poll_interval: float = _setting(
        0.5, "Seconds between looks for bookings made by other workers."
    )
    page_cache_seconds: float = _setting(10.0, "Longest life of a rendered link page (0: off).")
    database_connections: int = _setting(
        0, "Database connections this host may open in all (0: derived from the server)."
    )
    hosts: int = _setting(
        1, "Relay hosts sharing the database; each derives an equal share of its connections."
    )
    database_wait_seconds: float = _setting(
        10.0, "How long a request waits for a database connection before a 503."
    )
    request_timeout_seconds: float = _setting(
        15.0, "A client must send its request headers and body within this time."
    )
    recheck_seconds: float = _setting(
        4.0,
        "How long a pick waits for the organizer's desktop to re-check its calendars"
        " before the relay confirms it on its own data (0: no re-check).",
    )
    retention_days: int = _setting(
        30, "Days a cancelled or expired offer's content is kept before it is purged."
    )
    receipt_smtp_host: str = _setting(
        "", "Your own SMTP server, to email each customer a receipt at booking (empty: off)."
    )
    receipt_smtp_port: int = _setting(587, "Its port.")
    receipt_smtp_security: str = _setting("starttls", "starttls, tls or none.")
    receipt_smtp_username: str = _setting("", "Its user name (empty: no login).")
    receipt_smtp_password: str = _setting("", "Its password; better in the password file.")
    receipt_smtp_password_file: str = _setting("", "A file holding its password.")
    receipt_from: str = _setting("", "The receipts' From, e.g. Bookings <bookings@example.com>.")

    def __post_init__(self) -> None:
        numbers = {f.name: getattr(self, f.name) for f in fields(self) if f.type != "str"}
        negative = [name for name, value in numbers.items() if value < 0]
        if negative:
            raise ValidationError(f"The relay setting '{negative[0]}' cannot be negative.")

    def check_receipts(self) -> None:
        """A ValidationError with one sentence when receipts are on but half set up."""
        if not self.receipts:
            return
        if self.receipt_smtp_security not in RECEIPT_SECURITY:
            raise ValidationError(
                f"{self.variable('receipt_smtp_security')} must be starttls, tls or none."
            )
        if "@" not in self.receipt_from:
            raise ValidationError(
                f"{self.variable('receipt_from')} must be an email address when "
                f"{self.variable('receipt_smtp_host')} is set."
            )

    @property
    def receipts(self) -> bool:
        """Customers get a receipt from the operator's own SMTP server at booking."""
        return bool(self.receipt_smtp_host)

    @property
    def base_url(self) -> str:
        """Where customers reach the relay, without a trailing slash."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def with_overrides(self, **changes: object) -> RelaySettings:
        """These settings with every non-None value in *changes* applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]

    @staticmethod
    def variable(name: str) -> str:
        """The environment variable of the field *name*."""
        return ENV_PREFIX + name.upper()

    @classmethod
    def documented(cls) -> list[tuple[str, str, str]]:
        """(variable, default, meaning) of every setting."""
        return [(cls.variable(f.name), str(f.default), str(f.metadata["doc"])) for f in fields(cls)]

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> RelaySettings:
        """Settings from ``INVITEONCE_RELAY_*``; a malformed value is one clear sentence."""
        types = get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(cls.variable(f.name))
            if raw is None:
                continue
            cast = types[f.name]
            try:
                values[f.name] = cast(raw.strip()) if cast is not str else raw
            except ValueError:
                kind = "whole number" if cast is int else "number"
                raise ValidationError(
                    f"{cls.variable(f.name)} must be a {kind}, not '{raw[:40]}'."
                ) from None
        return cls(**values)

    def to_environ(self) -> dict[str, str]:
        """The variables that give a worker process these same settings."""
        return {self.variable(f.name): str(getattr(self, f.name)) for f in fields(self)}
