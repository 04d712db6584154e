"""The organizer's branding, served by the relay from its own origin.

``/i/{token}/brand.css`` paints the pages in the accent colour (made readable
in both schemes), ``/logo`` and ``/photo`` are the offer's images. Their URLs
carry a version, so browsers may keep them for a day.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .branding import Branding, brand_css
from .customer_pages import not_found
from .keys import looks_like_token
from .parts import RelayParts, parts_of


def _read_branding(parts: RelayParts, token: str) -> Branding | None:
    if not looks_like_token(token):
        return None
    with parts.engine.connect() as connection:
        record = parts.offers.find(connection, token)
    return None if record is None else record.offer.branding


_ASSET_CACHE = "public, max-age=86400"
_ASSETS = ("brand.css", "logo", "photo")


async def brand_asset(request: Request) -> Response:
    """The offer's accent stylesheet, logo or photo, from the relay's own origin."""
    parts = parts_of(request)
    token: str = request.path_params["token"]
    asset = request.url.path.rsplit("/", 1)[-1]
    branding = await run_in_threadpool(_read_branding, parts, token)
    if branding is not None:
        if asset == "brand.css" and branding.accent_color:
            css = brand_css(branding.accent_color)
            return Response(css, media_type="text/css", headers={"cache-control": _ASSET_CACHE})
        image = {"logo": branding.logo, "photo": branding.photo}.get(asset)
        if image is not None:
            return Response(
                image.data, media_type=image.media_type, headers={"cache-control": _ASSET_CACHE}
            )
    return not_found(request)


routes = [Route(f"/i/{{token}}/{asset}", brand_asset, methods=["GET"]) for asset in _ASSETS]
