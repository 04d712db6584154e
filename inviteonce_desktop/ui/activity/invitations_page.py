"""Activity → Invitations: what waits for customers, drafts included."""

from __future__ import annotations

import html
from typing import Any

from ...application.delivery import Delivery, DeliveryKind
from ...application.facade import InviteOnce
from ...application.invitations import CreatedInvitation, InvitationEntry
from ...core.errors import DomainError
from ...core.invitation import InvitationStatus
from ...core.reminders import offsets_text
from ..clipboard import copy_links
from ..icons import icon
from ..messages import MessageBridge
from ..models import RowsModel, SearchFilter
from ..qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
    asyncSlot,
)
from ..settings.mail_dialog import MailSettingsDialog
from ..undo_bar import UNDO_SECONDS, UndoBar
from ..widgets import search_box, select_key, selected_key, table
from .rows import (
    INVITATION_HEADERS,
    STATUS_LABELS,
    UNFINISHED,
    WAITING_TO_PUBLISH,
    delivery_text,
    draft_row,
    history_html,
    invitation_row,
)

Key = tuple[str, int]
STRETCHED = ("Delivery", "Participant", "Subject", "Team members")
"""The columns that share the table's width (elided, whole in the tooltip)."""
OPEN = frozenset({UNFINISHED, STATUS_LABELS["draft"], STATUS_LABELS["pending"], WAITING_TO_PUBLISH})
FILTERS: list[tuple[str, frozenset[str]]] = [
    ("Open invitations", OPEN),
    ("All invitations", frozenset()),
    (UNFINISHED, frozenset({UNFINISHED})),
    *((STATUS_LABELS[s.value], frozenset({STATUS_LABELS[s.value]})) for s in InvitationStatus),
]


