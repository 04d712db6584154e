"""Settings → Profile: the organizer's name, email and time zone."""

from __future__ import annotations

from ...application.facade import InviteOnce
from ...core.errors import DomainError
from ..messages import MessageBridge
from ..qt import QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal, Slot
from ..widgets import heading, hint, system_zone, zone_combo
from .branding_box import BrandingBox


class ProfilePage(QWidget):
    changed = Signal()

    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__()
        self._app = app
        self._bridge = bridge
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.email = QLineEdit()
        self.email.setAccessibleName("Your email address")
        self.zone = zone_combo(system_zone(), "Your time zone")
        self.save = QPushButton("&Save profile")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Email address:", self.email)
        form.addRow("&Time zone:", self.zone)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Profile", 2))
        layout.addWidget(
            hint("Invitations go out in your name; the wizard's time frame uses your time zone.")
        )
        layout.addLayout(form)
        layout.addWidget(self.save)
        self.branding = BrandingBox(app, bridge)
        layout.addWidget(self.branding)
        layout.addStretch(1)
        self.save.clicked.connect(self.on_save_clicked)
        self.refresh()

    def refresh(self) -> None:
        profile = self._app.profile()
        if profile is not None:
            self.name.setText(profile.name)
            self.email.setText(profile.email)
            self.zone.setCurrentText(profile.time_zone)
        self.branding.refresh()

    @Slot()
    def on_save_clicked(self) -> None:
        try:
            self._app.set_profile(self.name.text(), self.email.text(), self.zone.currentText())
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self._bridge.show_info("Your profile is saved.")
        self.changed.emit()
