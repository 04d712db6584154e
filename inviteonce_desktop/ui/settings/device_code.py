"""The device-code sign-in shown in the window: the code, the page to enter it, Copy."""

from __future__ import annotations

import re

from ..qt import (
    QDialog,
    QDialogButtonBox,
    QGuiApplication,
    QLabel,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)

_URL = re.compile(r"https?://[^\s]+")
_CODE = re.compile(r"code\s+([A-Z0-9-]{4,})")


def parse_device_code(message: str) -> tuple[str, str]:
    """(code, URL) from the sign-in service's instructions; empty parts when absent."""
    url = _URL.search(message)
    code = _CODE.search(message)
    return (code.group(1) if code else "", url.group(0).rstrip(".,") if url else "")


class DeviceCodeBridge(QObject):
    """Carries the instructions from the sign-in's worker thread to the window."""

    shown = Signal(str)

    def show(self, message: str) -> None:
        self.shown.emit(message)


class DeviceCodeDialog(QDialog):
    """Non-modal: the sign-in goes on in the background until the code is entered."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in on another device")
        self.code, self.url = parse_device_code(message)
        self.code_label = QLabel(self.code)
        self.code_label.setObjectName("deviceCode")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.code_label.font()
        font.setPointSize(font.pointSize() * 2)
        font.setBold(True)
        self.code_label.setFont(font)
        self.url_label = QLabel(f'<a href="{self.url}">{self.url}</a>')
        self.url_label.setOpenExternalLinks(True)
        self.copy = QPushButton("&Copy code")
        self.copy.setAccessibleName("Copy the sign-in code")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("On a phone or another computer, open:"))
        layout.addWidget(self.url_label)
        layout.addWidget(QLabel("and enter this code:"))
        layout.addWidget(self.code_label)
        layout.addWidget(self.copy)
        hint = QLabel("This window closes by itself once you have signed in.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.copy.clicked.connect(self.on_copy_clicked)

    @Slot()
    def on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
