"""The relay's ASGI application."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from inviteonce_desktop.core.relay_contract import Health

from . import (
    brand_assets,
    customer_api,
    customer_pages,
    manage_pages,
    opened,
    organizer_api,
    organizer_moves,
    recheck_pages,
)
from .clock import Clock, system_clock
from .database import connection_budget, create_relay_engine, pool_size_per_worker
from .languages import N_
from .openapi import openapi_document
from .parts import RelayParts, parts_of
from .responses import contract_json, no_store, problem
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
        return no_store(contract_json(Health(status="unavailable"), 503))
    return no_store(contract_json(Health(status="ok")))


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(parts_of(request).settings.base_url))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith(("/i/", "/m/")):
        if exc.status_code == 404:
            return customer_pages.not_found(request)
        return customer_pages.message(
            request,
            exc.status_code,
            N_("Something is not right"),
            N_("This request could not be handled. Please open your link again."),
        )
    response = problem(exc.status_code, "http_error", str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


RETRY_AFTER_SECONDS = 2


async def database_busy(request: Request, _exc: Exception) -> Response:
    """The database is saturated or unreachable: 503 with Retry-After, never a 500."""
    headers = {"retry-after": str(RETRY_AFTER_SECONDS), "cache-control": "no-store"}
    response: Response
    if request.url.path.startswith(("/i/", "/m/")):
        response = customer_pages.message(
            request,
            503,
            N_("Please try again in a moment"),
            N_("Many people are booking right now. Please reload this page in a moment."),
        )
    else:
        response = problem(503, "busy", "The relay is busy; try again in a moment.")
    response.headers.update(headers)
    return response


async def favicon(_request: Request) -> Response:
    return Response(
        _FAVICON, media_type="image/svg+xml", headers={"cache-control": "max-age=86400"}
    )


_FAVICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    b'<rect width="16" height="16" rx="3" fill="#2f6fdf"/>'
    b'<path d="M4 8.5l2.5 2.5L12 5.5" stroke="#fff" stroke-width="2" fill="none"/></svg>'
)


def engine_for(settings: RelaySettings) -> Engine:
    """This worker's engine, its pool its share of the host's connection budget."""
    if not settings.database_url.startswith("postgresql"):
        return create_relay_engine(settings.database_url, wait=settings.database_wait_seconds)
    budget = settings.database_connections
    if budget <= 0:
        probe = create_relay_engine(settings.database_url, pool_size=1)
        try:
            budget = connection_budget(probe, settings.hosts)
        finally:
            probe.dispose()
    return create_relay_engine(
        settings.database_url,
        pool_size=pool_size_per_worker(budget, settings.workers),
        wait=settings.database_wait_seconds,
    )


PURGE_INTERVAL_SECONDS = 3600.0


async def _purge_regularly(parts: RelayParts) -> None:
    """Purges the content of long-finished offers now and then, every hour."""
    retention = parts.settings.retention_days * 86400
    while True:
        try:
            await run_in_threadpool(parts.offers.purge, retention)
            await run_in_threadpool(parts.rechecks.purge, retention)
        except SQLAlchemyError:
            pass  # The database is busy or away; the next round tries again.
        await asyncio.sleep(PURGE_INTERVAL_SECONDS)


def create_app(
    settings: RelaySettings, engine: Engine | None = None, clock: Clock = system_clock
) -> Starlette:
    """The relay for *settings*; *engine* defaults to one on ``settings.database_url``."""
    engine = engine or engine_for(settings)
    parts = RelayParts.build(settings, engine, clock)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        purging = asyncio.create_task(_purge_regularly(parts))
        sending = None if parts.receipts is None else asyncio.create_task(parts.receipts.run())
        yield
        purging.cancel()
        if sending is not None:
            sending.cancel()
        parts.changes.close()
        engine.dispose()

    app = Starlette(
        routes=[
            *organizer_api.routes,
            *organizer_moves.routes,
            *customer_api.routes,
            *customer_pages.routes,
            *opened.routes,
            *manage_pages.routes,
            *recheck_pages.routes,
            *brand_assets.routes,
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Route("/favicon.ico", favicon, methods=["GET"]),
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
        exception_handlers={
            HTTPException: http_error,
            PoolTimeout: database_busy,
            OperationalError: database_busy,
            InterfaceError: database_busy,
        },
        lifespan=lifespan,
    )
    app.state.relay = parts
    return app


def create_app_from_environ() -> Starlette:
    """The factory uvicorn's workers call: settings from ``INVITEONCE_RELAY_*``."""
    return create_app(RelaySettings.from_environ(os.environ))
