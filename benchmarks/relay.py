"""Booking relay throughput on loopback, next to a bare Starlette endpoint.

Starts ``inviteonce-relay serve`` (one worker, SQLite) and a bare Starlette app
that returns a page of the same size under the same uvicorn settings, drives
both with wrk (Debian's ``wrk``), then books distinct invitations with 50
concurrent clients and checks the database for double bookings. Prints one
JSON object: page_rps, bare_rps, page_ratio, page_p99_ms, bookings_per_s,
double_bookings.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.offer import Offer, Slot
from inviteonce_desktop.relay.offer_store import OfferStore
from inviteonce_desktop.relay.organizers import OrganizerDirectory

DURATION = 5
PAGE_CONNECTIONS = 32
BOOKING_CONNECTIONS = 50
BOOKING_OFFERS = 12_000

BARE_SERVER = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
body = "x" * int(sys.argv[2])
async def page(request):
    return HTMLResponse(body)
app = Starlette(routes=[Route("/page", page)])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            access_log=False, server_header=False, proxy_headers=True)
"""

BOOKING_SCRIPT = """
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  tokens = {}
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  step = tonumber(args[2])
  index = tid
  booked = 0
  body = '{"slot_id": "' .. args[3] .. '", "time_zone": "UTC"}'
end
function request()
  local token = tokens[(index % #tokens) + 1]
  index = index + step
  return wrk.format("POST", "/api/v1/i/" .. token .. "/book",
                    {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 201 then booked = booked + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("booked") end
  io.write("BOOKED " .. total .. "\\n")
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server for {url} exited.")
        try:
            if httpx.get(url).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"The server for {url} did not start.")


def _seconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def _wrk(url: str, connections: int, script: Path | None = None, *args: str) -> str:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{DURATION}s", "--latency"]
    if script is not None:
        command += ["-s", str(script), url, "--", *args]
    else:
        command.append(url)
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _rps(output: str) -> float:
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]


def _p99_ms(output: str) -> float:
    return _seconds(re.search(r"99%\s+(\S+)", output).group(1)) * 1000  # type: ignore[union-attr]


def _offer(start: datetime, slots: int, resource: str) -> Offer:
    seconds = int(start.timestamp())
    return Offer(
        subject="Kitchen planning",
        duration_minutes=30,
        organizer_name="Ann Organizer",
        meeting_type=MeetingType.IN_PERSON,
        location="Showroom, 1 Main Street",
        time_zone="Europe/Paris",
        time_zone_conversion=TimeZoneConversion.CUSTOMER,
        fixed_time_zone=None,
        expires_at=seconds + 60 * 86400,
        slots=tuple(
            Slot(seconds + n * 3600, seconds + n * 3600 + 1800, (resource,)) for n in range(slots)
        ),
    )


def _prepare(database: Path) -> tuple[str, str, list[str], list[str]]:
    engine = create_relay_engine(f"sqlite:///{database}")
    migrate(engine)
    key = OrganizerDirectory(engine).add("Bench")
    organizer_id = OrganizerDirectory(engine).authenticate(key)
    assert organizer_id is not None
    store = OfferStore(engine)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    page_token = store.publish(organizer_id, key, "page", _offer(start, 40, "ann")).token
    tokens = [
        store.publish(organizer_id, key, f"book-{n}", _offer(start, 1, f"member-{n}")).token
        for n in range(BOOKING_OFFERS)
    ]
    contested = [
        store.publish(
            organizer_id,
            key,
            f"contest-{n}",
            _offer(start + timedelta(minutes=n), 1, "shared"),
        ).token
        for n in range(10)
    ]
    engine.dispose()
    slot_id = start.strftime("%Y%m%dT%H%M%SZ")
    return page_token, slot_id, tokens, contested


async def _contest(base_url: str, tokens: list[str], slot_start: datetime) -> int:
    """200 simultaneous bookings of overlapping slots sharing one key: excess successes."""
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        calls = [
            client.post(
                f"/api/v1/i/{tokens[n % 10]}/book",
                json={
                    "start": (slot_start + timedelta(minutes=n % 10)).strftime("%Y-%m-%dT%H:%M:%SZ")
                },
            )
            for n in range(200)
        ]
        statuses = [r.status_code for r in await asyncio.gather(*calls)]
    return max(0, statuses.count(201) - 1)


def _double_bookings_in(database: Path) -> int:
    engine = create_relay_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        overlapping = connection.execute(
            text(
                "SELECT COUNT(*) FROM booking_resources a JOIN booking_resources b "
                "ON a.resource_key = b.resource_key AND a.booking_id < b.booking_id "
                "AND a.start_at < b.end_at AND b.start_at < a.end_at"
            )
        ).scalar_one()
        per_offer = connection.execute(
            text(
                "SELECT COUNT(*) FROM (SELECT offer_id FROM bookings WHERE cancelled_at IS NULL "
                "GROUP BY offer_id HAVING COUNT(*) > 1) AS twice"
            )
        ).scalar_one()
    engine.dispose()
    return int(overlapping) + int(per_offer)


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk (apt-get install wrk).")
    workdir = Path(tempfile.mkdtemp(prefix="relay-bench-"))
    database = workdir / "relay.sqlite3"
    page_token, slot_id, tokens, contested = _prepare(database)
    relay_port, bare_port = _free_port(), _free_port()
    env = {**os.environ, "INVITEONCE_RELAY_BOOKINGS_PER_MINUTE": "0"}
    relay = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inviteonce_desktop.relay.cli",
            "serve",
            "--database-url",
            f"sqlite:///{database}",
            "--port",
            str(relay_port),
            "--workers",
            "1",
        ],
        env=env,
    )
    base_url = f"http://127.0.0.1:{relay_port}"
    page_url = f"{base_url}/i/{page_token}?tz=America/New_York"
    bare = None
    try:
        _wait_ready(f"{base_url}/healthz", relay)
        size = len(httpx.get(page_url).content)
        bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(bare_port), str(size)])
        bare_url = f"http://127.0.0.1:{bare_port}/page"
        _wait_ready(bare_url, bare)
        page_out = _wrk(page_url, PAGE_CONNECTIONS)
        bare_out = _wrk(bare_url, PAGE_CONNECTIONS)
        token_file = workdir / "tokens.txt"
        token_file.write_text("\n".join(tokens) + "\n")
        script = workdir / "book.lua"
        script.write_text(BOOKING_SCRIPT)
        booking_out = _wrk(
            f"{base_url}/", BOOKING_CONNECTIONS, script, str(token_file), "2", slot_id
        )
        booked = int(re.search(r"BOOKED (\d+)", booking_out).group(1))  # type: ignore[union-attr]
        slot_start = datetime.strptime(slot_id, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        excess = asyncio.run(_contest(base_url, contested, slot_start))
    finally:
        for process in (relay, bare):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    page_rps, bare_rps = _rps(page_out), _rps(bare_out)
    result = {
        "page_rps": round(page_rps, 1),
        "bare_rps": round(bare_rps, 1),
        "page_ratio": round(page_rps / bare_rps, 3),
        "page_p99_ms": round(_p99_ms(page_out), 2),
        "bare_p99_ms": round(_p99_ms(bare_out), 2),
        "page_bytes": size,
        "bookings_per_s": round(booked / DURATION, 1),
        "double_bookings": excess + _double_bookings_in(database),
    }
    shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
