#!/bin/sh
# Installs this InviteOnce folder for the current user (or system-wide with PREFIX=/usr/local,
# run as root): the program, the `inviteonce` command, the menu entry and the icon.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-"$HOME/.local"}
target="$prefix/lib/inviteonce"

mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share/applications" \
  "$prefix/share/icons/hicolor/256x256/apps" "$prefix/share/icons/hicolor/scalable/apps"
if [ "$here" != "$target" ]; then
  rm -rf "$target"
  cp -a "$here" "$target"
fi
ln -sf "$target/inviteonce" "$prefix/bin/inviteonce"
sed "s|^Exec=inviteonce|Exec=$target/inviteonce|; s|^TryExec=inviteonce|TryExec=$target/inviteonce|" \
  "$here/inviteonce.desktop" >"$prefix/share/applications/inviteonce.desktop"
cp "$here/inviteonce.png" "$prefix/share/icons/hicolor/256x256/apps/inviteonce.png"
cp "$here/inviteonce.svg" "$prefix/share/icons/hicolor/scalable/apps/inviteonce.svg"
units="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
if [ -z "${PREFIX:-}" ] && [ -f "$here/inviteonce-agent.service" ]; then
  mkdir -p "$units"
  sed "s|^ExecStart=%h/.local/bin/inviteonce agent|ExecStart=$target/inviteonce agent|" \
    "$here/inviteonce-agent.service" >"$units/inviteonce-agent.service"
fi
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$prefix/share/applications" || true
echo "InviteOnce is installed in $target; start it from the menu or run: inviteonce"
echo "Check this machine with: inviteonce doctor"
[ -f "$units/inviteonce-agent.service" ] && echo "Without a desktop session, keep bookings flowing with:" \
  "systemctl --user enable --now inviteonce-agent" || true
