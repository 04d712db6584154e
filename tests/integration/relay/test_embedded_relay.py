"""The embedded relay from plain code and from an asyncio event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from inviteonce_desktop.relay.embedded import EmbeddedRelay

from .servers import async_http_client


def test_start_on_a_free_port_and_stop(tmp_path: Path) -> None:
    relay = EmbeddedRelay(f"sqlite:///{tmp_path / 'relay.sqlite3'}")
    relay.start()
    assert relay.running and not relay.base_url.endswith(":0")
    assert httpx.get(f"{relay.base_url}/healthz").json() == {"status": "ok"}
    relay.stop()
    assert not relay.running


def test_usable_from_asyncio(tmp_path: Path) -> None:
    relay = EmbeddedRelay(f"sqlite:///{tmp_path / 'relay.sqlite3'}")

    async def scenario() -> int:
        await asyncio.to_thread(relay.start)
        key = await asyncio.to_thread(relay.create_organizer, "Desk")
        async with async_http_client(relay.base_url) as client:
            response = await client.get(
                "/api/v1/bookings", headers={"Authorization": f"Bearer {key}"}
            )
        await asyncio.to_thread(relay.stop)
        return response.status_code

    assert asyncio.run(scenario()) == 200
