"""Settings → Profile → Booking page: the accent colour, logo and photo customers see."""

from __future__ import annotations

from pathlib import Path

from ...application.facade import InviteOnce
from ...core.errors import DomainError
from ..messages import MessageBridge
from ..qt import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    Slot,
)
from ..widgets import hint

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp)"


class _ImageRow:
    """A logo or photo: what is chosen, a button to choose one, a button to remove it."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.data: bytes | None = None
        self.status = QLabel()
        self.choose = QPushButton(f"Choose {what}…")
        self.choose.setAccessibleName(f"Choose a {what} image")
        self.remove = QPushButton("Remove")
        self.remove.setAccessibleName(f"Remove the {what}")
        self.layout = QHBoxLayout()
        self.layout.addWidget(self.status, 1)
        self.layout.addWidget(self.choose)
        self.layout.addWidget(self.remove)
        self.show(None, "")

    def show(self, data: bytes | None, name: str) -> None:
        self.data = data
        if data is None:
            self.status.setText(f"No {self.what}")
        else:
            self.status.setText(f"{name or self.what.capitalize()}, {len(data) // 1024 + 1} KB")
        self.remove.setEnabled(data is not None)


class BrandingBox(QGroupBox):
    def __init__(self, app: InviteOnce, bridge: MessageBridge) -> None:
        super().__init__("Booking page")
        self._app = app
        self._bridge = bridge
        self.accent = QLineEdit()
        self.accent.setPlaceholderText("#0b7285")
        self.accent.setMaxLength(7)
        self.accent.setAccessibleName("Accent colour, as #rrggbb")
        self.swatch = QLabel()
        self.swatch.setFixedSize(24, 24)
        self.logo = _ImageRow("logo")
        self.photo = _ImageRow("photo")
        self.save = QPushButton("Save &booking page")
        accent_row = QHBoxLayout()
        accent_row.addWidget(self.accent, 1)
        accent_row.addWidget(self.swatch)
        form = QFormLayout()
        accent_label = QLabel("&Accent colour:")
        accent_label.setBuddy(self.accent)
        form.addRow(accent_label, accent_row)
        form.addRow("Logo:", self.logo.layout)
        form.addRow("Photo:", self.photo.layout)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Customers see these on your booking page, served by the relay itself. "
                "PNG, JPEG or WebP, up to 100 KB each. Nothing else of your calendar is shown."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.save)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.accent.textChanged.connect(self.on_accent_changed)
        self.logo.choose.clicked.connect(lambda: self.on_choose(self.logo))
        self.photo.choose.clicked.connect(lambda: self.on_choose(self.photo))
        self.logo.remove.clicked.connect(lambda: self.logo.show(None, ""))
        self.photo.remove.clicked.connect(lambda: self.photo.show(None, ""))
        self.save.clicked.connect(self.on_save_clicked)

    def refresh(self) -> None:
        branding = self._app.branding()
        self.accent.setText(branding.accent_color or "")
        self.logo.show(branding.logo, "")
        self.photo.show(branding.photo, "")

    @Slot(str)
    def on_accent_changed(self, text: str) -> None:
        colour = text.strip() if len(text.strip()) == 7 else "transparent"
        self.swatch.setStyleSheet(f"background: {colour}; border: 1px solid palette(mid);")

    def on_choose(self, row: _ImageRow) -> None:
        name, _ = QFileDialog.getOpenFileName(self, f"Choose a {row.what}", "", IMAGE_FILTER)
        if name:
            self.load_image(row.what, Path(name))

    def load_image(self, what: str, path: Path) -> None:
        """Takes the image at *path* as the logo or photo, or says why not."""
        row = self.logo if what == "logo" else self.photo
        try:
            row.show(self._app.read_brand_image(path, what), path.name)
        except DomainError as error:
            self._bridge.show_error(str(error))

    @Slot()
    def on_save_clicked(self) -> None:
        try:
            self._app.set_branding(self.accent.text().strip(), self.logo.data, self.photo.data)
        except DomainError as error:
            self._bridge.show_error(str(error))
            return
        self._bridge.show_info(
            "The booking page is saved; invitations published from now on show it."
        )
