"""Stand-ins for the user's browser during OAuth sign-ins against the fakes."""

from __future__ import annotations

import html
import re
import ssl
import threading
from collections.abc import Callable

import httpx

from inviteonce_desktop.services.tls import http_tls_context


def consenting_browser(opened: list[str], ca_file: str | None = None) -> Callable[[str], bool]:
    """Opens an authorization URL like a browser whose user signs in and consents.

    Redirects are followed; a ``form_post`` answer page is submitted as its
    script would. Runs in a thread, as a real browser does not block the caller.
    """
    verify = ssl.create_default_context(cafile=ca_file) if ca_file else http_tls_context()

    def visit(url: str) -> None:
        page = httpx.get(url, verify=verify, follow_redirects=True)
        action = re.search(r'action="([^"]+)"', page.text)
        if action is not None:
            fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text))
            httpx.post(
                html.unescape(action.group(1)),
                data={k: html.unescape(v) for k, v in fields.items()},
                verify=verify,
            )

    def open_url(url: str) -> bool:
        opened.append(url)
        threading.Thread(target=visit, args=(url,), daemon=True).start()
        return True

    return open_url
