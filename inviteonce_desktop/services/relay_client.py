"""The desktop's client for the booking relay's organizer API.

    RelayClientError
    ├── RelayUnavailable   the relay cannot be reached or failed (network, 5xx)
    └── RelayRejected      the relay refused the request (4xx), with its message

No message ever contains the organizer key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import msgspec

from inviteonce_desktop.core import relay_contract as contract
from inviteonce_desktop.core.branding import Branding
from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.core.timezones import require_aware
from inviteonce_desktop.services.tls import http_tls_context

if TYPE_CHECKING:
    import httpx

MAX_WAIT = 30.0


class RelayClientError(Exception):
    """Publishing to or reading from the relay failed; the message is one sentence."""


class RelayUnavailable(RelayClientError):
    """The relay is unreachable, timed out or answered with a server error."""


class RelayRejected(RelayClientError):
    """The relay refused the request; ``status`` and ``code`` say why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        super().__init__(message)


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def _utc(value: datetime) -> datetime:
    return require_aware(value).astimezone(UTC)


def _minutes(value: timedelta) -> int:
    """A margin in whole minutes, rounded up so the relay never offers less than asked."""
    return max(0, math.ceil(value.total_seconds() / 60))


@dataclass(frozen=True, slots=True)
class OfferSlot:
    start: datetime
    end: datetime
    resources: tuple[str, ...] = ()
    pools: tuple[tuple[str, ...], ...] = ()

    def to_contract(self) -> contract.SlotIn:
        return contract.SlotIn(
            start=_utc(self.start),
            end=_utc(self.end),
            resources=list(self.resources),
            pools=[list(pool) for pool in self.pools],
        )


@dataclass(frozen=True, slots=True)
class RelayOffer:
    """What the relay shows a customer for one invitation."""

    subject: str
    duration_minutes: int
    organizer_name: str
    meeting_type: MeetingType
    time_zone: str
    expires_at: datetime
    slots: tuple[OfferSlot, ...]
    location: str = ""
    time_zone_conversion: TimeZoneConversion = TimeZoneConversion.CUSTOMER
    fixed_time_zone: str | None = None
    promoted: tuple[datetime, ...] = ()
    minimum_notice: timedelta = timedelta(0)
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    branding: Branding | None = None
    customer_name: str = ""
    customer_email: str | None = None
    """For the relay's booking receipt, when its operator sends them."""
    change_lead: timedelta = timedelta(0)
    """The customer may reschedule or cancel until this long before the start."""

    def to_contract(self) -> contract.OfferIn:
        """This offer in the relay's declared shape."""
        return contract.OfferIn(
            subject=self.subject,
            duration_minutes=self.duration_minutes,
            organizer_name=self.organizer_name,
            meeting_type=self.meeting_type,
            location=self.location,
            time_zone=self.time_zone,
            time_zone_conversion=self.time_zone_conversion,
            fixed_time_zone=self.fixed_time_zone,
            expires_at=_utc(self.expires_at),
            slots=[slot.to_contract() for slot in self.slots],
            promoted=[_utc(start) for start in self.promoted],
            minimum_notice_minutes=_minutes(self.minimum_notice),
            buffer_before_minutes=_minutes(self.buffer_before),
            buffer_after_minutes=_minutes(self.buffer_after),
            change_lead_minutes=_minutes(self.change_lead),
            branding=(
                None
                if self.branding is None
                else msgspec.convert(self.branding.to_offer(), contract.BrandingIn)
            ),
            customer_name=self.customer_name,
            customer_email=self.customer_email,
        )

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = msgspec.to_builtins(self.to_contract())
        return body


@dataclass(frozen=True, slots=True)
class PublishedOffer:
    token: str
    url: str
    promoted_urls: Mapping[datetime, str] = field(default_factory=dict)
    created: bool = False


