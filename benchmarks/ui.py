"""Desktop window speed: cold start, memory, the wizard's live slot count, loop stalls.

Prints one JSON object:
  start_ms / floor_ms / start_ratio   cold start to the main window shown (demo workspace),
                                      against a bare PySide6 window started the same way
  ready_ms                            cold start to the workspace open and the Schedule and
                                      Invitations pages filled (the window shows earlier)
  peak_mib / floor_peak_mib           peak RSS of those two subprocesses by the window shown
  ready_peak_mib                      the app's peak RSS by the workspace ready
  ready_memory_ratio                  ready_peak_mib over floor_peak_mib
  wizard_open_ms                      a click on Invite to self-schedule to the participant
                                      page shown: the first click, a second after the window
                                      is ready (a person's reaction time)
  step2_first_count_ms                Step 2 shown to its first slot count, on the demo with a
                                      connected calendar 200 ms away whose busy time was read
                                      earlier and is now older than the refresh interval: the
                                      count from that busy time, marked with its age (median
                                      of 5 wizards)
  step2_fresh_count_ms                Step 2 shown to the count after that calendar is read again
  slot_refresh_ms                     median time from a field change's count starting to
                                      the number shown in Step 2 (after the debounce)
  max_loop_block_ms                   the longest event-loop stall while a calendar refresh
                                      with 200 ms latency runs from Settings → Calendars
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTS = 5
MEMORY_KEYRING = "inviteonce_desktop.services.memory_keyring.MemoryKeyring"
REFRESHES = 15
STEP_TWO_TRIALS = 5
STALE_AFTER_S = 1.1
"""Past the shortest refresh interval (1 s), which the Step 2 trials use."""
LATENCY = 0.2

FLOOR_CHILD = """
import resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1040, 680)
window.show()
def shown():
    print("shown", time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""

APP_CHILD = """
import os, resource, sys, time
from pathlib import Path
from inviteonce_desktop.ui import launch
from inviteonce_desktop.ui.main_window import MainWindow
from inviteonce_desktop.ui.qt import QTimer

def report(what):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(what, time.time(), rss, flush=True)

original_show = MainWindow.show
def show_and_report(self):
    first = not self.isVisible()
    original_show(self)
    if first:
        QTimer.singleShot(0, lambda: report("shown"))
MainWindow.show = show_and_report

original_load = launch.load_workspace
async def load_and_report(*args, **kwargs):
    shell = await original_load(*args, **kwargs)
    if shell is None:
        os._exit(3)
    def ready():
        report("ready")
        shell.quit()
    QTimer.singleShot(0, ready)
    return shell
launch.load_workspace = load_and_report
sys.exit(launch.run_app(Path(sys.argv[1]), demo=True))
"""


def start_once(code: str, *args: str) -> tuple[float, float, float, float]:
    """Milliseconds from spawning the process to its window shown and to its workspace ready
    (the same for a bare window), and its peak RSS in MiB by each of those moments."""
    began = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        # The in-memory keyring, chosen the way a user chooses a backend: by environment.
        env={**os.environ, "PYTHON_KEYRING_BACKEND": MEMORY_KEYRING},
    )
    reports: dict[str, tuple[float, float]] = {}
    for line in result.stdout.splitlines():
        what, at, rss_kib = line.split()
        reports[what] = ((float(at) - began) * 1000, int(rss_kib) / 1024)
    if "shown" not in reports:
        raise RuntimeError(f"the window never showed: {result.stderr[-2000:]}")
    shown_ms, shown_mib = reports["shown"]
    ready_ms, ready_mib = reports.get("ready", reports["shown"])
    return shown_ms, ready_ms, shown_mib, ready_mib


def cold_starts(home: Path) -> dict[str, float]:
    start_once(APP_CHILD, str(home))
    start_once(FLOOR_CHILD)
    app_runs = [start_once(APP_CHILD, str(home)) for _ in range(STARTS)]
    floor_runs = [start_once(FLOOR_CHILD) for _ in range(STARTS)]
    start_ms = statistics.median(run[0] for run in app_runs)
    ready_ms = statistics.median(run[1] for run in app_runs)
    floor_ms = statistics.median(run[0] for run in floor_runs)
    return {
        "start_ms": round(start_ms, 1),
        "floor_ms": round(floor_ms, 1),
        "start_ratio": round(start_ms / floor_ms, 2),
        "ready_ms": round(ready_ms, 1),
        "peak_mib": round(max(run[2] for run in app_runs), 1),
        "floor_peak_mib": round(max(run[2] for run in floor_runs), 1),
        "ready_peak_mib": round(max(run[3] for run in app_runs), 1),
        "ready_memory_ratio": round(
            max(run[3] for run in app_runs) / max(run[2] for run in floor_runs), 2
        ),
    }


