"""Pieces the fake calendar servers share: tokens, PKCE checks, fault injection."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


@dataclass
class Fault:
    """An answer given instead of the real one, to the next matching API request."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None


@dataclass
class TokenBook:
    """Access and refresh tokens the fake authorization server handed out."""

    access: set[str] = field(default_factory=set)
    refresh: set[str] = field(default_factory=set)
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)

    def issue_code(self, challenge: str, redirect_uri: str) -> str:
        code = "code-" + secrets.token_urlsafe(12)
        self.codes[code] = (challenge, redirect_uri)
        return code

    def redeem_code(self, code: str, verifier: str, redirect_uri: str) -> bool:
        challenge, expected_redirect = self.codes.pop(code, ("", ""))
        digest = hashlib.sha256(verifier.encode()).digest()
        computed = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        return bool(challenge) and computed == challenge and redirect_uri == expected_redirect

    def new_access(self) -> str:
        token = "access-" + secrets.token_urlsafe(12)
        self.access.add(token)
        return token

    def new_refresh(self) -> str:
        token = "refresh-" + secrets.token_urlsafe(12)
        self.refresh.add(token)
        return token

    def revoke_all(self) -> None:
        self.access.clear()
        self.refresh.clear()

    def bearer_ok(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.access


class FaultQueue:
    def __init__(self) -> None:
        self._faults: deque[Fault] = deque()

    def add(self, *faults: Fault) -> None:
        self._faults.extend(faults)

    async def next_response(self) -> Response | None:
        if not self._faults:
            return None
        fault = self._faults.popleft()
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.raw is not None:
            return Response(fault.raw, fault.status, fault.headers, media_type="application/json")
        return JSONResponse(fault.body, fault.status, fault.headers)


def raw_segments(request: Request, prefix: str) -> list[str] | None:
    """Path segments after *prefix*, each percent-decoded on its own (ids may hold '/')."""
    raw = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
    raw = raw.split("?", 1)[0]
    if not raw.startswith(prefix):
        return None
    return [unquote(piece) for piece in raw[len(prefix) :].split("/") if piece]


def basic_client_id(request: Request, form: Any) -> str | None:
    """The client id of a token request: HTTP Basic credentials or the form's client_id."""
    header = request.headers.get("authorization", "")
    if header.startswith("Basic "):
        decoded = base64.b64decode(header[6:]).decode()
        return unquote(decoded.partition(":")[0])
    value = form.get("client_id")
    return str(value) if value is not None else None
