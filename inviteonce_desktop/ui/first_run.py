"""The first start: who you are, your organization's set-up, and which calendar to begin with."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from ..application.facade import InviteOnce
from ..application.provisioning import discover
from ..core.errors import DomainError
from .icons import icon
from .qt import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Slot,
)
from .widgets import heading, system_zone, zone_combo


class Start(Enum):
    BUILT_IN = "built-in"
    CONNECT = "connect"


class FirstRunDialog(QDialog):
    def __init__(
        self, app: InviteOnce, parent: QWidget | None = None, provisioning: Path | None = None
    ) -> None:
        super().__init__(parent)
        self._app = app
        self.choice: Start | None = None
        self.provisioning_file = provisioning or discover()
        self.use_provisioning = QCheckBox()
        self.choose_provisioning = QPushButton("&Organization set-up file...")
        self.choose_provisioning.setToolTip(
            "The provisioning file your admin gave you: sign-in clients, relay and mail."
        )
        self.setWindowTitle("Welcome to InviteOnce")
        self.setWindowIcon(icon("inviteonce"))
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.email = QLineEdit()
        self.email.setAccessibleName("Your email address")
        self.zone = zone_combo(system_zone(), "Your time zone")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.built_in = QPushButton(icon("calendar"), "Use the &built-in calendar")
        self.built_in.setDefault(True)
        self.connect_calendar = QPushButton(icon("add"), "&Connect a calendar...")
        form = QFormLayout()
        form.addRow("Your &name:", self.name)
        form.addRow("Your &email address:", self.email)
        form.addRow("Your &time zone:", self.zone)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_calendar)
        buttons.addStretch(1)
        buttons.addWidget(self.built_in)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Welcome"))
        layout.addWidget(
            QLabel(
                "Invitations go out in your name. Start on the built-in calendar, or connect yours."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.use_provisioning)
        layout.addWidget(self.choose_provisioning)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.built_in.clicked.connect(self.on_built_in_clicked)
        self.connect_calendar.clicked.connect(self.on_connect_clicked)
        self.choose_provisioning.clicked.connect(self.on_choose_provisioning_clicked)
        self._show_provisioning()

    def _show_provisioning(self) -> None:
        found = self.provisioning_file
        self.use_provisioning.setVisible(found is not None)
        if found is not None:
            self.use_provisioning.setText(f"Use your organization's set-up ({found.name})")
            self.use_provisioning.setToolTip(str(found))
            self.use_provisioning.setChecked(True)
            self.connect_calendar.setDefault(True)

    @Slot()
    def on_choose_provisioning_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Organization set-up file", "", "Provisioning file (*.toml)"
        )
        if path:
            self.provisioning_file = Path(path)
            self._show_provisioning()

    @Slot()
    def on_built_in_clicked(self) -> None:
        self._finish(Start.BUILT_IN)

    @Slot()
    def on_connect_clicked(self) -> None:
        self._finish(Start.CONNECT)

    def _finish(self, choice: Start) -> None:
        try:
            if self.provisioning_file is not None and self.use_provisioning.isChecked():
                self._app.apply_provisioning(self.provisioning_file)
            self._app.set_profile(self.name.text(), self.email.text(), self.zone.currentText())
        except DomainError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.choice = choice
        self.accept()
