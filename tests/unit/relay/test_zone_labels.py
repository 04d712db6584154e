from __future__ import annotations

from datetime import UTC, datetime

from inviteonce_desktop.relay.zone_labels import offset_text, place, zone_choices, zone_label

WINTER = datetime(2029, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2029, 7, 15, 12, tzinfo=UTC)


def test_labels_read_as_names_with_the_offset_of_the_day() -> None:
    assert zone_label("America/New_York", WINTER) == "Eastern Time — New York (UTC−05:00)"
    assert zone_label("America/New_York", SUMMER) == "Eastern Time — New York (UTC−04:00)"
    assert zone_label("Asia/Kolkata", WINTER) == "India Standard Time — Kolkata (UTC+05:30)"
    assert zone_label("Australia/Adelaide", WINTER).endswith("(UTC+10:30)")
    assert zone_label("Asia/Kathmandu", SUMMER).endswith("(UTC+05:45)")
    assert zone_label("UTC", SUMMER) == "Coordinated Universal Time (UTC+00:00)"


def test_zones_without_a_known_name_read_as_city_and_region() -> None:
    assert place("America/Argentina/Buenos_Aires") == "Argentina Time — Buenos Aires"
    assert place("Asia/Yerevan") == "Yerevan, Asia"
    assert place("America/Port_of_Spain") == "Port of Spain, Americas"
    assert offset_text(-570) == "UTC−09:30" and offset_text(0) == "UTC+00:00"


def test_choices_are_city_zones_in_offset_order() -> None:
    choices = zone_choices(WINTER)
    names = [c.name for c in choices]
    assert "Europe/Paris" in names and "UTC" in names and "Etc/GMT+5" not in names
    assert len(names) == len(set(names))
    offsets = [c.offset_minutes for c in choices]
    assert offsets == sorted(offsets) and offsets[0] <= -600 and offsets[-1] >= 780
    assert all("(UTC" in c.label for c in choices)
