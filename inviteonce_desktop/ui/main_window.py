"""The main window: Schedule, the Activity stream and Settings, with a status bar.

The window is a frame first: it can be on screen before the workspace is open,
with Schedule waiting and progress in the status bar. :meth:`MainWindow.attach`
then hands it the workspace and builds the pages that show its data.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from enum import IntEnum
from typing import TYPE_CHECKING

from .banner import ErrorBanner
from .icons import icon
from .messages import MessageBridge
from .navigation import Navigation
from .qt import (
    QAction,
    QByteArray,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSettings,
    QStackedWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)
from .schedule_page import SchedulePage
from .screen import fit_to_screen
from .status_area import StatusArea

if TYPE_CHECKING:
    from ..application.facade import InviteOnce
    from ..application.invitations import CreatedInvitation
    from ..application.schedules import SlotRequest
    from ..core.meeting import Meeting
    from .activity.page import ActivityPage
    from .settings.page import SettingsPage
    from .wizard.state import WizardState
    from .wizard.wizard import InvitationWizard


WARM_UP_MS = 300
"""How long after the workspace opens (or a wizard opens) the next wizard is prepared."""


def warm_count(app: InviteOnce, request: SlotRequest) -> None:
    """Count once in a worker thread, so Step 2's first count finds its queries prepared."""
    with contextlib.suppress(Exception):  # a warm-up: the real count reports its own errors
        app.count_slots_now(request)


class Page(IntEnum):
    SCHEDULE = 0
    ACTIVITY = 1
    SETTINGS = 2


