"""JSON answers with the relay's error shape: ``{"error": code, "message": sentence}``."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from inviteonce_desktop.core.errors import ValidationError


class MalformedBody(ValidationError):
    """A request body that is not JSON at all."""


def problem(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


async def json_body(request: Request) -> Any:
    """The request's JSON body, or a ValidationError saying why not."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise MalformedBody("The request body must be JSON (Content-Type: application/json).")
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise MalformedBody("The request body is not valid JSON.") from None


def no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response
