"""Settings → Profile: the organizer's name, email, time zone, default calendar and
the language of the emails."""

from __future__ import annotations

from datetime import timedelta

from ...application.facade import InviteOnce
from ...core.errors import DomainError
from ...core.invitation import CalendarChoice
from ...core.languages import LANGUAGES
from ..messages import MessageBridge
from ..qt import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)
from ..widgets import heading, hint, system_zone, zone_combo
from .branding_box import BrandingBox
from .secrets_box import SecretsBox


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
        self.calendar = QComboBox()
        self.calendar.setAccessibleName("Default calendar")
        self.calendar.setToolTip("Booked meetings go to this calendar unless an invitation says.")
        self.language = QComboBox()
        self.language.setAccessibleName("Language of the emails")
        self.language.setToolTip(
            "Invitations, confirmations and cancellations to customers, and the team's notices,"
            " are written in this language. The booking page follows each customer's browser."
        )
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.change_lead = QSpinBox()
        self.change_lead.setRange(0, 24 * 30)
        self.change_lead.setSuffix(" h before the start")
        self.change_lead.setAccessibleName("Customers can reschedule or cancel until")
        self.change_lead.setToolTip("For new invitations; each invitation can say otherwise.")
        self.save = QPushButton("&Save profile")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Email address:", self.email)
        form.addRow("&Time zone:", self.zone)
        form.addRow("Meetings &go to:", self.calendar)
        form.addRow("Emails &written in:", self.language)
        form.addRow("Customers change meetings &until:", self.change_lead)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Profile", 2))
        layout.addWidget(
            hint("Invitations go out in your name; the wizard's time frame uses your time zone.")
        )
        layout.addLayout(form)
        layout.addWidget(self.save)
        self.branding = BrandingBox(app, bridge)
        layout.addWidget(self.branding)
        self.secrets = SecretsBox(app, bridge)
        layout.addWidget(self.secrets)
        layout.addStretch(1)
        self.save.clicked.connect(self.on_save_clicked)
        self.refresh()

    def refresh(self) -> None:
        self.calendar.clear()
        for option in self._app.calendar_options():
            self.calendar.addItem(option.label, option.choice.key())
        current = self.calendar.findData(self._app.default_calendar().key())
        self.calendar.setCurrentIndex(max(current, 0))
        profile = self._app.profile()
        if profile is not None:
            self.name.setText(profile.name)
            self.email.setText(profile.email)
            self.zone.setCurrentText(profile.time_zone)
            self.language.setCurrentIndex(max(self.language.findData(profile.language), 0))
        self.change_lead.setValue(int(self._app.change_lead_default().total_seconds() // 3600))
        self.branding.refresh()
        self.secrets.refresh()

    @Slot()
    def on_save_clicked(self) -> None:
        try:
            self._app.set_profile(
                self.name.text(),
                self.email.text(),
                self.zone.currentText(),
                str(self.language.currentData()),
            )
            key = self.calendar.currentData()
            if key:
                self._app.set_default_calendar(CalendarChoice.from_key(str(key)))
            self._app.set_change_lead_default(timedelta(hours=self.change_lead.value()))
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self._bridge.show_info("Your profile is saved.")
        self.changed.emit()
