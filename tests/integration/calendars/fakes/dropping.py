"""A proxy that lets a request through and then drops the connection before the answer.

The server behind it has done the work (the event exists); the client sees
its connection closed with no response: an unknown outcome, as after a
network cut or a timeout on the way back.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass
class DropRule:
    """Drop the answers to the next *times* requests of *method* whose body or path has *marker*."""

    method: str
    marker: str
    times: int = 1
    dropped: int = field(default=0)


class DroppingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(target)
        self.target_host = parts.hostname or "127.0.0.1"
        self.target_port = parts.port or 80
        self.rules: list[DropRule] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def drop(self, method: str, marker: str, times: int = 1) -> DropRule:
        rule = DropRule(method, marker, times)
        self.rules.append(rule)
        return rule

    def should_drop(self, method: str, path: str, body: bytes) -> bool:
        with self.lock:
            for rule in self.rules:
                hit = rule.marker in path or rule.marker.encode() in body
                if rule.method == method and hit and rule.dropped < rule.times:
                    rule.dropped += 1
                    return True
        return False


class _Handler(BaseHTTPRequestHandler):
    server: DroppingProxy
    protocol_version = "HTTP/1.1"

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        upstream = http.client.HTTPConnection(
            self.server.target_host, self.server.target_port, timeout=30
        )
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            upstream.request(self.command, self.path, body or None, headers)
            response = upstream.getresponse()
            data = response.read()
        finally:
            upstream.close()
        if self.server.should_drop(self.command, self.path, body):
            self.close_connection = True
            return
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


@contextmanager
def dropping_proxy(target: str) -> Iterator[DroppingProxy]:
    proxy = DroppingProxy(target)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(timeout=5)