class SlowCalendar:
    """A calendar provider (the Protocol in services/calendars/base.py) 200 ms away."""

    kind = "slow"

    calls = 0

    async def free_busy(
        self, calendar_ids: Sequence[str], start: datetime, end: datetime
    ) -> Mapping[str, list[Any]]:
        SlowCalendar.calls += 1
        await asyncio.sleep(LATENCY / 2)
        await asyncio.to_thread(time.sleep, LATENCY / 2)
        return {calendar_id: [] for calendar_id in calendar_ids}

    async def create_event(self, calendar_id: str, event: Any) -> Any:
        raise RuntimeError("not used")

    async def update_event(self, calendar_id: str, ref: Any, event: Any) -> Any:
        raise RuntimeError("not used")

    async def cancel_event(self, calendar_id: str, ref: Any) -> None:
        return None

    async def aclose(self) -> None:
        return None


def slow_calendars(app: Any, provider: SlowCalendar) -> Any:
    """The app's own calendar service, with one connected account 200 ms away."""
    from inviteonce_desktop.application.calendars import CalendarService
    from inviteonce_desktop.core.account_settings import AccountSettings
    from inviteonce_desktop.store.accounts import CalendarAccounts

    service = CalendarService(
        app.workspace, app.clock, app.credentials, app.profile_zone, build=lambda _: provider
    )
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("google")
        accounts.complete(
            account_id, "Slow calendar", AccountSettings(calendar="organizer@example.com")
        )
    for member in app.members():
        service.map_resource(member.email, account_id, member.email)
    return service


