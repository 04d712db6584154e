"""Booking relay throughput on loopback, next to a bare Starlette endpoint.

Starts ``inviteonce-relay serve`` (one worker, SQLite) and a bare Starlette app
that returns a page of the same size under the same uvicorn settings, drives
both with wrk (Debian's ``wrk``), then books distinct invitations with 50
concurrent clients and checks the database for double bookings. Then, on
PostgreSQL (``INVITEONCE_BENCH_POSTGRES_URL``, else
``INVITEONCE_TEST_POSTGRES_URL``) with four workers: 200-way races on one
slot (``false_taken``: losers told "taken" although the invitation was booked),
a 200-request burst (``burst_5xx``) and cancels watched by fresh connections
(``stale_after_cancel_ms``: p95 from the cancel's answer until every worker's
page answers 410). Last, a second relay process on the same database (host B):
``cross_host_visible_ms`` is the p95 from a booking's answer on host A until
host B's page of another offer sharing the booked resource no longer shows the
slot. Prints one JSON object: page_rps, bare_rps, page_ratio, page_p99_ms,
bare_p99_ms, page_bytes, bookings_per_s, double_bookings, false_taken,
burst_5xx, stale_after_cancel_ms, cross_host_visible_ms.

Targets: page_ratio >= 0.3, page_p99_ms <= 20, bookings_per_s >= 500,
double_bookings 0, false_taken 0, burst_5xx 0, stale_after_cancel_ms <= 500,
cross_host_visible_ms <= 500.
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
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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


RACES = 3
CANCELS = 10
WORKER_GETS = 8


def _serve(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    # Two relay hosts share the database (see cross_host_visible_ms): each takes half.
    env = {
        **os.environ,
        "INVITEONCE_RELAY_BOOKINGS_PER_MINUTE": "0",
        "INVITEONCE_RELAY_HOSTS": "2",
    }
    command = [sys.executable, "-m", "inviteonce_desktop.relay.cli", "serve"]
    command += ["--database-url", database_url, "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=env)


def _body(start: datetime, key: str, name: str) -> dict[str, object]:
    iso = "%Y-%m-%dT%H:%M:%SZ"
    spare = start + timedelta(days=1)
    return {
        "subject": name,
        "duration_minutes": 30,
        "organizer_name": "Bench",
        "meeting_type": "phone",
        "time_zone": "UTC",
        "expires_at": (start + timedelta(days=30)).strftime(iso),
        "slots": [
            {
                "start": s.strftime(iso),
                "end": (s + timedelta(minutes=30)).strftime(iso),
                "resources": [key],
            }
            for s in (start, spare)
        ],
    }


async def _postgres_rounds(base_url: str, key: str) -> dict[str, float]:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=4)
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as client:

        async def publish(name: str, resource: str, when: datetime) -> str:
            response = await client.put(
                f"/api/v1/offers/{name}", json=_body(when, resource, name), headers=headers
            )
            response.raise_for_status()
            token: str = response.json()["token"]
            return token

        false_taken = 0
        for race in range(RACES):
            token = await publish(f"race-{race}", f"race-{race}", start)
            answers = await asyncio.gather(
                *(
                    client.post(
                        f"/api/v1/i/{token}/book",
                        json={"start": start.strftime("%Y-%m-%dT%H:%M:%SZ")},
                    )
                    for _ in range(200)
                )
            )
            false_taken += sum(
                1 for a in answers if a.status_code == 409 and a.json()["error"] == "slot_taken"
            )
        tokens = [await publish(f"burst-{n}", f"burst-{n % 5}", start) for n in range(20)]
        slot = start.strftime("%Y%m%dT%H%M%SZ")
        burst = await asyncio.gather(
            *(
                client.get(f"/i/{tokens[n % 20]}")
                if n % 2
                else client.post(f"/api/v1/i/{tokens[n % 20]}/book", json={"slot_id": slot})
                for n in range(200)
            )
        )
        burst_5xx = sum(1 for r in burst if r.status_code >= 500)
    stale: list[float] = []
    for n in range(CANCELS):
        token = await _publish_sync(base_url, headers, f"cancel-{n}", start)
        for _ in range(WORKER_GETS):
            httpx.get(f"{base_url}/i/{token}", headers={"connection": "close"})
        httpx.delete(f"{base_url}/api/v1/offers/cancel-{n}", headers=headers).raise_for_status()
        cancelled = time.monotonic()
        while True:
            probe = time.monotonic()
            fresh = [
                httpx.get(f"{base_url}/i/{token}", headers={"connection": "close"}).status_code
                for _ in range(WORKER_GETS)
            ]
            if all(status == 410 for status in fresh):
                stale.append((probe - cancelled) * 1000)
                break
    stale.sort()
    return {
        "false_taken": false_taken,
        "burst_5xx": burst_5xx,
        "stale_after_cancel_ms": round(stale[max(0, int(len(stale) * 0.95) - 1)], 2),
    }


CROSS_HOST_TRIALS = 20


def _cross_host_visible_ms(host_a: str, host_b: str, headers: dict[str, str]) -> float:
    """p95 from a booking's answer on host A until host B's page of another offer
    sharing the booked resource no longer shows the slot (both pages warm first)."""
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=9)
    slot = f"/slot/{start.strftime('%Y%m%dT%H%M%SZ')}"
    waits: list[float] = []
    with httpx.Client(timeout=30) as client:
        for n in range(CROSS_HOST_TRIALS):
            resource = f"cross-{n}"
            tokens = []
            for name in (f"cross-a-{n}", f"cross-b-{n}"):
                response = client.put(
                    f"{host_a}/api/v1/offers/{name}",
                    json=_body(start, resource, name),
                    headers=headers,
                )
                response.raise_for_status()
                tokens.append(response.json()["token"])
            booked, watched = tokens
            page = f"{host_b}/i/{watched}"
            for _ in range(3):
                assert slot in client.get(page).text
            client.post(
                f"{host_a}/api/v1/i/{booked}/book",
                json={"start": start.strftime("%Y-%m-%dT%H:%M:%SZ")},
            ).raise_for_status()
            answered = time.monotonic()
            # A page that never catches up counts as the whole 10 s.
            while slot in client.get(page).text and time.monotonic() - answered < 10:
                pass
            waits.append((time.monotonic() - answered) * 1000)
    waits.sort()
    return round(waits[max(0, int(len(waits) * 0.95) - 1)], 2)


async def _publish_sync(base_url: str, headers: dict[str, str], name: str, when: datetime) -> str:
    response = httpx.put(
        f"{base_url}/api/v1/offers/{name}", json=_body(when, name, name), headers=headers
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


def _postgres_figures() -> dict[str, float]:
    url = os.environ.get("INVITEONCE_BENCH_POSTGRES_URL") or os.environ.get(
        "INVITEONCE_TEST_POSTGRES_URL"
    )
    if not url:
        raise SystemExit("Set INVITEONCE_BENCH_POSTGRES_URL to a PostgreSQL URL.")
    schema = f"relay_bench_{os.getpid()}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    database_url = scoped.render_as_string(hide_password=False)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        engine = create_relay_engine(database_url, pool_size=1)
        migrate(engine)
        key = OrganizerDirectory(engine).add("Bench")
        engine.dispose()
        port = _free_port()
        servers.append(_serve(database_url, port, 4))
        base_url = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base_url}/healthz", servers[0])
        figures = asyncio.run(_postgres_rounds(base_url, key))
        # A second relay process on the same database: host B behind the same balancer.
        other_port = _free_port()
        servers.append(_serve(database_url, other_port, 1))
        other_url = f"http://127.0.0.1:{other_port}"
        _wait_ready(f"{other_url}/healthz", servers[1])
        headers = {"Authorization": f"Bearer {key}"}
        figures["cross_host_visible_ms"] = _cross_host_visible_ms(base_url, other_url, headers)
        return figures
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
        **_postgres_figures(),
    }
    shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
