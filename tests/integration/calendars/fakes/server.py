"""Run a Starlette app with uvicorn in a background thread on 127.0.0.1."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from .radicale import free_port
from .tls import LoopbackCertificate


class Latency:
    """ASGI middleware that holds every HTTP request back by a fixed delay."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.seconds > 0:
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)


@contextmanager
def serve(
    app: ASGIApp, latency_ms: float = 0.0, tls: LoopbackCertificate | None = None
) -> Iterator[str]:
    """Serve *app* on a free port until the block ends; yields the base URL."""
    port = free_port()
    wrapped = Latency(app, latency_ms / 1000) if latency_ms else app
    config = uvicorn.Config(
        wrapped,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        timeout_keep_alive=30,
        backlog=512,
        timeout_graceful_shutdown=2,
        ssl_certfile=str(tls.cert_file) if tls else None,
        ssl_keyfile=str(tls.key_file) if tls else None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"fake-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("The fake server did not start.")
        time.sleep(0.01)
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class _Switch:
    """Passes each request to the app of the moment (a 503 between tests)."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.app
        if app is None:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)


_shared: dict[str, tuple[_Switch, str, AbstractContextManager[str]]] = {}
_shared_lock = threading.Lock()


@contextmanager
def shared_serve(name: str, app: ASGIApp, tls: LoopbackCertificate | None = None) -> Iterator[str]:
    """Serve *app* for the block from a server this process keeps for every block of *name*.

    Each test still gets a fake of its own; only the uvicorn server under it is shared,
    since starting and stopping one takes a fifth of a second (its shutdown sleeps).
    The server's thread is a daemon: it ends with the process.
    """
    key = f"{name}:{tls.cert_file if tls else ''}"
    with _shared_lock:
        if key not in _shared:
            switch = _Switch()
            serving = serve(switch, tls=tls)
            url = serving.__enter__()  # left open (and referenced) for the rest of the process
            _shared[key] = (switch, url, serving)
        switch, url, _ = _shared[key]
        assert switch.app is None, f"the shared {name} server is serving another block"
        switch.app = app
    try:
        yield url
    finally:
        switch.app = None
