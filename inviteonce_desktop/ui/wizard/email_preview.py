"""The invitation email as the customer will see it: on white paper, as tall as it is.

Mail programs show an email on a light background whatever the desktop theme,
and so does the preview; it grows to its text, so Step 3 scrolls once, not twice.
"""

from __future__ import annotations

from ..qt import QFrame, QResizeEvent, Qt, QTextBrowser

PAPER = "QTextBrowser#emailPreview { background-color: #ffffff; color: #1b1b1b; }"


class EmailPreview(QTextBrowser):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("emailPreview")
        self.setAccessibleName("Email preview")
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(PAPER)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().setDefaultStyleSheet("body, p, li, td { color: #1b1b1b; }")
        self.document().contentsChanged.connect(self.fit_height)

    def fit_height(self) -> None:
        document = self.document()
        document.setTextWidth(self.viewport().width())
        margins = self.contentsMargins()
        height = int(document.size().height()) + margins.top() + margins.bottom() + 4
        self.setFixedHeight(max(height, 60))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_height()