class InvitationsPage(QWidget):
    open_draft = Signal(int, object)
    """A draft's id and its InvitationRequest, to continue in the wizard."""
    edit_requested = Signal(int, object)
    """An open invitation's id and its InvitationRequest, to change in the wizard."""
    changed = Signal()
    sent = Signal(object)
    """A CreatedInvitation made from a draft."""

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self._statuses: dict[Key, str] = {}
        self._has_links: set[Key] = set()
        self._deliveries: dict[Key, Delivery] = {}
        self._entries: dict[Key, InvitationEntry] = {}
        self.cancel_box: QMessageBox | None = None
        self.mail_dialog: MailSettingsDialog | None = None
        self.model = RowsModel(INVITATION_HEADERS)
        self.proxy = SearchFilter(self.model)
        self.view = table(
            self.proxy,
            "Invitations",
            stretch=[INVITATION_HEADERS.index(h) for h in STRETCHED],
            fit=[INVITATION_HEADERS.index(h) for h in ("Status", "Created", "Expires")],
            empty="No invitations here. Invite a customer from the Schedule page, "
            "or choose another filter above.",
        )
        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Selected invitation")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.search = search_box(self.proxy, "Search invitations")
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show invitations")
        for label, allowed in FILTERS:
            self.filter.addItem(label, allowed)
        self.copy = QPushButton(icon("copy"), "&Copy links")
        self.send = QPushButton(icon("invite"), "S&end")
        self.open = QPushButton(icon("draft"), "&Open draft")
        self.edit = QPushButton(icon("draft"), "E&dit...")
        self.edit.setToolTip("Change the invitation; its links stay the same.")
        self.resend = QPushButton(icon("refresh"), "&Resend")
        self.retry = QPushButton(icon("refresh"), "Re&try now")
        self.fix = QPushButton("&Fix mail sending...")
        self.cancel = QPushButton(icon("cancel"), "Ca&ncel invitation")
        self.delete = QPushButton(icon("remove"), "&Delete draft")
        self.history = QTextBrowser()
        self.history.setAccessibleName("Invitation history")
        self.history.setMaximumHeight(160)
        self.undo_bar = UndoBar()
        self._cancelling: dict[int, InvitationStatus] = {}
        """Invitations whose cancellation waits for its few seconds of Undo, with the
        status they had when it was confirmed."""
        self._lay_out()
        self._connect_signals()
        self.on_filter_changed()

    def _buttons(self) -> list[QPushButton]:
        return [
            self.copy,
            self.send,
            self.open,
            self.edit,
            self.resend,
            self.retry,
            self.fix,
            self.cancel,
            self.delete,
        ]

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        actions = QHBoxLayout()
        for button in self._buttons():
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addLayout(actions)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.history)

    def _connect_signals(self) -> None:
        self.filter.currentIndexChanged.connect(self.on_filter_changed)
        self.view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.view.doubleClicked.connect(self.on_double_clicked)
        self.copy.clicked.connect(self.on_copy_clicked)
        self.send.clicked.connect(self.on_send_clicked)
        self.open.clicked.connect(self.on_open_clicked)
        self.edit.clicked.connect(self.on_edit_clicked)
        self.resend.clicked.connect(self.on_resend_clicked)
        self.retry.clicked.connect(self.on_retry_clicked)
        self.fix.clicked.connect(self.open_mail_settings)
        self.cancel.clicked.connect(self.on_cancel_clicked)
        self.delete.clicked.connect(self.on_delete_clicked)
        self.undo_bar.due.connect(self.on_cancel_due)
        self.undo_bar.undone.connect(self.on_cancel_undone)

    def refresh(self) -> None:
        chosen = self.selected()
        time_zone = self._app.profile_zone()
        rows: list[list[Any]] = []
        keys: list[Key] = []
        self._statuses.clear()
        self._has_links.clear()
        self._deliveries.clear()
        self._entries.clear()
        for draft_id, title, updated_at in self._app.drafts():
            state = self._app.load_draft(draft_id)
            rows.append(draft_row(title, updated_at, state, time_zone))
            keys.append(("draft", draft_id))
            self._statuses[keys[-1]] = UNFINISHED
        for entry in self._app.invitation_list():
            invitation_id = entry.invitation.id or 0
            delivery = self._app.delivery(entry.invitation)
            rows.append(invitation_row(entry, delivery, time_zone))
            keys.append(("invitation", invitation_id))
            self._deliveries[keys[-1]] = delivery
            self._entries[keys[-1]] = entry
            self._statuses[keys[-1]] = entry.invitation.status.value
            if entry.links.url:
                self._has_links.add(keys[-1])
        self.model.set_rows(rows, keys)
        if chosen is not None:
            select_key(self.view, chosen)
        self.on_selection_changed()

    def selected(self) -> Key | None:
        key = selected_key(self.view)
        return key if isinstance(key, tuple) else None

    @Slot()
    def on_filter_changed(self) -> None:
        self.proxy.set_allowed(self.filter.currentData() or frozenset())
        self.on_selection_changed()

    @Slot()
    def on_selection_changed(self) -> None:
        key = self.selected()
        status = self._statuses.get(key) if key else None
        self.copy.setEnabled(key in self._has_links)
        self.send.setEnabled(status in (UNFINISHED, InvitationStatus.DRAFT.value))
        self.open.setEnabled(status == UNFINISHED)
        waits_for_undo = key is not None and key[1] in self._cancelling
        self.edit.setEnabled(
            status in (InvitationStatus.PENDING.value, InvitationStatus.DRAFT.value)
            and not waits_for_undo
        )
        self.delete.setEnabled(status == UNFINISHED)
        self.resend.setEnabled(
            status in (InvitationStatus.PENDING.value, InvitationStatus.SCHEDULED.value)
        )
        self._show_history(key)
        self.cancel.setEnabled(
            status in (InvitationStatus.DRAFT, InvitationStatus.PENDING, InvitationStatus.SCHEDULED)
            and not waits_for_undo
        )
        delivery = self._deliveries.get(key) if key else None
        self.retry.setEnabled(delivery is not None and delivery.can_retry)
        self.fix.setVisible(delivery is not None and delivery.fix_in_mail_settings)
        unfinished = status == UNFINISHED
        for button in (self.open, self.delete):
            button.setVisible(unfinished)
        for button in (self.copy, self.edit, self.resend, self.retry, self.cancel):
            button.setVisible(not unfinished)
        self.send.setVisible(unfinished or status == InvitationStatus.DRAFT.value)
        self.detail.setText(self._detail_text(key))

    def _detail_text(self, key: Key | None) -> str:
        """The selected invitation in a few lines: who, what, and how far it got."""
        entry = self._entries.get(key) if key else None
        delivery = self._deliveries.get(key) if key else None
        if entry is None or delivery is None:
            if key is not None:
                return "An unfinished invitation: open it to continue in the wizard."
            empty = self.model.rowCount() == 0
            return "No invitations yet: invite a customer from the Schedule page." if empty else ""
        invitation = entry.invitation
        zone = self._app.profile_zone()
        lines = [
            f"<b>{html.escape(invitation.details.subject)}</b> with "
            f"{html.escape(invitation.participant.name)} "
            f"&lt;{html.escape(invitation.participant.email)}&gt;",
            f"Delivery: {html.escape(delivery_text(delivery, zone) or 'nothing to deliver')}",
        ]
        if delivery.kind == DeliveryKind.FAILED and delivery.attempts:
            tries = "1 attempt" if delivery.attempts == 1 else f"{delivery.attempts} attempts"
            lines[-1] += f" ({tries}; retried automatically)"
        if entry.links.url:
            lines.append(f"Link: {html.escape(entry.links.url)}")
        reminders = offsets_text(invitation.notifications.reminders or ())
        lines.append(f"Reminders: {reminders}")
        return "<br>".join(lines)

    def _show_history(self, key: Key | None) -> None:
        """The selected invitation's history and where its email is, in the detail pane."""
        if key is None or key[0] != "invitation":
            self.history.setHtml("<p>Select an invitation to see its history.</p>")
            return
        app = self._app
        self.history.setHtml(
            history_html(
                app.invitation_history(key[1]), app.email_status(key[1]), app.profile_zone()
            )
        )

    @Slot()
    def on_double_clicked(self) -> None:
        key = self.selected()
        if key and key[0] == "draft":
            self.on_open_clicked()
        elif key in self._has_links:
            self.on_copy_clicked()

    @Slot()
    def on_copy_clicked(self) -> None:
        key = self.selected()
        if key is None:
            return
        links = self._app.invitation_links(key[1])
        copy_links(links.as_text(), links.as_html())
        self._bridge.show_info("The links are on the clipboard.")

    @Slot()
    def on_open_clicked(self) -> None:
        key = self.selected()
        if key and key[0] == "draft":
            state = self._app.load_draft(key[1])
            self.open_draft.emit(key[1], state)

    @Slot()
    def on_edit_clicked(self) -> None:
        key = self.selected()
        if key is None or key[0] != "invitation":
            return
        try:
            state = self._app.editable(key[1])
        except DomainError as error:  # booked or cancelled meanwhile
            self._bridge.show_error(str(error))
            self.refresh()
            return
        self.edit_requested.emit(key[1], state)

    @Slot()
    def on_delete_clicked(self) -> None:
        key = self.selected()
        if key and key[0] == "draft":
            self._app.delete_draft(key[1])
            self._after_change("The draft is deleted.")

    @asyncSlot()
    async def on_send_clicked(self) -> None:
        key = self.selected()
        if key is None:
            return
        with self._bridge.operation(self.send):
            created: CreatedInvitation | None
            if key[0] == "invitation":
                created = await self._app.send_draft(key[1])
            else:
                created = await self._send_unfinished(key[1])
            if created is not None:
                self._after_sent(created)

    async def _send_unfinished(self, draft_id: int) -> CreatedInvitation | None:
        state = self._app.load_draft(draft_id)
        try:
            invitation = state.invitation()
        except ValueError:
            self.open_draft.emit(draft_id, state)
            return None
        created = await self._app.create_invitation(invitation)
        self._app.delete_draft(draft_id)
        return created

    def _after_sent(self, created: CreatedInvitation) -> None:
        self._after_change(created.summary())
        self.sent.emit(created)

    @asyncSlot()
    async def on_resend_clicked(self) -> None:
        key = self.selected()
        if key is None:
            return
        with self._bridge.operation(self.resend):
            outcome = await self._app.resend_invitation(key[1])
            delivery = self._app.delivery(key[1])
            self._after_delivery(delivery, f"Invitation {key[1]}: {outcome}.")

    @asyncSlot()
    async def on_retry_clicked(self) -> None:
        key = self.selected()
        if key is None or key[0] != "invitation":
            return
        with self._bridge.operation(self.retry):
            delivery = await self._app.retry_delivery(key[1])
            self._after_delivery(delivery, "The invitation email is sent.")

    def _after_delivery(self, delivery: Delivery, sent: str) -> None:
        """Say what truly happened to the email: sent, queued, or why not."""
        if delivery.kind == DeliveryKind.FAILED:
            self.refresh()
            self.changed.emit()
            self._bridge.show_error(f"The invitation email could not be sent: {delivery.reason}")
            return
        queued = "The invitation email is queued and goes out in a moment."
        self._after_change(sent if delivery.kind == DeliveryKind.SENT else queued)

    @Slot()
    def open_mail_settings(self) -> MailSettingsDialog:
        dialog = MailSettingsDialog(self._app, self._bridge, self)
        dialog.finished.connect(self.on_mail_settings_closed)
        self.mail_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def on_mail_settings_closed(self) -> None:
        self.mail_dialog = None
        self.refresh()

    @Slot()
    def on_cancel_clicked(self) -> None:
        """Ask first: cancelling stops the customer's link (after a few seconds to undo)."""
        key = self.selected()
        entry = self._entries.get(key) if key else None
        if key is None or entry is None:
            return
        invitation = entry.invitation
        who = invitation.participant.name
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Cancel invitation")
        box.setText(f"Cancel the invitation to {who}?")
        if invitation.status == InvitationStatus.SCHEDULED:
            told = (
                "The booked meeting is taken out of the calendars, and the calendar tells "
                "its attendees."
            )
        else:
            told = f"{who} is not emailed; the link says the invitation is cancelled."
        box.setInformativeText(
            f"The link stops working. {told} You can undo it for {UNDO_SECONDS} seconds; "
            "nothing is sent before they are over."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("Cancel &invitation")
        box.button(QMessageBox.StandardButton.No).setText("&Keep it")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda answer, k=key, w=who: self.on_cancel_answered(answer, k, w))
        self.cancel_box = box
        box.open()

    def on_cancel_answered(self, answer: int, key: Key, who: str) -> None:
        self.cancel_box = None
        entry = self._entries.get(key)
        if answer != QMessageBox.StandardButton.Yes.value or entry is None:
            return
        invitation_id = key[1]
        self._cancelling[invitation_id] = entry.invitation.status
        self.undo_bar.offer(
            invitation_id,
            lambda left: (
                f"<b>Invitation to {html.escape(who)} cancelled.</b> "
                f"Its link stops working in {left} s."
            ),
        )
        self.on_selection_changed()
        self.undo_bar.undo.setFocus()

    @Slot(object)
    def on_cancel_undone(self, invitation_id: object) -> None:
        self._cancelling.pop(_invitation_id(invitation_id), None)
        self._after_change("The invitation is kept; its link works as before.")

    @Slot(object)
    def on_cancel_due(self, invitation_id: object) -> None:
        self.cancel_now(_invitation_id(invitation_id))

    async def finish_pending(self) -> None:
        """Make the cancellation that waits for its Undo now (the window is quitting)."""
        waiting = self.undo_bar.take()
        if waiting is not None:
            await self._cancel(_invitation_id(waiting))

    @asyncSlot(int)
    async def cancel_now(self, invitation_id: int) -> None:
        await self._cancel(invitation_id)

    async def _cancel(self, invitation_id: int) -> None:
        confirmed = self._cancelling.get(invitation_id)
        try:
            with self._bridge.operation(self.cancel):
                now = self._app.invitation(invitation_id)
                if confirmed is not None and now.status != confirmed:
                    # Booked (or expired) during the seconds to undo: what was confirmed
                    # no longer describes it, so nothing is cancelled without asking again.
                    self._after_change(
                        f"The invitation to {now.participant.name} is not cancelled: it is "
                        f"{STATUS_LABELS[now.status.value].lower()} now. Cancel it again if "
                        "you still want to."
                    )
                    return
                cancelled = await self._app.cancel_invitation(invitation_id)
                summary = self._app.cancellation_summary(cancelled)
                self._after_change(
                    f"The invitation is cancelled; its link no longer works. {summary}".strip()
                )
        finally:
            self._cancelling.pop(invitation_id, None)
            self.on_selection_changed()

    def _after_change(self, message: str) -> None:
        self._bridge.show_info(message)
        self.refresh()
        self.changed.emit()


def _invitation_id(payload: object) -> int:
    assert isinstance(payload, int)
    return payload
