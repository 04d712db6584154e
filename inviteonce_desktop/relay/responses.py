"""JSON answers with the relay's error shape: ``{"error": code, "message": sentence}``."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from inviteonce_desktop.core.relay_contract import CustomerBooking, Problem, SlotOut

from .offer_parsing import MalformedBody, Shape, decode

__all__ = ["MalformedBody", "contract_json", "json_body", "no_store", "problem"]

_ENCODER = msgspec.json.Encoder()


def problem(
    status: int,
    code: str,
    message: str,
    *,
    slots: list[SlotOut] | None = None,
    booking: CustomerBooking | None = None,
) -> Response:
    """An error answer in the contract's ``Problem`` shape."""
    return contract_json(Problem(error=code, message=message, slots=slots, booking=booking), status)


async def json_body(request: Request, shape: type[Shape]) -> Shape:
    """The request's JSON body decoded as *shape*, or a MalformedBody saying why not."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise MalformedBody("The request body must be JSON (Content-Type: application/json).")
    return decode(await request.body(), shape)


def contract_json(value: msgspec.Struct, status: int = 200) -> Response:
    """*value*, a shape of the relay contract, as a JSON answer."""
    return Response(_ENCODER.encode(value), status_code=status, media_type="application/json")


def no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response
