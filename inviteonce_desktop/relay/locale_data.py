"""Babel's CLDR data for the relay's languages only.

Babel ships the data of every locale CLDR knows (about 35 MiB, over a thousand
files); the relay reads those of its four languages and the locales they
inherit from. ``inviteonce-relay trim-locale-data``, run once after installing
(the Containerfile and the install steps in docs/relay.md do), removes the
rest. A later upgrade of Babel brings all of them back, and the command can
run again; a relay with the full data works the same.
"""

from __future__ import annotations

from pathlib import Path

import babel

from inviteonce_desktop.core.errors import DomainError
from inviteonce_desktop.core.languages import locale_data_needed


def babel_locale_data() -> Path:
    return Path(babel.__file__).with_name("locale-data")


def trim(folder: Path) -> tuple[int, int]:
    """Removes from *folder* every locale file the relay's languages do not read;
    the number of files and of bytes removed."""
    needed = locale_data_needed()
    missing = [name for name in needed if not (folder / f"{name}.dat").is_file()]
    if missing:
        raise DomainError(
            f"Babel's locale data lacks {', '.join(sorted(missing))}; reinstall Babel."
        )
    files = removed = 0
    for path in folder.glob("*.dat"):
        if path.stem not in needed:
            removed += path.stat().st_size
            path.unlink()
            files += 1
    return files, removed
