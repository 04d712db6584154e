"""The booking relay's wire contract, declared once.

The desktop encodes offers and decodes the bookings feed with these shapes; the
relay decodes requests with them and derives its OpenAPI document from them.
Every limit lives here, so the schema, the validation and the client agree.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from .branding import MAX_IMAGE_BYTES
from .invitation import MeetingType, TimeZoneConversion

MAX_SLOTS = 2000
MAX_KEYS = 50
MAX_POOLS = 10
MAX_TEXT = 500
MAX_KEY_LENGTH = 128
MAX_ZONE_LENGTH = 64
MAX_SLOT_ID_LENGTH = 32
MAX_NOTICE_MINUTES = 366 * 24 * 60
MAX_BUFFER_MINUTES = 24 * 60
MAX_ACK_IDS = 1000
MAX_INVITATION_ID = 200
MAX_WAIT_SECONDS = 30
MAX_IMAGE_URL = MAX_IMAGE_BYTES * 4 // 3 + 64
"""A ``data:`` URL of the largest image the branding takes."""
MAX_ID = 2**63 - 1
"""The largest id or cursor: PostgreSQL's BIGINT."""

_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"

Text = Annotated[str, Meta(max_length=MAX_TEXT, pattern=_NO_CONTROL)]
RequiredText = Annotated[str, Meta(min_length=1, max_length=MAX_TEXT, pattern=_NO_CONTROL)]
ZoneName = Annotated[
    str, Meta(min_length=1, max_length=MAX_ZONE_LENGTH, pattern=r"^[A-Za-z0-9_+\-/]+$")
]
ResourceKey = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=r"^[\x21-\x7e]+$",
        description="An opaque key of a team member, room or pool member (printable ASCII).",
    ),
]
Instant = Annotated[
    datetime, Meta(tz=True, description="An RFC 3339 date and time with its UTC offset.")
]
Id = Annotated[int, Meta(ge=0, le=MAX_ID)]
_EMAIL = r"^[^\s@<>(),;:\"\[\]]+@[^\s@<>(),;:\"\[\]]+$"
EmailAddress = Annotated[
    str, Meta(max_length=254, pattern=_EMAIL, description="A plain email address.")
]


def receipt_address(email: str) -> str | None:
    """*email* as the offer's ``customer_email`` takes it, or None when it cannot."""
    return email if len(email) <= 254 and re.fullmatch(_EMAIL, email) else None


SlotId = Annotated[
    str, Meta(min_length=1, max_length=MAX_SLOT_ID_LENGTH, pattern=r"^[0-9A-Za-z]+$")
]


class SlotIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """A free slot and the resource keys it needs: every resource, one member per pool."""

    start: Instant
    end: Instant
    resources: Annotated[list[ResourceKey], Meta(max_length=MAX_KEYS)] = []
    pools: Annotated[
        list[Annotated[list[ResourceKey], Meta(min_length=1, max_length=MAX_KEYS)]],
        Meta(max_length=MAX_POOLS),
    ] = []


class BrandingIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """The organizer's accent colour and images (``data:`` URLs of PNG, JPEG or WebP)."""

    accent_color: Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    logo: Annotated[str, Meta(max_length=MAX_IMAGE_URL)] | None = None
    photo: Annotated[str, Meta(max_length=MAX_IMAGE_URL)] | None = None


