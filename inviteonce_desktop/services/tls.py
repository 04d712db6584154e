"""The TLS verification the services' clients share, each built once per process."""

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


@functools.cache
def mail_tls_context() -> ssl.SSLContext:
    """The system's default verification for mail servers, built once: loading the CA
    bundle costs tens of milliseconds, and every email opens a connection of its own."""
    return ssl.create_default_context()
