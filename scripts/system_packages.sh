#!/usr/bin/env bash
# The Debian packages the tests need: installed when run as root, else the one command to run.
set -euo pipefail

packages=(
  make chromium xvfb xauth wrk fonts-dejavu-core caddy postgresql postgresql-client
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 xandikos
)

# npm (for axe-core in the booking page's accessibility tests) may come with another
# Node.js installation than Debian's; Debian's is added only when there is none.
command -v npm >/dev/null || packages+=(npm)

if ! command -v dpkg-query >/dev/null; then
  echo "Not a Debian system: install these by hand if a test needs them: ${packages[*]}" >&2
  exit 0
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need system packages that are missing; install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