@dataclass(frozen=True, slots=True)
class RelayBooking:
    id: int
    cursor: int
    invitation_id: str
    token: str
    start: datetime
    end: datetime
    resource_keys: tuple[str, ...]
    customer_time_zone: str
    booked_at: datetime
    uid: str = ""
    """The meeting's iCalendar UID, as the relay's "Add to calendar" file has it."""
    change: str = "booked"
    """"booked", or "moved"/"cancelled": a change to the meeting with this UID."""
    manage_url: str | None = None
    """The customer's own link to reschedule or cancel the meeting."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RelayBooking:
        try:
            entry = msgspec.convert(data, contract.FeedBooking)
        except msgspec.ValidationError as error:
            raise RelayUnavailable(
                f"The booking relay sent a malformed booking ({error})."
            ) from None
        return cls(
            id=entry.id,
            cursor=entry.cursor,
            invitation_id=entry.invitation_id,
            token=entry.token,
            start=entry.start.astimezone(UTC),
            end=entry.end.astimezone(UTC),
            resource_keys=tuple(entry.resource_keys),
            customer_time_zone=entry.customer_time_zone,
            booked_at=entry.booked_at.astimezone(UTC),
            uid=entry.uid,
            change=entry.change,
            manage_url=entry.manage_url,
        )


@dataclass(frozen=True, slots=True)
class RelayRecheck:
    """A customer's pick that the relay holds until the desktop re-checks it."""

    id: int
    invitation_id: str
    start: datetime
    end: datetime
    resource_keys: tuple[str, ...]
    answer_by: datetime

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RelayRecheck:
        try:
            ask = msgspec.convert(data, contract.RecheckAsk)
        except msgspec.ValidationError as error:
            raise RelayUnavailable(
                f"The booking relay sent a malformed re-check ({error})."
            ) from None
        return cls(
            id=ask.id,
            invitation_id=ask.invitation_id,
            start=ask.start.astimezone(UTC),
            end=ask.end.astimezone(UTC),
            resource_keys=tuple(ask.resource_keys),
            answer_by=ask.answer_by.astimezone(UTC),
        )


@dataclass(frozen=True, slots=True)
class BookingsPage:
    bookings: tuple[RelayBooking, ...]
    cursor: int
    opened: tuple[tuple[str, datetime], ...] = ()
    """(invitation id, when) of open offers a customer's browser has opened."""
    rechecks: tuple[RelayRecheck, ...] = ()
    """Picks held on the relay until the desktop re-checks the calendars."""


