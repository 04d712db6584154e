"""Double-submit CSRF protection for the booking form.

The page sets a random value in a ``SameSite=Lax`` cookie and in a hidden form
field; a booking POST must carry both, equal, and come from this origin.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "relay_csrf"


def csrf_value(request: Request) -> str:
    value = request.cookies.get(COOKIE, "")
    if len(value) == 22 and value.replace("-", "").replace("_", "").isalnum():
        return value
    return secrets.token_urlsafe(16)


def remember(response: Response, value: str, *, secure: bool, path: str = "/i/") -> None:
    response.set_cookie(
        COOKIE, value, path=path, httponly=True, samesite="lax", secure=secure, max_age=86400
    )


def origin_allowed(request: Request, base_url: str) -> bool:
    """Whether the request comes from this site, as far as the browser tells.

    With ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` on
    form posts, so ``Sec-Fetch-Site`` (sent by every current browser) is asked
    first. Without it, ``Origin: null`` is refused: a sandboxed frame or a
    ``data:`` page sends the same, and the relay cannot tell them apart. A
    request with neither header (a browser too old for both) still needs the
    ``SameSite=Lax`` cookie and its twin in the form.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    return origin in (base_url, own)


def form_is_genuine(request: Request, submitted: str, base_url: str) -> bool:
    cookie = request.cookies.get(COOKIE, "")
    return (
        bool(cookie)
        and hmac.compare_digest(cookie.encode(), submitted.encode())
        and origin_allowed(request, base_url)
    )