class MainWindow(QMainWindow):
    closed = Signal()
    hidden_to_tray = Signal()
    """The window was closed while the tray keeps the application running."""
    invitation_created = Signal(object)
    """A CreatedInvitation: the wizard or quick invite sent or published one."""
    """The window was closed for good (no tray to keep the application in)."""
    quick_invite_requested = Signal()

    def __init__(
        self, bridge: MessageBridge, preferences: QSettings, app: InviteOnce | None = None
    ) -> None:
        """Without *app*, the frame shows that the workspace is opening until :meth:`attach`."""
        super().__init__()
        self._app: InviteOnce | None = None
        self._bridge = bridge
        self._preferences = preferences
        self.keep_in_tray = False
        self.wizard: InvitationWizard | None = None
        self._spare_wizard: InvitationWizard | None = None
        self._counted_once = False
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.timeout.connect(self.prepare_wizard)
        self.setWindowTitle("InviteOnce")
        self.setWindowIcon(icon("inviteonce"))
        self.schedule = SchedulePage()
        self._activity: ActivityPage | None = None
        self._settings: SettingsPage | None = None
        self.banner = ErrorBanner()
        self.status = StatusArea()
        self.navigation = Navigation(
            [("Schedule", "schedule"), ("Activity", "activity"), ("Settings", "settings")]
        )
        self.stack = QStackedWidget()
        for widget in (self.schedule, QWidget(), QWidget()):
            self.stack.addWidget(widget)
        self._lay_out()
        self._make_menus()
        self._connect_signals()
        self._restore_geometry()
        if app is None:
            self.status.set_opening(True)
        else:
            self.attach(app)

    @property
    def bridge(self) -> MessageBridge:
        return self._bridge

    @property
    def preferences(self) -> QSettings:
        return self._preferences

    @property
    def app(self) -> InviteOnce:
        """The open workspace's facade, there once :meth:`attach` has run."""
        if self._app is None:
            raise RuntimeError("The workspace is not open yet.")
        return self._app

    @property
    def activity(self) -> ActivityPage:
        if self._activity is None:
            raise RuntimeError("The Activity page is built when the workspace is open.")
        return self._activity

    async def finish_pending(self) -> None:
        """Make the changes that still wait for their Undo (the application quits)."""
        if self._activity is not None:
            await self._activity.invitations.finish_pending()

    def attach(self, app: InviteOnce) -> None:
        """Give the frame its open workspace: build the Activity page and fill the pages."""
        from .activity.page import ActivityPage

        self._app = app
        activity = ActivityPage(app, self._bridge)
        self._activity = activity
        self._put_page(Page.ACTIVITY, activity)
        activity.invitations.open_draft.connect(self.on_open_draft)
        activity.invitations.edit_requested.connect(self.on_edit_requested)
        activity.invitations.changed.connect(activity.meetings.refresh)
        activity.invitations.changed.connect(self.schedule.refresh)
        self.schedule.attach(app)
        activity.refresh()
        for action in (self.new_action, self.quick_action):
            action.setEnabled(True)
        self.status.set_opening(False)
        self._prepare_timer.start(WARM_UP_MS)

    def show_opening_failed(self, text: str) -> None:
        """The workspace could not be opened: say why, in one sentence, and stop waiting."""
        self.status.set_opening(False)
        self.status.set_connection_shown(False)
        self.schedule.summary.setText(text)
        self.banner.show_error(text)

    def _put_page(self, page: Page, widget: QWidget) -> None:
        placeholder = self.stack.widget(page.value)
        self.stack.insertWidget(page.value, widget)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        self.stack.setCurrentIndex(self.navigation.currentRow())

    def _lay_out(self) -> None:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(right, 1)
        self.setCentralWidget(body)
        self.setStatusBar(self.status)

    def _make_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.file_menu = menu
        self.new_action = self._action(menu, "&Invite to self-schedule...", "invite", "Ctrl+N")
        self.quick_action = self._action(menu, "Q&uick invite...", "quick-invite", "Ctrl+Shift+N")
        self._quit_separator = menu.addSeparator()
        self.quit_action = self._action(menu, "&Quit", "quit", QKeySequence.StandardKey.Quit)
        for action in (self.new_action, self.quick_action):
            action.setEnabled(False)
        view = self.menuBar().addMenu("&View")
        for page, name in ((Page.SCHEDULE, "&Schedule"), (Page.ACTIVITY, "&Activity")):
            action = self._action(view, name, "", f"Ctrl+{page.value + 1}")
            action.triggered.connect(lambda _=False, p=page: self.show_page(p))
        settings = self._action(view, "S&ettings", "", f"Ctrl+{Page.SETTINGS.value + 1}")
        settings.triggered.connect(lambda: self.show_page(Page.SETTINGS))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About InviteOnce", "", "").triggered.connect(self.on_about)

    def _action(
        self, menu: QMenu, text: str, icon_name: str, shortcut: str | QKeySequence.StandardKey
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        menu.addAction(action)
        return action

    def _connect_signals(self) -> None:
        self.navigation.currentRowChanged.connect(self.on_page_chosen)
        self.schedule.invite_requested.connect(self.open_wizard)
        self.schedule.quick_invite_requested.connect(self.quick_invite_requested)
        self.schedule.activity_requested.connect(lambda: self.show_page(Page.ACTIVITY))
        self.new_action.triggered.connect(self.open_wizard)
        self.quick_action.triggered.connect(self.quick_invite_requested)
        self.quit_action.triggered.connect(self.closed)
        self._bridge.error.connect(self.banner.show_error)
        self._bridge.error.connect(self.status.show_info)
        self._bridge.info.connect(self.status.show_info)
        self._bridge.busy_changed.connect(self.status.set_busy)

    def show_next_meetings(self, next_meetings: QMenu) -> None:
        """Without a tray, its Next meetings menu lives in the File menu."""
        self.file_menu.insertMenu(self._quit_separator, next_meetings)

    @property
    def settings(self) -> SettingsPage:
        """The Settings page, built the first time it is needed (it is rarely the first)."""
        if self._settings is None:
            from .settings.page import SettingsPage

            self._settings = SettingsPage(self.app, self._bridge)
            self._settings.changed.connect(self.on_settings_changed)
            self._put_page(Page.SETTINGS, self._settings)
        return self._settings

    @Slot(int)
    def on_page_chosen(self, index: int) -> None:
        if index == Page.SETTINGS.value and self._app is not None:
            self.settings.refresh()
        self.stack.setCurrentIndex(index)

    def show_page(self, page: Page) -> None:
        self.navigation.setCurrentRow(page.value)

    @Slot()
    def open_wizard(
        self,
        state: WizardState | None = None,
        draft_id: int | None = None,
        edit_id: int | None = None,
    ) -> InvitationWizard:
        if self.wizard is not None and self.wizard.isVisible() and state is None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        spare, self._spare_wizard = self._spare_wizard, None
        if state is None and spare is not None and spare.fresh_for(self.app):
            wizard = spare
        else:
            if spare is not None:
                spare.deleteLater()
            wizard = self._make_wizard(state, draft_id, edit_id)
        wizard.show()
        self.wizard = wizard
        self._prepare_timer.start(WARM_UP_MS)
        return wizard

    def _make_wizard(
        self, state: WizardState | None, draft_id: int | None, edit_id: int | None = None
    ) -> InvitationWizard:
        from .wizard.wizard import InvitationWizard

        wizard = InvitationWizard(self.app, self._bridge, state, draft_id, self, edit_id)
        wizard.created.connect(self.on_invitation_created)
        wizard.draft_saved.connect(self.on_draft_saved)
        return wizard

    @Slot()
    def prepare_wizard(self) -> None:
        """Make the next blank wizard while the window is idle, so Invite shows it at once."""
        if self._app is None or self._spare_wizard is not None:
            return
        from .widgets import zone_names_once

        zone_names_once()
        self._spare_wizard = self._make_wizard(None, None)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        members = [m.id for m in self.app.members()[:1] if m.id is not None]
        if members and not self._counted_once:
            self._counted_once = True
            blank = dataclasses.replace(self._spare_wizard.state, team_member_ids=members)
            loop.run_in_executor(None, warm_count, self.app, blank.slot_request())

    @Slot(int, object)
    def on_open_draft(self, draft_id: int, state: WizardState) -> None:
        self.open_wizard(state, draft_id)

    @Slot(int, object)
    def on_edit_requested(self, invitation_id: int, state: WizardState) -> None:
        """The open invitation in the wizard, filled as it is, to change it."""
        self.open_wizard(state, edit_id=invitation_id)

    @Slot(object)
    def on_invitation_created(self, created: CreatedInvitation) -> None:
        self.activity.refresh()
        self.schedule.refresh()
        self.invitation_created.emit(created)

    @Slot(int)
    def on_draft_saved(self, draft_id: int) -> None:
        self.activity.invitations.refresh()
        self.schedule.refresh()

    @Slot(object)
    def on_booking(self, meeting: Meeting) -> None:
        self.activity.refresh()
        self.schedule.refresh()

    @Slot(bool)
    def on_online_changed(self, online: bool) -> None:
        self.status.set_online(online)
        if online:
            self.app.retry_now()
        self.activity.invitations.refresh()

    @Slot()
    def on_settings_changed(self) -> None:
        self.schedule.refresh()

    @Slot()
    def on_about(self) -> None:
        QMessageBox.about(
            self,
            "About InviteOnce",
            "InviteOnce Desktop: invite a customer to pick a meeting time; "
            "the meeting lands in everyone's calendar.",
        )

    def bring_to_front(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~self.windowState().WindowMinimized)
        self.raise_()
        self.activateWindow()

    def _restore_geometry(self) -> None:
        geometry = self._preferences.value("window/geometry")
        if not isinstance(geometry, QByteArray) or not self.restoreGeometry(geometry):
            self.resize(1040, 680)
        fit_to_screen(self)

    def save_geometry(self) -> None:
        self._preferences.setValue("window/geometry", self.saveGeometry())
        self._preferences.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_geometry()
        if self.keep_in_tray:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        event.accept()
        self.closed.emit()
