"""A full disk, a read-only disk and a folder the user may not write: one sentence, exit 1.

The disks are real: a small tmpfs mounted for the test (which needs the right
to mount, as root in the CI container has), filled up or remounted read-only.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from inviteonce_desktop.cli.commands import run


def _mount(folder: Path, *options: str) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(["size=4m", *options]), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount(folder):
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def command(home: Path, capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str, str]:
    code = run(["--data-dir", str(home), *words])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_full_disk_is_one_sentence_exit_1_and_nothing_is_lost(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = small_disk / "workspace"
    assert command(home, capsys, "members", "add", "Ann Smith", "ann@example.com")[0] == 0
    filler = small_disk / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)

    code, _, err = command(home, capsys, "members", "add", "Bob Jones", "bob@example.com")

    assert code == 1
    assert err == f"inviteonce: The workspace folder {home} cannot be used: the disk is full.\n"
    filler.unlink()
    code, out, _ = command(home, capsys, "members", "list", "--json")
    assert code == 0 and "ann@example.com" in out and "bob@example.com" not in out


def test_a_read_only_disk_is_one_sentence_and_exit_1(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = small_disk / "workspace"
    assert command(home, capsys, "members", "add", "Ann Smith", "ann@example.com")[0] == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    code, out, err = command(home, capsys, "members", "add", "Bob Jones", "bob@example.com")

    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"inviteonce: The workspace folder {home} cannot be used: ")
    assert "read-only" in err


def test_a_home_that_cannot_be_made_is_one_sentence_and_exit_1(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    home = small_disk / "new" / "workspace"

    code, _, err = command(home, capsys, "invitations")

    assert code == 1
    assert err == (
        f"inviteonce: The workspace folder {home} cannot be used: it is on a read-only disk.\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_the_user_may_not_write_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)

    code, _, err = command(locked / "workspace", capsys, "invitations")

    assert code == 1
    assert err.endswith("cannot be used: you may not write there.\n")