class OfferIn(Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of ``PUT /api/v1/offers/{invitation_id}``."""

    subject: RequiredText
    duration_minutes: Annotated[int, Meta(ge=1, le=1440)]
    organizer_name: RequiredText
    meeting_type: MeetingType
    location: Text = ""
    time_zone: ZoneName
    time_zone_conversion: TimeZoneConversion = TimeZoneConversion.CUSTOMER
    fixed_time_zone: ZoneName | None = None
    expires_at: Instant
    slots: Annotated[list[SlotIn], Meta(max_length=MAX_SLOTS)]
    promoted: Annotated[list[Instant], Meta(max_length=MAX_SLOTS)] = []
    minimum_notice_minutes: Annotated[int, Meta(ge=0, le=MAX_NOTICE_MINUTES)] = 0
    buffer_before_minutes: Annotated[int, Meta(ge=0, le=MAX_BUFFER_MINUTES)] = 0
    buffer_after_minutes: Annotated[int, Meta(ge=0, le=MAX_BUFFER_MINUTES)] = 0
    change_lead_minutes: Annotated[int, Meta(ge=0, le=MAX_NOTICE_MINUTES)] = 0
    """The customer may reschedule or cancel until this long before the meeting starts."""
    branding: BrandingIn | None = None
    customer_name: Text = ""
    customer_email: EmailAddress | None = None
    """Where the relay's booking receipt goes, if its operator turned receipts on."""


class Published(Struct, kw_only=True):
    """The relay's answer to a publish: the link and one link per promoted slot."""

    token: str
    url: str
    promoted_urls: dict[str, str]


class FeedBooking(Struct, kw_only=True):
    """One booking in the organizer's feed."""

    id: Id
    cursor: Id
    invitation_id: str
    token: str
    start: Instant
    end: Instant
    resource_keys: list[str]
    customer_time_zone: str
    booked_at: Instant
    uid: str = ""
    """The meeting's iCalendar UID, as the link's "Add to calendar" file has it."""
    change: Literal["booked", "moved", "cancelled"] = "booked"
    """What this entry records: a new booking, or a change to the meeting with this UID."""
    manage_url: str | None = None
    """The customer's own link to reschedule or cancel this meeting."""


class MoveRequest(Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of ``POST /api/v1/bookings/{id}/move``: the start of the meeting's new slot."""

    start: Instant


class MoveOptions(Struct, kw_only=True):
    """``GET /api/v1/bookings/{id}/move``: the times the meeting can move to now."""

    slots: list[SlotOut]


class OpenedLink(Struct, kw_only=True):
    """An offer whose link a customer's browser opened (its first page navigation)."""

    invitation_id: str
    at: Instant


class RecheckAsk(Struct, kw_only=True):
    """A customer picked this time: the relay holds it and asks the desktop to read the
    calendars of its resource keys live, and answer before ``answer_by``."""

    id: Id
    invitation_id: str
    start: Instant
    end: Instant
    resource_keys: list[str]
    answer_by: Instant


class BookingsPage(Struct, kw_only=True):
    bookings: list[FeedBooking]
    cursor: Id
    opened: list[OpenedLink] = msgspec.field(default_factory=list)
    """Offers a customer's browser opened in the last two days."""
    rechecks: list[RecheckAsk] = msgspec.field(default_factory=list)
    """Picked times held on the relay, waiting for the desktop's live re-check."""


RecheckVerdict = Literal["free", "busy", "unknown"]
"""What the calendars say now: free, busy, or unknown (one could not be read)."""


class RecheckAnswer(Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of ``POST /api/v1/rechecks/{id}``."""

    verdict: RecheckVerdict


class RecheckOutcome(Struct, kw_only=True):
    """What the relay did with the held time: booked it, or released it."""

    id: Id
    outcome: Literal["confirmed", "released"]


class RecheckStatus(Struct, kw_only=True):
    """``GET /api/v1/i/{token}/recheck``: where the customer's pick stands."""

    status: Literal["checking", "confirmed", "conflict", "none"]


class AckRequest(Struct, kw_only=True, forbid_unknown_fields=True):
    """``{"cursor": n}`` acknowledges every booking up to n, ``{"ids": [...]}`` those."""

    cursor: Id | None = None
    ids: Annotated[list[Id], Meta(max_length=MAX_ACK_IDS)] | None = None


class Acknowledged(Struct, kw_only=True):
    acknowledged: int


class Cancelled(Struct, kw_only=True):
    invitation_id: str
    cancelled: bool


class BookingRequest(Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of ``POST /api/v1/i/{token}/book``: the slot's id or its start."""

    slot_id: SlotId | None = None
    start: Instant | None = None
    time_zone: Annotated[str, Meta(max_length=MAX_ZONE_LENGTH)] | None = None


class SlotOut(Struct, kw_only=True):
    id: str
    start: Instant
    end: Instant


class CustomerBooking(Struct, kw_only=True):
    status: Literal["scheduled"]
    start: Instant
    end: Instant
    time_zone: str
    ics_url: str


class LinkState(Struct, kw_only=True):
    """``GET /api/v1/i/{token}``: an open offer with its free slots, or its meeting
    ("checking": the time is held while the organizer's calendars are re-checked)."""

    status: Literal["open", "scheduled", "checking"]
    subject: str
    duration_minutes: int
    organizer_name: str
    meeting_type: MeetingType
    location: str
    time_zone: str
    time_zone_conversion: TimeZoneConversion
    expires_at: Instant
    slots: list[SlotOut]
    booking: CustomerBooking | None


class Problem(Struct, kw_only=True, omit_defaults=True):
    """Every error answer: a code, one sentence, and what helps next."""

    error: str
    message: str
    slots: list[SlotOut] | None = None
    booking: CustomerBooking | None = None


class Health(Struct, kw_only=True):
    status: Literal["ok", "unavailable"]


SHAPES: tuple[type[Struct], ...] = (
    OfferIn,
    Published,
    BookingsPage,
    AckRequest,
    Acknowledged,
    RecheckAnswer,
    RecheckOutcome,
    RecheckStatus,
    Cancelled,
    MoveRequest,
    MoveOptions,
    FeedBooking,
    BookingRequest,
    LinkState,
    CustomerBooking,
    Problem,
    Health,
)
"""Every shape the relay's routes take or give, for its OpenAPI components."""


def json_schemas(ref_template: str) -> dict[str, Any]:
    """JSON Schema (2020-12, as OpenAPI 3.1 takes it) of every shape, by name.

    A shape that refuses unknown fields says so (``additionalProperties``).
    """
    _refs, components = msgspec.json.schema_components(SHAPES, ref_template=ref_template)
    shapes: tuple[type[Struct], ...] = (*SHAPES, SlotIn, BrandingIn)
    for shape in shapes:
        if shape.__struct_config__.forbid_unknown_fields:
            components[shape.__name__]["additionalProperties"] = False
    return components
