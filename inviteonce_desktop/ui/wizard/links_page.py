"""The last page: the invitation is made; copy its links."""

from __future__ import annotations

from ...application.invitations import CreatedInvitation
from ...core.invitation import SendMode
from ..clipboard import copy_links
from ..icons import icon
from ..qt import QLabel, QPushButton, QTextBrowser, QVBoxLayout, Slot
from .pages import StatePage


class LinksPage(StatePage):
    def __init__(self) -> None:
        super().__init__("Your invitation is ready", "")
        self.created: CreatedInvitation | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What happened")
        self.links = QTextBrowser()
        self.links.setAccessibleName("Meeting links")
        self.links.setOpenExternalLinks(True)
        self.copy = QPushButton(icon("copy"), "&Copy links")
        self.copied = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.links, 1)
        layout.addWidget(self.copy)
        layout.addWidget(self.copied)
        self.copy.clicked.connect(self.on_copy_clicked)
        self.setFinalPage(True)

    def show_created(self, created: CreatedInvitation) -> None:
        self.created = created
        invitation = created.invitation
        who = f"{invitation.participant.name} <{invitation.participant.email}>"
        by_email = invitation.notifications.send_mode == SendMode.EMAIL
        if created.queued:
            self.summary.setText(
                "You are offline. The invitation is saved and will be published"
                + (f" and emailed to {who}" if by_email else "")
                + " as soon as the network is back; its links appear on the Invitations page."
            )
        elif by_email:
            self.summary.setText(created.summary().replace(invitation.participant.email, who))
        else:
            self.summary.setText(f"Copy the links and send them to {who} yourself.")
        self.links.setHtml(created.links.as_html() or "<p>No links yet.</p>")
        has_links = bool(created.links.url)
        self.copy.setEnabled(has_links)
        self.copy.setDefault(has_links and not by_email)
        self.copied.clear()

    @Slot()
    def on_copy_clicked(self) -> None:
        if self.created is None:
            return
        links = self.created.links
        copy_links(links.as_text(), links.as_html())
        self.copied.setText("The links are on the clipboard.")
