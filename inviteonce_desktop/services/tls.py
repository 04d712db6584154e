"""The TLS verification the services' HTTP clients share."""

from __future__ import annotations

import functools
import ssl


@functools.cache
def http_tls_context() -> ssl.SSLContext:
    """httpx's default verification (certifi's bundle, or the one ``SSL_CERT_FILE`` or
    ``SSL_CERT_DIR`` names), built once per process: loading a CA bundle costs tens of
    milliseconds of CPU, and a client is made per account and per outbox job."""
    import httpx

    return httpx.create_ssl_context()
