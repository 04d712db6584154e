"""A field with its own message under it: a red border, the sentence, the accessible description.

A page shows what is wrong with one field next to that field, and clears it as
soon as the field is fixed; banners are for what is no single field's fault.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .qt import QLabel, QVBoxLayout, QWidget

Check = Callable[[], Any]
"""Raises a DomainError whose sentence says what is wrong with the field."""


class FieldMessage(QWidget):
    """*field*, and under it the message that belongs to it (hidden while there is none)."""

    def __init__(self, field: QWidget, name: str = "") -> None:
        super().__init__()
        self.field = field
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(f"{name or field.accessibleName()}: problem")
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.message)
        self.setFocusProxy(field)

    @property
    def text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.field.setAccessibleDescription(text)
        self.field.setProperty("invalid", bool(text))
        style = self.field.style()
        style.unpolish(self.field)
        style.polish(self.field)

    def clear(self) -> None:
        self.show_message("")


def check_field(message: FieldMessage, check: Check) -> bool:
    """Run *check*; show its sentence next to the field, or clear it. Answers whether it passed."""
    from ..core.errors import DomainError

    try:
        check()
    except DomainError as error:
        message.show_message(str(error))
        return False
    message.clear()
    return True
