"""An error shown across the top of the window until dismissed or replaced."""

from __future__ import annotations

from .qt import QFrame, QHBoxLayout, QLabel, QToolButton, Slot


class ErrorBanner(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("errorBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Error message")
        self.dismiss = QToolButton()
        self.dismiss.setText("✕")
        self.dismiss.setAccessibleName("Dismiss the error")
        self.dismiss.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.dismiss)
        self.dismiss.clicked.connect(self.hide)
        self.hide()

    @Slot(str)
    def show_error(self, text: str) -> None:
        self.text.setText(text)
        self.show()
