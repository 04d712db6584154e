"""The last page: the invitation is made; what reached the customer, and its links to copy."""

from __future__ import annotations

import html

from ...application.delivery import Delivery, DeliveryKind
from ...application.emails import slot_label
from ...application.invitations import CreatedInvitation
from ...core.invitation import SendMode
from ..clipboard import copy_links
from ..icons import icon
from ..qt import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)
from .pages import StatePage


def delivery_summary(created: CreatedInvitation, delivery: Delivery | None) -> str:
    """What truly happened to the invitation, in one or two sentences."""
    invitation = created.invitation
    who = f"{invitation.participant.name} <{invitation.participant.email}>"
    by_email = invitation.notifications.send_mode == SendMode.EMAIL
    if created.queued:
        return (
            "You are offline. The invitation is saved and will be published"
            + (f" and emailed to {who}" if by_email else "")
            + " as soon as the network is back; its links appear on the Invitations page."
        )
    if not by_email or delivery is None:
        return f"Copy the links and send them to {who} yourself."
    if delivery.kind == DeliveryKind.SENT:
        return f"The invitation email is sent to {who}."
    if delivery.kind == DeliveryKind.FAILED:
        return (
            f"The invitation is published, but its email to {who} could not be sent: "
            f"{delivery.reason} It is retried; meanwhile you can copy the links below."
        )
    return f"The invitation email to {who} is queued and goes out in a moment."


class LinksPage(StatePage):
    fix_mail_requested = Signal()

    def __init__(self) -> None:
        super().__init__("Your invitation is ready", "")
        self.created: CreatedInvitation | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What happened")
        self.fix_mail = QPushButton("&Fix mail sending...")
        self.fix_mail.hide()
        self.links = QWidget()
        self.links.setAccessibleName("Meeting links")
        self._grid = QGridLayout(self.links)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.link_copies: list[QPushButton] = []
        self.link_fields: list[QLineEdit] = []
        self.copy = QPushButton(icon("copy"), "&Copy all links")
        self.copied = QLabel()
        self.copied.setAccessibleName("Copied")
        self.local_only = QLabel(
            "These links work only on this computer, while InviteOnce runs: for real customers, "
            "set up a relay in Settings, Relay."
        )
        self.local_only.setObjectName("hint")
        self.local_only.setWordWrap(True)
        self.local_only.hide()
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.fix_mail)
        layout = QVBoxLayout(self.body)
        layout.addLayout(summary_row)
        layout.addSpacing(8)
        layout.addWidget(self.links)
        layout.addWidget(self.copy)
        layout.addWidget(self.copied)
        layout.addWidget(self.local_only)
        layout.addStretch(1)
        self.copy.clicked.connect(self.on_copy_clicked)
        self.fix_mail.clicked.connect(self.fix_mail_requested)
        self.setFinalPage(True)

    def show_created(self, created: CreatedInvitation, delivery: Delivery | None = None) -> None:
        self.created = created
        self.summary.setText(delivery_summary(created, delivery))
        self.fix_mail.setVisible(delivery is not None and delivery.fix_in_mail_settings)
        self._show_links(created)
        by_email = created.invitation.notifications.send_mode == SendMode.EMAIL
        has_links = bool(created.links.url)
        self.copy.setEnabled(has_links)
        self.copy.setDefault(has_links and not by_email)
        self.copied.clear()
        host = QUrl(created.links.url or "").host()
        self.local_only.setVisible(host in ("127.0.0.1", "localhost", "::1"))

    def show_edited(self, created: CreatedInvitation) -> None:
        """The changes are saved: the same links now offer the new times."""
        self.setTitle("Your changes are saved")
        self.show_created(created)
        ident = created.invitation.id
        if created.queued or created.publish_problem:
            reason = f" ({created.publish_problem})" if created.publish_problem else ""
            text = (
                f"Invitation {ident} is changed. Its links stay the same; they offer the new "
                f"times once the relay can be reached{reason}."
            )
        else:
            text = (
                f"Invitation {ident} is changed. Its links stay the same and offer the new "
                "times now; a customer who has the page open sees them when it loads again."
            )
        self.summary.setText(text)

    def _show_links(self, created: CreatedInvitation) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.link_copies = []
        self.link_fields = []
        links = created.links
        if not links.url:
            self._grid.addWidget(QLabel("The links come once the invitation is published."), 0, 0)
            return
        rows = [(slot_label(start, links.time_zone), url) for start, url in links.promoted]
        rows.append(("More times" if rows else "All available times", links.url))
        for row, (label, url) in enumerate(rows):
            self._add_link_row(row, label, url)
        stops: list[QWidget] = []
        for field, button in zip(self.link_fields, self.link_copies, strict=True):
            stops += [field, button]
        for before, after in zip(stops, [*stops[1:], self.copy], strict=True):
            QWidget.setTabOrder(before, after)

    def _add_link_row(self, row: int, label: str, url: str) -> None:
        field = QLineEdit(url)
        field.setReadOnly(True)
        field.setAccessibleName(f"Link: {label}")
        field.setCursorPosition(0)
        button = QPushButton(icon("copy"), "Copy")
        button.setAccessibleName(f"Copy the link for {label}")
        button.clicked.connect(lambda _=False, u=url, t=label: self.copy_one(t, u))
        self._grid.addWidget(QLabel(label), row, 0)
        self._grid.addWidget(field, row, 1)
        self._grid.addWidget(button, row, 2)
        self._grid.setColumnStretch(1, 1)
        self.link_copies.append(button)
        self.link_fields.append(field)

    def copy_one(self, label: str, url: str) -> None:
        copy_links(url, f'<a href="{html.escape(url)}">{html.escape(label)}</a>')
        self.copied.setText(f"The link for {label} is on the clipboard.")

    @Slot()
    def on_copy_clicked(self) -> None:
        if self.created is None:
            return
        links = self.created.links
        copy_links(links.as_text(), links.as_html())
        self.copied.setText("The links are on the clipboard.")
