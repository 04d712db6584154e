"""Debian's Xandikos behind HTTP basic authentication, served by wsgiref on 127.0.0.1.

Run by the system Python (where the ``xandikos`` package lives) as
``python3 xandikos_wsgi.py FOLDER PORT USER PASSWORD``. Xandikos serves one
principal, ``/USER/``, and leaves authentication to its front end: here a small
WSGI wrapper that answers 401 to a missing or wrong password.
"""

import base64
import io
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from xandikos.web import XandikosApp, XandikosBackend


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main(folder, port, user, password):
    backend = XandikosBackend(path=folder)
    principal = f"/{user}/"
    if not backend.get_resource(principal):
        backend.create_principal(principal, create_defaults=True)
    backend._mark_as_principal(principal)
    dav = XandikosApp(backend, principal)
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def app(environ, start_response):
        if environ.get("HTTP_AUTHORIZATION") != expected:
            start_response(
                "401 Unauthorized",
                [("WWW-Authenticate", 'Basic realm="xandikos"'), ("Content-Length", "0")],
            )
            return [b""]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length))
        return dav(environ, start_response)

    server = make_server("127.0.0.1", int(port), app, _Threaded, _Quiet)
    print("listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:5])
