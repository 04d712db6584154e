"""The desktop's half of the relay smoke test: pair by code, invite, book in Chromium,
see the meeting.

Run by smoke-test.sh with the desktop's Python. The desktop's commands run in this one
process, through the same ``main(argv)`` the ``inviteonce`` entry point calls.
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stdout

from playwright.sync_api import expect, sync_playwright
from relay_pages import CHROMIUM, CHROMIUM_ARGS  # scripts/, the browser tests' launch

from inviteonce_desktop.cli import main as inviteonce_main


def run(*args: str) -> str:
    """``inviteonce ARGS``: what it printed; its error (on standard error) ends the test."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = inviteonce_main(list(args))
    if code != 0:
        raise SystemExit(f"inviteonce {' '.join(args)}: exit status {code}")
    return out.getvalue()


def inviteonce(*args: str) -> object:
    return json.loads(run(*args, "--json"))


def main(public_url: str, code: str) -> None:
    print(run("demo"), end="")
    print(run("settings", "relay", "pair", code), end="")
    member = inviteonce("members", "list")[0]["name"]  # type: ignore[index]
    created = inviteonce(
        "invite",
        "Carla Customer",
        "carla@example.org",
        "-s",
        "Relay smoke test",
        "-m",
        member,
        "--send",
        "links",
        "--promote",
        "1",
    )
    ((_, link),) = created["promoted"]  # type: ignore[index]
    assert link.startswith(public_url + "/"), link
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Caddy's internal CA is trusted by the desktop (SSL_CERT_FILE), not by this browser.
        page = browser.new_context(ignore_https_errors=True).new_page()
        page.goto(link)
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
        browser.close()
    synced = inviteonce("sync")
    assert synced["bookings"] == 1, synced  # type: ignore[index]
    (meeting,) = inviteonce("meetings")  # type: ignore[misc]
    assert meeting["status"] == "confirmed" and meeting["email"] == "carla@example.org", meeting
    print(f"Booked through {public_url}: {meeting['subject']} at {meeting['start']}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