class RelayClient:
    """Async client of one relay, authenticated with one organizer key."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        import httpx

        self._timeout = timeout
        headers = {"accept": "application/json"}
        if api_key:  # /healthz needs none
            headers["authorization"] = f"Bearer {api_key}"
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers=headers,
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            verify=http_tls_context(),
        )

    async def __aenter__(self) -> RelayClient:
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(
        self, method: str, path: str, *, timeout: float | None = None, **kwargs: Any
    ) -> httpx.Response:
        import httpx

        try:
            response = await self._http.request(
                method, path, timeout=timeout or self._timeout, **kwargs
            )
        except httpx.TimeoutException:
            raise RelayUnavailable("The booking relay did not answer in time.") from None
        except httpx.HTTPError as error:
            reason = type(error).__name__
            raise RelayUnavailable(f"The booking relay cannot be reached ({reason}).") from None
        if response.status_code >= 500:
            raise RelayUnavailable(
                f"The booking relay had a problem (HTTP {response.status_code})."
            )
        if response.status_code >= 400:
            raise _rejection(response)
        return response

    async def publish(self, invitation_id: str, offer: RelayOffer) -> PublishedOffer:
        """Publishes or replaces the offer; the link stays the same on replace."""
        response = await self._request(
            "PUT", f"/api/v1/offers/{quote(invitation_id, safe='')}", json=offer.to_json()
        )
        data = _json(response)
        return PublishedOffer(
            token=str(data["token"]),
            url=str(data["url"]),
            promoted_urls={_instant(k): str(v) for k, v in data["promoted_urls"].items()},
            created=response.status_code == 201,
        )

    async def cancel(self, invitation_id: str) -> bool:
        """Cancels the offer; False when the relay did not know it."""
        try:
            await self._request("DELETE", f"/api/v1/offers/{quote(invitation_id, safe='')}")
        except RelayRejected as rejected:
            if rejected.status == 404:
                return False
            raise
        return True

    async def bookings(self, after: int = 0, wait: float = 0.0) -> BookingsPage:
        """Unacknowledged bookings after *after*, waiting up to *wait* seconds for one."""
        wait = max(0.0, min(wait, MAX_WAIT))
        response = await self._request(
            "GET",
            "/api/v1/bookings",
            params={"after": after, "wait": wait},
            timeout=self._timeout + wait,
        )
        data = _json(response)
        return BookingsPage(
            bookings=tuple(RelayBooking.from_json(item) for item in data["bookings"]),
            cursor=int(data["cursor"]),
            opened=tuple(
                (str(item["invitation_id"]), _instant(item["at"]))
                for item in data.get("opened", [])
            ),
            rechecks=tuple(RelayRecheck.from_json(item) for item in data.get("rechecks", [])),
        )

    async def move_options(self, booking_id: int) -> list[tuple[datetime, datetime]]:
        """The (start, end) of each slot the booked meeting can move to now."""
        response = await self._request("GET", f"/api/v1/bookings/{booking_id}/move")
        try:
            options = msgspec.convert(_json(response), contract.MoveOptions)
        except msgspec.ValidationError as error:
            raise RelayUnavailable(f"The booking relay sent malformed times ({error}).") from None
        return [(s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in options.slots]

    async def move(self, booking_id: int, start: datetime) -> RelayBooking:
        """Moves the booked meeting to the slot starting at *start*: its new row."""
        body = msgspec.to_builtins(contract.MoveRequest(start=_utc(start)))
        response = await self._request("POST", f"/api/v1/bookings/{booking_id}/move", json=body)
        return RelayBooking.from_json(_json(response))

    async def answer_recheck(self, recheck_id: int, verdict: str) -> str:
        """The calendars' verdict on a held pick; what the relay did: "confirmed",
        "released", or "too_late" (it confirmed at its deadline: the booking stands)."""
        try:
            response = await self._request(
                "POST", f"/api/v1/rechecks/{recheck_id}", json={"verdict": verdict}
            )
        except RelayRejected as rejected:
            if rejected.status == 409:
                return "too_late"
            raise
        return str(_json(response)["outcome"])

    async def ack_ids(self, ids: list[int]) -> int:
        response = await self._request("POST", "/api/v1/bookings/ack", json={"ids": ids})
        return int(_json(response)["acknowledged"])

    async def health_problem(self) -> str | None:
        """None when the relay and its database answer ``/healthz``; else what is wrong,
        in one sentence that says what to check."""
        import httpx

        base_url = str(self._http.base_url).rstrip("/")
        url = f"{base_url}/healthz"
        try:
            response = await self._http.get("/healthz", follow_redirects=True)
        except httpx.ConnectError:
            return (
                f"The relay at {base_url} refuses connections; check the URL "
                "and that `inviteonce-relay serve` is running."
            )
        except httpx.TimeoutException:
            return f"The relay at {base_url} does not answer; check the URL and the network."
        except httpx.HTTPError:
            return f"The relay at {base_url} cannot be reached; check the URL."
        if response.status_code == 503:
            return f"The relay at {base_url} runs but its database is unavailable."
        if response.status_code != 200:
            return f"{url} answered {response.status_code}; is this an InviteOnce relay?"
        try:
            healthy = response.json().get("status") == "ok"
        except (ValueError, AttributeError):
            healthy = False
        return None if healthy else f"{url} did not answer as an InviteOnce relay does."


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise RelayUnavailable("The booking relay sent an answer that is not JSON.") from None
    if not isinstance(data, dict):
        raise RelayUnavailable("The booking relay sent an unexpected answer.")
    return data


def _rejection(response: httpx.Response) -> RelayRejected:
    code, message = (
        "rejected",
        f"The booking relay refused the request (HTTP {response.status_code}).",
    )
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        code = str(data.get("error", code))[:60]
        message = str(data.get("message", message))[:300]
    if response.status_code == 401:
        message = "The booking relay did not accept the organizer key."
    return RelayRejected(response.status_code, code, message)
