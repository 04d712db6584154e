"""Settings → Reminders: what new invitations remind the customer, unless one says otherwise."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...core.errors import DomainError
from ...core.reminders import offsets_text
from ..messages import MessageBridge
from ..qt import QPushButton, QVBoxLayout, QWidget, Slot
from ..reminders_box import RemindersBox
from ..widgets import heading, hint


class RemindersPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.reminders = RemindersBox("New invitations", "Remind the customer, hours &before:")
        self.save = QPushButton("&Save reminders")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reminders", 2))
        layout.addWidget(
            hint(
                "Once a customer has booked, InviteOnce emails them these reminders before the "
                "meeting, with a link to change it. Each invitation can choose its own in the "
                "wizard's advanced settings."
            )
        )
        layout.addWidget(self.reminders)
        layout.addWidget(self.save)
        layout.addStretch(1)
        self.save.clicked.connect(self.on_save_clicked)
        self.refresh()

    def refresh(self) -> None:
        self.reminders.set_offsets(self._app.default_reminders())

    @Slot()
    def on_save_clicked(self) -> None:
        try:
            saved = self._app.set_default_reminders(self.reminders.offsets())
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        if saved:
            self._bridge.show_info(f"New invitations remind the customer {offsets_text(saved)}.")
        else:
            self._bridge.show_info("New invitations send the customer no reminder.")
