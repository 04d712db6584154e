#!/usr/bin/env bash
# The relay as a server runs it, end to end, on this machine:
#   a fresh virtual environment with only the relay distribution, PostgreSQL,
#   four workers, Caddy in front with its internal CA (`tls internal`), the desktop
#   paired by the code `inviteonce-relay init` printed, and a customer booking a
#   promoted slot through https in Chromium until the meeting is in the calendar.
# Needs: python3, PostgreSQL at $SMOKE_POSTGRES (trust auth), Debian's caddy and
# chromium, and the desktop's virtual environment ($DESKTOP_VENV, default .venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
desktop_venv=${DESKTOP_VENV:-$repo/.venv}
postgres=${SMOKE_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}
server=${postgres%/*}
work=$(mktemp -d)
database="relay_smoke_$$"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$postgres" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$desktop_venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
relay_port=$(free_port)
https_port=$(free_port)
public_url="https://localhost:$https_port"

echo "== the relay alone, in a fresh virtual environment"
# The desktop's installer installs into it (--python): the new environment needs no
# pip of its own (ensurepip alone cost 9 s of CPU). uv, where the desktop's test
# environment has it, builds and installs the same distribution in a fifth of pip's time.
python3 -m venv --without-pip "$work/relay"
if [ -x "$desktop_venv/bin/uv" ]; then
  "$desktop_venv/bin/uv" pip install --quiet --python "$work/relay/bin/python" ./packaging/relay
else
  "$desktop_venv/bin/python" -m pip --python "$work/relay/bin/python" install --quiet \
    --disable-pip-version-check ./packaging/relay 2>/dev/null
fi
"$work/relay/bin/inviteonce-relay" trim-locale-data
if "$work/relay/bin/python" -c "import PySide6" 2>/dev/null; then
  echo "smoke test: the relay distribution pulled in PySide6" >&2; exit 1
fi

echo "== a database, and inviteonce-relay init"
psql -q "$postgres" -c "CREATE DATABASE $database"
"$work/relay/bin/inviteonce-relay" init --public-url "$public_url" \
  --database-url "postgresql+psycopg://${server#postgresql://}/$database" \
  --workers 4 --port "$relay_port" --config-dir "$work/etc" \
  --systemd-dir "$work/systemd" --caddyfile "$work/caddy/Caddyfile" --tls-internal \
  | tee "$work/init.out"
code=$(tail -n 1 "$work/init.out")

echo "== the relay's four workers, as the systemd unit starts them"
exec_start=$(sed -n 's/^ExecStart=//p' "$work/systemd/inviteonce-relay.service")
(set -a; . "$work/etc/relay.env"; set +a; exec $exec_start) &
pids+=($!)

echo "== Caddy in front, with its internal certificate authority"
cat >"$work/caddy/main.caddy" <<CADDY
{
	admin off
	auto_https disable_redirects
	skip_install_trust
	storage file_system $work/caddy-data
}
import Caddyfile
CADDY
(cd "$work/caddy" && exec caddy run --adapter caddyfile --config main.caddy) >"$work/caddy.log" 2>&1 &
pids+=($!)
root="$work/caddy-data/pki/authorities/local/root.crt"
for _ in $(seq 1 300); do
  [ -f "$root" ] && curl -fsS --cacert "$root" "$public_url/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS --cacert "$root" "$public_url/healthz"; echo

echo "== the desktop, paired by code, books through https in Chromium"
export INVITEONCE_HOME="$work/desktop" SSL_CERT_FILE="$root"
export PYTHONPATH="$repo/tests/integration/loop:$repo/scripts" PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring
export INVITEONCE_TEST_KEYRING_FILE="$work/keyring.json"
# `inviteonce demo`, `inviteonce settings relay pair "$code"`, an invitation and its
# booking: the desktop's commands in one process (each `inviteonce` process costs a
# second of CPU in imports before it does anything).
"$desktop_venv/bin/python" packaging/relay/smoke_booking.py "$public_url" "$code"
echo "smoke test: passed"