def in_process(home: Path) -> dict[str, float]:
    import keyring

    from inviteonce_desktop.application.demo import seed_demo
    from inviteonce_desktop.application.facade import InviteOnce
    from inviteonce_desktop.services.calendars.base import CalendarProvider
    from inviteonce_desktop.services.memory_keyring import MemoryKeyring
    from inviteonce_desktop.ui.launch import make_qt_app, preferences_for
    from inviteonce_desktop.ui.qt import QElapsedTimer, QEventLoop, QTimer
    from inviteonce_desktop.ui.shell import Shell

    keyring.set_keyring(MemoryKeyring())
    conforming: CalendarProvider = SlowCalendar()  # mypy checks the Protocol's shape
    del conforming
    qt_app = make_qt_app()
    loop = QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    app = InviteOnce.open(home)
    seed_demo(app)
    provider = SlowCalendar()
    app.calendars = slow_calendars(app, provider)
    # Read once, then older than the (shortest) refresh interval by the time Step 2 shows.
    loop.run_until_complete(app.calendars.refresh())
    interval = app.calendar_refresh_interval()
    app.set_calendar_refresh_interval(timedelta(seconds=1))
    shell = Shell(app, preferences_for(home), tray_available=False)
    shell.window.show()

    async def shown(widget: Any) -> None:
        """Until *widget* is on screen and the event loop has painted it."""
        while not widget.isVisible():
            await asyncio.sleep(0)
        painted = asyncio.get_running_loop().create_future()
        QTimer.singleShot(0, lambda: painted.done() or painted.set_result(None))
        await painted

    async def step_two(wizard: Any) -> tuple[float, float]:
        """Step 1 filled, Step 2 shown: to its first count, and to the count after the
        calendar has been read again."""
        wizard.participant_page.name.setText("Dana Customer")
        wizard.participant_page.email.setText("dana@example.com")
        wizard.next()
        wizard.details_page.subject.setText("Intro call")
        wizard.details_page.members.set_checked([m.id for m in app.members()[:2]])
        page = wizard.time_frame_page
        # The later pages are made while the organizer fills Step 1 (a person takes seconds),
        # and by then the busy time read earlier is older than the refresh interval.
        while not all(wizard.page(page_id).built for page_id in wizard.pageIds()):
            await asyncio.sleep(0.01)
        await asyncio.sleep(STALE_AFTER_S)
        counts: list[tuple[float, bool]] = []
        fresh = asyncio.get_running_loop().create_future()

        def counted(*_: object) -> None:
            counts.append((time.perf_counter(), page.counter.refreshing))
            if not page.counter.refreshing and not fresh.done():
                fresh.set_result(None)

        page.counter.counted.connect(counted)
        began = time.perf_counter()
        wizard.next()
        await fresh
        page.counter.counted.disconnect()
        wizard.done(0)
        assert [refreshing for _, refreshing in counts] == [True, False], counts
        return (counts[0][0] - began) * 1000, (counts[1][0] - began) * 1000

    async def wizard_open() -> tuple[float, tuple[float, float]]:
        """The first wizard: click to the participant page; then Step 2 to its counts (one
        of the STEP_TWO_TRIALS whose median is reported)."""
        await asyncio.sleep(1.0)
        began = time.perf_counter()
        shell.window.schedule.invite.click()
        wizard = shell.window.wizard
        assert wizard is not None
        await shown(wizard.participant_page)
        open_ms = (time.perf_counter() - began) * 1000
        first = await step_two(wizard)
        app.set_calendar_refresh_interval(interval)
        return open_ms, first

    async def more_step_two() -> list[tuple[float, float]]:
        """Step 2 in further wizards (after the other measurements, which their garbage and
        their spare wizards would disturb)."""
        app.set_calendar_refresh_interval(timedelta(seconds=1))
        trials = [await step_two(shell.window.open_wizard()) for _ in range(STEP_TWO_TRIALS - 1)]
        app.set_calendar_refresh_interval(interval)
        await asyncio.sleep(0.3)  # the last wizard's slot preview comes back
        return trials

    async def slot_refresh() -> float:
        wizard = shell.window.open_wizard()
        wizard.participant_page.name.setText("Dana Customer")
        wizard.participant_page.email.setText("dana@example.com")
        wizard.next()
        wizard.details_page.subject.setText("Intro call")
        wizard.details_page.members.set_checked([m.id for m in app.members()[:2]])
        wizard.next()
        page = wizard.time_frame_page
        times = []
        for run in range(REFRESHES + 1):
            page.interval.setValue(15 if run % 2 else 30)
            done = asyncio.get_running_loop().create_future()
            page.counter.counted.connect(lambda *_, done=done: done.done() or done.set_result(None))
            began = time.perf_counter()
            page.counter.refresh_now()
            await done
            page.counter.counted.disconnect()
            if run:
                times.append((time.perf_counter() - began) * 1000)
        wizard.done(0)
        return statistics.median(times)

    async def loop_block() -> float:
        clock = QElapsedTimer()
        clock.start()
        gaps = [0.0]
        last = [clock.nsecsElapsed()]

        def tick() -> None:
            now = clock.nsecsElapsed()
            gaps.append((now - last[0]) / 1e6)
            last[0] = now

        page = shell.window.settings.calendars  # built before the stalls are counted
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        last[0] = clock.nsecsElapsed()
        before = provider.calls  # the wizard's own refreshes of stale busy time came first
        timer.start()
        for _ in range(5):
            await asyncio.sleep(0.05)
            page.on_refresh_clicked()
            await asyncio.sleep(LATENCY + 0.1)
        timer.stop()
        assert provider.calls - before == 5
        return max(gaps) - timer.interval()

    async def measure() -> dict[str, float]:
        open_ms, first = await wizard_open()
        refresh_ms = await slot_refresh()
        block_ms = await loop_block()
        trials = [first, *await more_step_two()]
        count_ms = statistics.median(trial[0] for trial in trials)
        fresh_ms = statistics.median(trial[1] for trial in trials)
        return {
            "wizard_open_ms": round(open_ms, 1),
            "step2_first_count_ms": round(count_ms, 1),
            "step2_fresh_count_ms": round(fresh_ms, 1),
            "slot_refresh_ms": round(refresh_ms, 1),
            "max_loop_block_ms": round(block_ms, 1),
        }

    try:
        return loop.run_until_complete(measure())
    finally:
        shell.window.keep_in_tray = False
        shell.window.close()
        shell.window.deleteLater()
        qt_app.processEvents()
        app.close()
        loop.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="inviteonce-bench-") as folder:
        starts = cold_starts(Path(folder) / "start")
        figures = in_process(Path(folder) / "wizard")
    print(json.dumps({**starts, **figures}))


if __name__ == "__main__":
    main()
