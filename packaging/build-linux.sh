#!/usr/bin/env bash
# Builds the one-folder Linux bundle in dist/inviteonce/ and a tarball beside it, then
# smoke-tests the bundle: --version, `doctor` under the offscreen Qt platform (Qt
# plugins, keyring backends, the embedded relay with its migrations and templates),
# the demo workspace's slot count, an invitation published on the embedded relay, the
# shipped resources and templates, and the window staying up offscreen.
#
#     packaging/build-linux.sh            # uses .venv (created by `make`), adds PyInstaller
#     VENV=/path/to/venv packaging/build-linux.sh
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${VENV:-.venv}
python="$venv/bin/python"
if [ ! -x "$python" ]; then
  make "$venv/.installed"
fi
if ! "$python" -c "import PyInstaller" 2>/dev/null; then
  "$python" -m pip install --quiet "pyinstaller>=6.6"
fi

version=$("$python" -c "import inviteonce_desktop; print(inviteonce_desktop.__version__)")
bundle=dist/inviteonce
echo "Building InviteOnce $version into $bundle"

"$python" packaging/make_icons.py build/icons
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/inviteonce.spec

cp packaging/linux/inviteonce.desktop packaging/linux/install.sh packaging/linux/inviteonce-agent.service "$bundle/"
cp build/icons/inviteonce.png resources/icons/inviteonce.svg "$bundle/"
cp LICENSE "$bundle/" 2>/dev/null || true

# Smoke tests, in a throwaway workspace and an in-memory keyring (a build machine has no
# Secret Service; `doctor` run by a user checks the real one).
smoke_home=$(mktemp -d)
trap 'rm -rf "$smoke_home"' EXIT
export INVITEONCE_HOME="$smoke_home"
export QT_QPA_PLATFORM=offscreen
export PYTHON_KEYRING_BACKEND=inviteonce_desktop.services.memory_keyring.MemoryKeyring

reported=$("$bundle/inviteonce" --version)
[ "$reported" = "InviteOnce Desktop $version" ] || {
  echo "smoke test: --version said '$reported'" >&2
  exit 1
}
timeout 180 "$bundle/inviteonce" doctor
slots=$(timeout 120 "$bundle/inviteonce" --demo slots --member 1 --json \
  | "$python" -c "import json, sys; print(json.load(sys.stdin)['count'])")
[ "$slots" -gt 0 ] || {
  echo "smoke test: the demo workspace has no slots" >&2
  exit 1
}
echo "smoke test: the demo workspace offers $slots slots"
link=$(timeout 120 "$bundle/inviteonce" --demo invite "Carla Customer" carla@example.com \
  --subject "Intro call" --member 1 --send links --promote 2 --json \
  | "$python" -c "import json, sys; print(json.load(sys.stdin)['url'] or '')")
case "$link" in
  http://127.0.0.1:*/i/*) echo "smoke test: an invitation is published on the embedded relay" ;;
  *)
    echo "smoke test: the invitation was not published (link '$link')" >&2
    exit 1
    ;;
esac
for shipped in resources/icons/inviteonce.svg resources/templates/email \
  inviteonce_desktop/relay/templates/offer.html inviteonce_desktop/relay/static/relay.css \
  googleapiclient/discovery_cache/documents/calendar.v3.json; do
  [ -e "$bundle/_internal/$shipped" ] || {
    echo "smoke test: $shipped is missing from the bundle" >&2
    exit 1
  }
done
status=0
timeout 15 "$bundle/inviteonce" --demo || status=$?
if [ "$status" -ne 124 ]; then
  echo "smoke test: the app stopped with status $status instead of staying up" >&2
  exit 1
fi
echo "smoke test: the window stays up under the offscreen platform"

tarball="dist/inviteonce-$version-linux-$(uname -m).tar.gz"
tar -C dist -czf "$tarball" inviteonce
echo "Built $bundle and $tarball ($(du -sh "$bundle" | cut -f1) unpacked)"
