"""The relay's ASGI application."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import brand_assets, customer_api, customer_pages, organizer_api
from .clock import Clock, system_clock
from .database import create_relay_engine
from .openapi import openapi_document
from .parts import RelayParts, parts_of
from .responses import problem
from .security import BodyLimit, SecurityHeaders
from .settings import RelaySettings

_STATIC = Path(__file__).with_name("static")


async def healthz(request: Request) -> Response:
    engine = parts_of(request).engine

    def ping() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await run_in_threadpool(ping)
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"}, headers={"cache-control": "no-store"})


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(parts_of(request).settings.base_url))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/i/"):
        parts = parts_of(request)
        if exc.status_code == 404:
            return customer_pages.not_found(parts)
        return parts.pages.render(
            "message.html",
            exc.status_code,
            title="Something is not right",
            message="This request could not be handled. Please open your link again.",
        )
    response = problem(exc.status_code, "http_error", str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def create_app(
    settings: RelaySettings, engine: Engine | None = None, clock: Clock = system_clock
) -> Starlette:
    """The relay for *settings*; *engine* defaults to one on ``settings.database_url``."""
    engine = engine or create_relay_engine(settings.database_url)
    parts = RelayParts.build(settings, engine, clock)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = Starlette(
        routes=[
            *organizer_api.routes,
            *customer_api.routes,
            *customer_pages.routes,
            *brand_assets.routes,
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Mount("/static", StaticFiles(directory=_STATIC), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders, https=settings.secure_cookies),
            Middleware(
                BodyLimit,
                default=settings.max_body_bytes,
                large_prefix="/api/v1/offers/",
                large=settings.max_offer_bytes,
            ),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.relay = parts
    return app


def create_app_from_environ() -> Starlette:
    """The factory uvicorn's workers call: settings from ``INVITEONCE_RELAY_*``."""
    return create_app(RelaySettings.from_environ(os.environ))
