"""Quick invite: one step from a saved template, asking only for name and email."""

from __future__ import annotations

from ..application.errors import user_message
from ..application.facade import InviteOnce
from ..application.invitations import CreatedInvitation
from ..core.errors import ValidationError
from ..core.invitation import Invitation, Participant, SendMode
from .clipboard import copy_links
from .icons import icon
from .messages import MessageBridge
from .qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    Signal,
    asyncSlot,
)

LAST_USED = ""


class QuickInviteDialog(QDialog):
    sent = Signal(object)
    """The CreatedInvitation."""

    def __init__(
        self, app: InviteOnce, bridge: MessageBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._bridge = bridge
        self.setWindowTitle("Quick invite")
        self.setMinimumWidth(440)
        self.setWindowIcon(icon("quick-invite"))
        self.name = QLineEdit()
        self.name.setAccessibleName("External participant name")
        self.email = QLineEdit()
        self.email.setAccessibleName("Email address")
        self.template = QComboBox()
        self.template.setAccessibleName("Template")
        self.template.addItem("Last used settings", LAST_USED)
        for name in app.templates():
            self.template.addItem(name, name)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.send = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send.setText("&Invite")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Email address:", self.email)
        form.addRow("&Template:", self.template)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.on_send_clicked)
        self.buttons.rejected.connect(self.reject)

    def invitation(self) -> Invitation:
        participant = Participant(self.name.text(), self.email.text())
        chosen = str(self.template.currentData() or "")
        if chosen:
            return self._app.template(chosen, participant)
        invitation = self._app.last_used(participant)
        if invitation is None:
            raise ValidationError(
                "Quick invite reuses your last invitation's settings: send one through the "
                "wizard first."
            )
        return invitation

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    @asyncSlot()
    async def on_send_clicked(self) -> None:
        with self._bridge.operation(self.send):
            try:
                created = await self._app.create_invitation(self.invitation())
            except Exception as error:
                text = user_message(error)
                if text is None:
                    raise
                self.show_error(text)
                return
            self._report(created)
            self.sent.emit(created)
            self.accept()

    def _report(self, created: CreatedInvitation) -> None:
        who = created.invitation.participant.name
        if created.queued:
            self._bridge.show_info(f"The invitation to {who} goes out once you are back online.")
        elif created.invitation.notifications.send_mode == SendMode.LINKS:
            copy_links(created.links.as_text(), created.links.as_html())
            self._bridge.show_info(f"The links for {who} are on the clipboard.")
        else:
            self._bridge.show_info(f"The invitation is on its way to {who}.")
