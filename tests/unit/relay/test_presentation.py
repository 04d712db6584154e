from __future__ import annotations

from datetime import UTC, datetime

from inviteonce_desktop.relay.offer import Slot
from inviteonce_desktop.relay.presentation import by_day, when, when_parts


def _at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def test_slots_are_grouped_by_the_customers_day() -> None:
    slots = [
        Slot(_at("2029-01-01T22:00"), _at("2029-01-01T22:30")),
        Slot(_at("2029-01-02T08:00"), _at("2029-01-02T08:30")),
    ]
    in_utc = by_day(slots, "UTC")
    in_tokyo = by_day(slots, "Asia/Tokyo")
    assert [d.label for d in in_utc] == ["Monday, 1 January 2029", "Tuesday, 2 January 2029"]
    assert [d.label for d in in_tokyo] == ["Tuesday, 2 January 2029"]
    assert [s.label for s in in_tokyo[0].slots] == ["07:00 – 07:30", "17:00 – 17:30"]


def test_when_names_the_zone_across_a_dst_change() -> None:
    text = when(_at("2029-03-25T00:30"), _at("2029-03-25T01:30"), "Europe/Paris")
    assert text == "Sunday, 25 March 2029, 01:30 – 03:30 (Europe/Paris)"


def test_when_parts_name_the_zone_with_its_offset_on_that_day() -> None:
    summer = when_parts(_at("2029-07-02T13:00"), _at("2029-07-02T13:30"), "America/New_York")
    winter = when_parts(_at("2029-01-02T14:00"), _at("2029-01-02T14:30"), "America/New_York")
    assert (summer.day, summer.times) == ("Monday, 2 July 2029", "09:00 – 09:30")
    assert summer.zone_label == "Eastern Time — New York (UTC−04:00)"
    assert (winter.times, winter.zone_label[-11:]) == ("09:00 – 09:30", "(UTC−05:00)")
    assert [s.time for s in by_day([Slot(_at("2029-07-02T13:00"), 0)], "UTC")[0].slots] == ["13:00"]
