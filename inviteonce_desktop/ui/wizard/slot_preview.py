"""Behind the slot count: the next days that have slots, with how many each, and the first times."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ...application.errors import user_message
from ...application.facade import InviteOnce
from ...application.schedules import SlotRequest
from ...core.availability import Slot as TimeSlot
from ...core.timezones import zone
from ..qt import QLabel, asyncSlot

DAYS_SHOWN = 7
FIRST_TIMES = 4


def preview_text(slots: list[TimeSlot], zone_name: str) -> str:
    """ "Tue 2 Dec 12 · Wed 3 Dec 14 …", then "First: Tue 2 Dec 09:00, 09:30 …"."""
    if not slots:
        return ""
    tz = zone(zone_name)
    per_day = Counter(slot.start.astimezone(tz).date() for slot in slots)
    days = sorted(per_day)[:DAYS_SHOWN]
    shown = "  ·  ".join(f"{day:%a} {day.day} {day:%b}: {per_day[day]}" for day in days)
    more = len(per_day) - len(days)
    if more > 0:
        shown += f"  ·  {more} more day{'s' if more != 1 else ''}"
    first = [slot.start.astimezone(tz) for slot in slots[:FIRST_TIMES]]
    head = f"{first[0]:%a} {first[0].day} {first[0]:%b}"
    times = ", ".join(f"{start:%H:%M}" for start in first if start.date() == first[0].date())
    return f"{shown}\nFirst times: {head}, {times}"


class SlotPreview(QLabel):
    def __init__(self, app: InviteOnce, request: Callable[[], SlotRequest]) -> None:
        super().__init__()
        self._app = app
        self._request = request
        self._generation = 0
        self.setObjectName("hint")
        self.setWordWrap(True)
        self.setAccessibleName("Slots per day")

    def clear(self) -> None:
        self._generation += 1
        self.setText("")

    @asyncSlot()
    async def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        try:
            request = self._request()
            slots = await self._app.list_slots(request)
        except Exception as error:
            if user_message(error) is None:
                raise
            slots = []
            request = None
        if generation == self._generation:
            zone_name = request.time_frame.time_zone if request is not None else "UTC"
            self.setText(preview_text(slots, zone_name))
