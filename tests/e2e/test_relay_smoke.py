"""packaging/relay/smoke-test.sh: the relay alone, PostgreSQL, four workers, Caddy, https."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.browser]

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "relay" / "smoke-test.sh"


@pytest.mark.timeout(1200)
def test_a_customer_books_through_caddy_on_a_relay_installed_alone(postgres_url: str) -> None:
    url = make_url(postgres_url).set(drivername="postgresql")
    env = {
        **os.environ,
        "DESKTOP_VENV": sys.prefix,
        "SMOKE_POSTGRES": url.render_as_string(hide_password=False),
    }
    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=1100
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "smoke test: passed"
    assert any(line.startswith("Booked through https://localhost:") for line in lines)
    assert "Paired: links are served by the relay at https://localhost:" in done.stdout
