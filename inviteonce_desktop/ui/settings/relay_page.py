"""Settings → Relay: embedded on this computer, or a standalone relay at a URL."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...application.relay_host import RelaySettings
from ...core.errors import DomainError
from ..messages import MessageBridge
from ..qt import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    Slot,
    asyncSlot,
)
from ..widgets import heading, hint


class RelayPage(QWidget):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.embedded = QRadioButton("&Embedded: run the relay on this computer")
        self.standalone = QRadioButton("&Standalone relay at this URL:")
        self.lan = QCheckBox("Let computers on this network open the links (L&AN mode)")
        self.lan.setAccessibleDescription(
            "The embedded relay then listens on this computer's network address: anyone on "
            "this network can open the links, nobody outside it."
        )
        group = QButtonGroup(self)
        group.addButton(self.embedded)
        group.addButton(self.standalone)
        self.url = QLineEdit()
        self.url.setAccessibleName("Relay URL")
        self.url.setPlaceholderText("https://book.example.com")
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("Organizer key")
        self.key.setPlaceholderText(
            "printed by: inviteonce-relay organizers add (kept in the keyring)"
        )
        self.pairing = QLineEdit()
        self.pairing.setEchoMode(QLineEdit.EchoMode.Password)
        self.pairing.setAccessibleName("Pairing code")
        self.pairing.setPlaceholderText("iorelay1.… (printed by inviteonce-relay init)")
        self.pair = QPushButton("Pa&ir with this code")
        self.status = QLabel()
        self.status.setAccessibleName("Relay status")
        self.status.setWordWrap(True)
        self.save = QPushButton("Save rela&y settings")
        self.autostart = QCheckBox("Start InviteOnce when I log i&n")
        self.autostart.setAccessibleDescription(
            "InviteOnce then starts in the tray at login, so bookings, emails and calendar "
            "updates flow while the window is closed."
        )
        form = QFormLayout()
        form.addRow("Pairin&g code:", self.pairing)
        form.addRow("", self.pair)
        form.addRow(self.embedded)
        form.addRow("", self.lan)
        form.addRow(self.standalone)
        form.addRow("&URL:", self.url)
        form.addRow("Organizer &key:", self.key)
        form.addRow("Status:", self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Relay", 2))
        layout.addWidget(
            hint(
                "The relay serves the booking links. The embedded relay suits trying things out "
                "on this computer only: customers elsewhere cannot open its links. For customers "
                "on the internet, run a standalone relay and paste the pairing code that "
                "'inviteonce-relay init' printed."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.save)
        layout.addWidget(heading("While the window is closed", 3))
        layout.addWidget(
            hint(
                "Closing the window leaves InviteOnce running in the tray, so customers' "
                "bookings still reach your calendar. On a computer with no desktop session, "
                "run 'inviteonce agent' instead."
            )
        )
        layout.addWidget(self.autostart)
        layout.addStretch(1)
        self.standalone.toggled.connect(self.on_mode_toggled)
        self.save.clicked.connect(self.on_save_clicked)
        self.pair.clicked.connect(self.on_pair_clicked)
        self.autostart.toggled.connect(self.on_autostart_toggled)
        self.pairing.returnPressed.connect(self.on_pair_clicked)
        self.refresh()

    def refresh(self) -> None:
        settings = self._app.relay_settings()
        self.embedded.setChecked(settings.embedded)
        self.standalone.setChecked(not settings.embedded)
        self.url.setText(settings.url or "")
        self.lan.setChecked(settings.lan)
        self.on_mode_toggled(not settings.embedded)
        self.status.setText(self._app.relay_status())
        self.autostart.blockSignals(True)
        self.autostart.setChecked(self._app.autostart_state().enabled)
        self.autostart.blockSignals(False)

    @Slot(bool)
    def on_mode_toggled(self, standalone: bool) -> None:
        self.url.setEnabled(standalone)
        self.key.setEnabled(standalone)
        self.lan.setEnabled(not standalone)

    @Slot(bool)
    def on_autostart_toggled(self, enabled: bool) -> None:
        with self._bridge.operation(self.autostart):
            self._app.set_autostart(enabled)
            self._bridge.show_info(
                "InviteOnce starts when you log in."
                if enabled
                else "InviteOnce no longer starts when you log in."
            )
        self.autostart.blockSignals(True)
        self.autostart.setChecked(self._app.autostart_state().enabled)
        self.autostart.blockSignals(False)

    @asyncSlot()
    async def on_pair_clicked(self) -> None:
        code = self.pairing.text().strip()
        if not code:
            self._bridge.show_error("Paste the pairing code first.")
            return
        with self._bridge.operation(self.pair):
            url = await self._app.pair_relay(code)
            self.pairing.clear()
            self._bridge.show_info(f"Paired: new links are served by the relay at {url}.")
        self.refresh()

    @Slot()
    def on_save_clicked(self) -> None:
        current = self._app.relay_settings()
        if self.embedded.isChecked():
            settings = RelaySettings(True, None, current.port, self.lan.isChecked())
        else:
            settings = RelaySettings(False, self.url.text().strip() or None, current.port)
        try:
            self._app.configure_relay(settings, self.key.text().strip() or None)
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self.key.clear()
        self._bridge.show_info("The relay settings are saved; they apply to new invitations.")
        self.refresh()
