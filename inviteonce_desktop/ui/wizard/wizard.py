"""The invitation wizard: participant → details → time frame → notifications → links."""

from __future__ import annotations

from ...application.errors import user_message
from ...application.facade import InviteOnce
from ...application.invitations import CreatedInvitation
from ..icons import icon
from ..messages import MessageBridge
from ..qt import (
    QInputDialog,
    QKeyEvent,
    QMessageBox,
    QShowEvent,
    Qt,
    QTimer,
    QWidget,
    QWizard,
    Signal,
    Slot,
    asyncSlot,
)
from ..screen import fit_to_screen
from ..settings.mail_dialog import MailSettingsDialog
from ..settings.relay_dialog import RelaySettingsDialog
from .details_page import DetailsPage
from .links_page import LinksPage
from .notifications_page import NotificationsPage
from .pages import PageId, StatePage
from .participant_page import ParticipantPage
from .state import WizardState
from .time_frame_page import TimeFramePage

BUILD_AHEAD_MS = 30
"""After the first page is on screen, the later pages are made (one per turn of the loop)."""


class InvitationWizard(QWizard):
    created = Signal(object)
    """A CreatedInvitation, once the invitation is saved."""
    draft_saved = Signal(int)

    def __init__(
        self,
        app: InviteOnce,
        bridge: MessageBridge,
        state: WizardState | None = None,
        draft_id: int | None = None,
        parent: QWidget | None = None,
        edit_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._bridge = bridge
        self.state = state or WizardState(time_zone=app.profile_zone())
        self.draft_id = draft_id
        self.edit_id = edit_id
        """The open invitation this wizard changes (None: it makes a new one)."""
        self.setWindowTitle("Invite to self-schedule" if edit_id is None else "Edit invitation")
        self.setWindowIcon(icon("invite"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Save &draft")
        self.setButtonText(QWizard.WizardButton.CustomButton2, "Save as &template...")
        self.button(QWizard.WizardButton.CustomButton2).setToolTip(
            "Keep these settings for Quick invite from the tray."
        )
        self.setButtonText(QWizard.WizardButton.NextButton, "&Continue")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Done")
        self.participant_page = ParticipantPage()
        self.details_page = DetailsPage(app)
        self.time_frame_page = TimeFramePage(app, bridge)
        self.notifications_page = NotificationsPage(app)
        self.notifications_page.editing = edit_id is not None
        self.links_page = LinksPage()
        for page_id, page in self._pages():
            self.setPage(page_id, page)
        self.participant_page.load(self.state)
        self.participant_page.email.setReadOnly(edit_id is not None)
        self.resize(760, 680)
        self.discard_box: QMessageBox | None = None
        self.mail_dialog: MailSettingsDialog | None = None
        self.relay_dialog: RelaySettingsDialog | None = None
        self._baseline = self.state.to_json()
        self._build_timer = QTimer(self)
        """Makes the later pages; a child, so it stops with the wizard."""
        self._build_timer.setSingleShot(True)
        self._build_timer.timeout.connect(self.build_ahead)
        self._connect_signals()

    def fresh_for(self, app: InviteOnce) -> bool:
        """Whether this unused wizard still starts as a new one would (same profile zone)."""
        untouched = self.currentId() in (-1, PageId.PARTICIPANT) and not self.visitedIds()[1:]
        return untouched and self.state == WizardState(time_zone=app.profile_zone())

    def _pages(self) -> list[tuple[PageId, StatePage]]:
        return [
            (PageId.PARTICIPANT, self.participant_page),
            (PageId.DETAILS, self.details_page),
            (PageId.TIME_FRAME, self.time_frame_page),
            (PageId.NOTIFICATIONS, self.notifications_page),
            (PageId.LINKS, self.links_page),
        ]

    def _connect_signals(self) -> None:
        self.customButtonClicked.connect(self.on_custom_button_clicked)
        self.notifications_page.create_requested.connect(self.on_create_requested)
        self.currentIdChanged.connect(self.on_current_id_changed)
        self.notifications_page.fix_mail_requested.connect(self.open_mail_settings)
        self.links_page.fix_mail_requested.connect(self.open_mail_settings)
        self.notifications_page.relay_setup_requested.connect(self.open_relay_settings)

    def gather(self) -> WizardState:
        """The state with every visited page's fields written in."""
        for page_id in self.visitedIds():
            page = self.page(page_id)
            if isinstance(page, StatePage):
                page.store(self.state)
        current = self.currentPage()
        if isinstance(current, StatePage):
            current.store(self.state)
        return self.state

    @Slot(int)
    def on_custom_button_clicked(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.save_draft()
        elif which == QWizard.WizardButton.CustomButton2.value:
            self.ask_template_name()

    def ask_template_name(self) -> None:
        name, accepted = QInputDialog.getText(
            self, "Save as template", "Template name (for Quick invite):"
        )
        if accepted:
            self.save_template(name)

    def save_template(self, name: str) -> bool:
        """Keep this invitation's settings (not its participant) as a named template."""
        try:
            self._app.save_template(name, self.gather().invitation())
        except Exception as error:
            text = user_message(error)
            if text is None:
                raise
            self.notifications_page.show_error(text)
            return False
        self._bridge.show_info(f"The template {name.strip()} is saved for Quick invite.")
        return True

    def save_draft(self) -> int:
        state = self.gather()
        self.draft_id = self._app.save_draft(state, self.draft_id)
        text = "The draft is saved on the Invitations page."
        current = self.currentPage()
        if isinstance(current, StatePage):
            current.show_feedback(text)
        self._bridge.show_info(text)
        self._baseline = state.to_json()
        self.draft_saved.emit(self.draft_id)
        return self.draft_id

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        fit_to_screen(self)
        self._build_timer.start(BUILD_AHEAD_MS)

    @Slot()
    def build_ahead(self) -> None:
        """Make the next unbuilt page while the user types, one page per turn of the loop;
        never while Step 2 waits for its first count (the count comes first), and not
        once the wizard is closed."""
        if not self.isVisible():
            return
        counting = self.time_frame_page
        if self.currentPage() is counting and counting.built and counting.counter.last is None:
            self._build_timer.start(BUILD_AHEAD_MS)
            return
        for _, page in self._pages():
            if not page.built:
                page.ensure_built()
                page.ensurePolished()
                self._build_timer.start(0)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter goes on; while Step 2 still counts, it goes on once the count is in."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        page = self.time_frame_page
        if enter and self.currentPage() is page and page.counter.pending:
            page.advance_when_counted = True
            event.accept()
            return
        super().keyPressEvent(event)

    # Leaving: nothing typed is lost without being asked

    def has_unsaved_edits(self) -> bool:
        if self.notifications_page.created:
            return False
        return self.gather().to_json() != self._baseline

    def reject(self) -> None:
        """Cancel, Escape or closing: ask before dropping edits that are not saved."""
        if not self.has_unsaved_edits():
            super().reject()
            return
        if self.edit_id is not None:
            self._ask_discard_changes()
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Invite to self-schedule")
        box.setText("Keep this invitation as a draft?")
        box.setInformativeText(
            "You can continue a draft later from the Invitations page. Discarded edits are lost."
        )
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.button(QMessageBox.StandardButton.Save).setText("Save &draft")
        box.button(QMessageBox.StandardButton.Cancel).setText("&Keep editing")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.finished.connect(self.on_discard_answered)
        self.discard_box = box
        box.open()

    def _ask_discard_changes(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Edit invitation")
        box.setText("Discard your changes to this invitation?")
        box.setInformativeText("The customer keeps the invitation as it was.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.button(QMessageBox.StandardButton.Cancel).setText("&Keep editing")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(self.on_discard_answered)
        self.discard_box = box
        box.open()

    @Slot(int)
    def on_discard_answered(self, answer: int) -> None:
        self.discard_box = None
        if answer == QMessageBox.StandardButton.Save.value:
            self.save_draft()
            super().reject()
        elif answer == QMessageBox.StandardButton.Discard.value:
            super().reject()

    @Slot()
    def open_mail_settings(self) -> MailSettingsDialog:
        """Settings → Mail sending over the wizard; Step 3 looks again once it closes."""
        dialog = MailSettingsDialog(self._app, self._bridge, self)
        dialog.finished.connect(self.on_mail_settings_closed)
        self.mail_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def open_relay_settings(self) -> RelaySettingsDialog:
        """Settings → Relay over the wizard; Step 3 says again who can open the links."""
        dialog = RelaySettingsDialog(self._app, self._bridge, self)
        dialog.finished.connect(self.on_relay_settings_closed)
        self.relay_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def on_relay_settings_closed(self) -> None:
        self.relay_dialog = None
        if self.currentId() == PageId.NOTIFICATIONS:
            self.notifications_page.refresh_links_notice()

    @Slot()
    def on_mail_settings_closed(self) -> None:
        self.mail_dialog = None
        page = self.notifications_page
        if self.currentId() == PageId.NOTIFICATIONS:
            was_links = page.by_links.isChecked()
            page.refresh_mail()
            if was_links and self._app.mail_problem() is None and page.mail_row.isHidden():
                page.by_email.setChecked(True)

    @Slot(int)
    def on_current_id_changed(self, page_id: int) -> None:
        last = page_id == PageId.LINKS
        drafts = not last and self.edit_id is None
        self.button(QWizard.WizardButton.CustomButton1).setVisible(drafts)
        step3 = page_id == PageId.NOTIFICATIONS
        self.button(QWizard.WizardButton.CustomButton2).setVisible(step3)

    @asyncSlot()
    async def on_create_requested(self) -> None:
        page = self.notifications_page
        commit = self.button(QWizard.WizardButton.CommitButton)
        draft = self.button(QWizard.WizardButton.CustomButton1)
        with self._bridge.operation(commit, draft):
            try:
                invitation = self.gather().invitation()
                if self.edit_id is None:
                    created = await self._app.create_invitation(invitation)
                else:
                    created = await self._app.edit_invitation(self.edit_id, invitation)
            except Exception as error:
                text = user_message(error)
                if text is None:
                    raise
                page.show_error(text)
                return
            self._finish(created)

    def _finish(self, created: CreatedInvitation) -> None:
        if self.draft_id is not None:
            self._app.delete_draft(self.draft_id)
            self.draft_id = None
        if self.edit_id is None:
            self.links_page.show_created(created, self._app.delivery(created.invitation))
        else:
            self.links_page.show_edited(created)
        self.notifications_page.created = True
        self.next()
        self.created.emit(created)
