"""The invitation wizard: participant → details → time frame → notifications → links."""

from __future__ import annotations

from ...application.errors import user_message
from ...application.facade import InviteOnce
from ...application.invitations import CreatedInvitation
from ..icons import icon
from ..messages import MessageBridge
from ..qt import QInputDialog, QWidget, QWizard, Signal, Slot, asyncSlot
from .details_page import DetailsPage
from .links_page import LinksPage
from .notifications_page import NotificationsPage
from .pages import PageId, StatePage
from .participant_page import ParticipantPage
from .state import WizardState
from .time_frame_page import TimeFramePage


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
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._bridge = bridge
        self.state = state or WizardState(time_zone=app.profile_zone())
        self.draft_id = draft_id
        self.setWindowTitle("Invite to self-schedule")
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
        self.links_page = LinksPage()
        for page_id, page in self._pages():
            self.setPage(page_id, page)
        self.participant_page.load(self.state)
        self.resize(760, 680)
        self._connect_signals()

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
        self.draft_id = self._app.save_draft(self.gather(), self.draft_id)
        self._bridge.show_info("The draft is saved on the Invitations page.")
        self.draft_saved.emit(self.draft_id)
        return self.draft_id

    @Slot(int)
    def on_current_id_changed(self, page_id: int) -> None:
        last = page_id == PageId.LINKS
        self.button(QWizard.WizardButton.CustomButton1).setVisible(not last)
        step3 = page_id == PageId.NOTIFICATIONS
        self.button(QWizard.WizardButton.CustomButton2).setVisible(step3)

    @asyncSlot()
    async def on_create_requested(self) -> None:
        page = self.notifications_page
        commit = self.button(QWizard.WizardButton.CommitButton)
        draft = self.button(QWizard.WizardButton.CustomButton1)
        with self._bridge.operation(commit, draft):
            try:
                created = await self._app.create_invitation(self.gather().invitation())
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
        self.links_page.show_created(created)
        self.notifications_page.created = True
        self.next()
        self.created.emit(created)
