"""The Settings pages that fill the directory, and the profile page."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from inviteonce_desktop.ui.qt import Qt
from inviteonce_desktop.ui.shell import Shell


def test_settings_add_a_member_a_room_and_a_pool(qtbot: QtBot, shell: Shell) -> None:
    settings = shell.window.settings
    members = settings.members
    qtbot.keyClicks(members.name, "Noor Haddad")
    qtbot.keyClicks(members.email, "noor@example.com")
    qtbot.keyClicks(members.hours, "Mon-Thu 10:00-16:00")
    qtbot.mouseClick(members.add, Qt.MouseButton.LeftButton)
    assert members.model.rowCount() == 5
    rows = [members.model.row_values(r) for r in range(5)]
    assert ["Noor Haddad", "noor@example.com", "Europe/Berlin", "Mon-Thu 10:00-16:00"] in rows
    qtbot.keyClicks(members.email, "broken")
    qtbot.mouseClick(members.add, Qt.MouseButton.LeftButton)
    assert shell.window.banner.isVisible() and "empty" in shell.window.banner.text.text()

    rooms = settings.rooms
    qtbot.keyClicks(rooms.name, "Dogwood")
    rooms.capacity.setValue(6)
    qtbot.mouseClick(rooms.add, Qt.MouseButton.LeftButton)
    assert ["Dogwood", "", 6] in [rooms.model.row_values(r) for r in range(4)]

    pools = settings.pools
    labels = pools.members.labels()
    wanted = [key for key, label in labels.items() if label in ("Dogwood", "Noor Haddad")]
    pools.members.set_checked(wanted)
    qtbot.keyClicks(pools.name, "Noor or Dogwood")
    qtbot.mouseClick(pools.add, Qt.MouseButton.LeftButton)
    rows = {row[0]: row[1] for row in map(pools.model.row_values, range(2))}
    assert set(rows["Noor or Dogwood"].split(", ")) == {"Dogwood", "Noor Haddad"}
    assert "5 team members" in shell.window.schedule.summary.text()


def test_the_profile_page_saves_the_time_zone(qtbot: QtBot, shell: Shell) -> None:
    page = shell.window.settings.profile
    page.zone.setCurrentText("America/New_York")
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    assert shell.window._app.profile_zone() == "America/New_York"
    assert "America/New_York" in shell.window.schedule.summary.text()


def test_the_profile_page_saves_the_language_of_the_emails(qtbot: QtBot, shell: Shell) -> None:
    page = shell.window.settings.profile
    assert page.language.currentText() == "English"
    assert [page.language.itemText(i) for i in range(page.language.count())] == [
        "English", "Deutsch", "Français", "Español",
    ]  # fmt: skip
    page.language.setCurrentIndex(page.language.findData("fr"))
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    profile = shell.window._app.profile()
    assert profile is not None and profile.language == "fr"
    page.language.setCurrentIndex(0)
    page.refresh()  # shows what is saved
    assert page.language.currentData() == "fr"


def test_the_profile_page_saves_the_booking_page_branding(
    qtbot: QtBot, shell: Shell, tmp_path: Path
) -> None:
    box = shell.window.settings.profile.branding
    errors: list[str] = []
    shell.window._bridge.error.connect(errors.append)
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    drawing = tmp_path / "logo.svg"
    drawing.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    box.load_image("logo", drawing)
    assert box.logo.data is None
    assert errors == ["The logo must be a PNG, JPEG or WebP image."]
    box.load_image("logo", logo)
    assert box.logo.status.text() == "logo.png, 1 KB" and box.logo.remove.isEnabled()
    box.accent.clear()
    qtbot.keyClicks(box.accent, "teal")
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert errors[-1] == "The accent colour 'teal' must be written as #rrggbb, e.g. #0b7285."
    assert shell.window._app.branding().empty
    box.accent.setText("#0B7285")
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    saved = shell.window._app.branding()
    assert saved.accent_color == "#0b7285" and saved.logo == logo.read_bytes()
    qtbot.mouseClick(box.logo.remove, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert shell.window._app.branding().logo is None
