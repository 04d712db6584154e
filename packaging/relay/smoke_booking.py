"""The customer's half of the relay smoke test: invite, book in Chromium, see the meeting.

Run by smoke-test.sh with the desktop's Python, on a workspace paired with the relay.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INVITEONCE = str(Path(sys.executable).with_name("inviteonce"))


def inviteonce(*args: str) -> object:
    done = subprocess.run([INVITEONCE, *args, "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"inviteonce {' '.join(args)}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def main(public_url: str) -> None:
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
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
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
    main(sys.argv[1])
