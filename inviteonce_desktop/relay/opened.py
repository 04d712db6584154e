"""When the customer opened their link: reported by the page, never inferred from a GET.

Mail scanners fetch every link in an email (some with a browser's headers, some
with HEAD, some in a headless browser), and browsers prefetch. None of those is
the customer, so no GET counts. The page's script reports the open once the
page is visible to someone (not while prerendered or in a background tab): a
same-origin POST carrying the page's proof, an HMAC of the link under the
offer's secret salt, so the proof stays the same for every copy of the page
the relay caches. Without scripts, a form the customer submits counts: the
time zone form (its hidden ``seen`` field carries the proof, which no link on
the page does, so a crawler following links never sends it) or the booking.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .csrf import origin_allowed
from .feed import OpenedLinks
from .keys import digest, looks_like_token
from .parts import RelayParts, parts_of
from .schema import offer_links, offers


def open_proof(salt: str, token: str) -> str:
    """What the link's pages carry to report an open of *token*."""
    return hmac.new(salt.encode(), f"opened:{token}".encode(), hashlib.sha256).hexdigest()[:32]


def note_opened(parts: RelayParts, token: str) -> None:
    OpenedLinks(parts.engine).mark(digest(token), int(parts.clock()))


def _salt(parts: RelayParts, token: str) -> str | None:
    query = (
        select(offers.c.salt)
        .join(offer_links, offer_links.c.offer_id == offers.c.id)
        .where(offer_links.c.token_hash == digest(token))
    )
    with parts.engine.connect() as connection:
        return connection.execute(query).scalar_one_or_none()


def _genuine(parts: RelayParts, token: str, proof: str) -> bool:
    salt = _salt(parts, token)
    expected = b"" if salt is None else open_proof(salt, token).encode()
    return salt is not None and hmac.compare_digest(expected, proof.encode())


async def note_form_open(request: Request, parts: RelayParts) -> None:
    """A page asked by the customer's own form submission (``seen``) marks the link opened."""
    proof = request.query_params.get("seen")
    if proof is None:
        return  # most requests: no thread hop
    token: str = request.path_params["token"]
    if looks_like_token(token) and await run_in_threadpool(_genuine, parts, token, proof[:64]):
        await run_in_threadpool(note_opened, parts, token)


async def opened(request: Request) -> Response:
    parts = parts_of(request)
    token: str = request.path_params["token"]
    if not looks_like_token(token) or not origin_allowed(request, parts.settings.base_url):
        return Response(status_code=403)
    form = await request.form(max_files=0, max_fields=2, max_part_size=128)
    proof = str(form.get("proof", ""))[:64]
    if not await run_in_threadpool(_genuine, parts, token, proof):
        return Response(status_code=403)
    await run_in_threadpool(note_opened, parts, token)
    return Response(status_code=204, headers={"cache-control": "no-store"})


routes = [Route("/i/{token}/opened", opened, methods=["POST"])]
