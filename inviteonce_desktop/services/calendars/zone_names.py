"""Windows time zone names, as Microsoft Graph and Exchange take them.

Graph's ``dateTimeTimeZone`` accepts the Windows names and only a few IANA
names; the mapping between the two is CLDR's windowsZones, as tzlocal ships it.
"""

from __future__ import annotations

from tzlocal.windows_tz import tz_win, win_tz


def windows_zone(iana_name: str) -> str | None:
    """The Windows name of the IANA zone *iana_name* (None when CLDR has none)."""
    if iana_name in ("UTC", "Etc/UTC", "Etc/GMT"):
        return "UTC"
    return tz_win.get(iana_name)


def iana_zone(name: str) -> str:
    """The IANA name for a zone name Graph answered with (a Windows or an IANA name)."""
    return win_tz.get(name, name)
