"""The relay's settings, typed, from arguments or ``INVITEONCE_RELAY_*`` variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from starlette.config import Config

ENV_PREFIX = "INVITEONCE_RELAY_"


@dataclass(frozen=True, slots=True)
class RelaySettings:
    database_url: str = "sqlite:///inviteonce-relay.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""
    workers: int = 1
    max_body_bytes: int = 16 * 1024
    max_offer_bytes: int = 2 * 1024 * 1024
    bookings_per_minute: float = 10.0
    booking_burst: int = 20
    forwarded_allow_ips: str = "127.0.0.1"
    long_poll_interval: float = 0.5
    page_cache_seconds: float = 1.0

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

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> RelaySettings:
        config = Config(environ=environ, env_prefix=ENV_PREFIX)
        default = cls()
        return cls(
            database_url=config("DATABASE_URL", default=default.database_url),
            host=config("HOST", default=default.host),
            port=config("PORT", cast=int, default=default.port),
            public_url=config("PUBLIC_URL", default=default.public_url),
            workers=config("WORKERS", cast=int, default=default.workers),
            max_body_bytes=config("MAX_BODY_BYTES", cast=int, default=default.max_body_bytes),
            max_offer_bytes=config("MAX_OFFER_BYTES", cast=int, default=default.max_offer_bytes),
            bookings_per_minute=config(
                "BOOKINGS_PER_MINUTE", cast=float, default=default.bookings_per_minute
            ),
            booking_burst=config("BOOKING_BURST", cast=int, default=default.booking_burst),
            forwarded_allow_ips=config("FORWARDED_ALLOW_IPS", default=default.forwarded_allow_ips),
        )

    def to_environ(self) -> dict[str, str]:
        """The variables that give a worker process these same settings."""
        return {
            ENV_PREFIX + "DATABASE_URL": self.database_url,
            ENV_PREFIX + "HOST": self.host,
            ENV_PREFIX + "PORT": str(self.port),
            ENV_PREFIX + "PUBLIC_URL": self.public_url,
            ENV_PREFIX + "WORKERS": str(self.workers),
            ENV_PREFIX + "MAX_BODY_BYTES": str(self.max_body_bytes),
            ENV_PREFIX + "MAX_OFFER_BYTES": str(self.max_offer_bytes),
            ENV_PREFIX + "BOOKINGS_PER_MINUTE": str(self.bookings_per_minute),
            ENV_PREFIX + "BOOKING_BURST": str(self.booking_burst),
            ENV_PREFIX + "FORWARDED_ALLOW_IPS": self.forwarded_allow_ips,
            ENV_PREFIX + "PAGE_CACHE_SECONDS": str(self.page_cache_seconds),
        }
