"""The loopback redirect of an OAuth installed-app sign-in.

A tiny HTTP server on 127.0.0.1 and a free port waits for the browser to come
back with ``?code=...&state=...`` (or ``?error=...``; as a query or, with
``response_mode=form_post``, as a posted form), answers with a short
page, and hands the query to the flow. It blocks; run it in a worker thread.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

_PAGE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>InviteOnce Desktop</title></head>"
    b"<body><p>The calendar is connected. You can close this window.</p></body></html>"
)


class SignInCancelled(Exception):
    """The browser sign-in was refused, abandoned or timed out."""


class _Handler(BaseHTTPRequestHandler):
    server: _RedirectServer

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        self._answer(dict(parse_qsl(urlsplit(self.path).query)))

    def do_POST(self) -> None:  # noqa: N802 - response_mode=form_post
        length = min(int(self.headers.get("Content-Length", "0") or 0), 65536)
        self._answer(dict(parse_qsl(self.rfile.read(length).decode("ascii", "replace"))))

    def _answer(self, query: dict[str, str]) -> None:
        if "code" not in query and "error" not in query:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_PAGE)))
        self.end_headers()
        self.wfile.write(_PAGE)
        self.server.answer = (self.path, query)
        self.server.arrived.set()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Requests carry authorization codes: nothing is logged."""


class _RedirectServer(HTTPServer):
    answer: tuple[str, dict[str, str]] | None = None

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.arrived = threading.Event()
        self.timeout = 0.2


class LoopbackRedirect:
    """One redirect, received on 127.0.0.1; use as a context manager."""

    def __init__(self, host_name: str = "127.0.0.1", path: str = "/") -> None:
        self._server = _RedirectServer()
        self._host_name = host_name
        self._path = path

    @property
    def redirect_uri(self) -> str:
        return f"http://{self._host_name}:{self._server.server_port}{self._path}"

    def wait(self, timeout: float) -> tuple[str, dict[str, str]]:
        """The redirect's path and query; :class:`SignInCancelled` on timeout or error."""
        deadline = time.monotonic() + timeout
        while not self._server.arrived.is_set():
            if time.monotonic() > deadline:
                raise SignInCancelled("The sign-in in the browser was not completed in time.")
            self._server.handle_request()
        assert self._server.answer is not None
        path, query = self._server.answer
        if "error" in query:
            raise SignInCancelled("The sign-in was refused in the browser.")
        return path, query

    def close(self) -> None:
        self._server.server_close()

    def __enter__(self) -> LoopbackRedirect:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
