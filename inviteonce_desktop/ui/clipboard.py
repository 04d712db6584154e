"""Putting links on the clipboard as plain text and as HTML, for mail programs and chats."""

from __future__ import annotations

from .qt import QGuiApplication, QMimeData


def copy_links(text: str, html: str) -> None:
    data = QMimeData()
    data.setText(text)
    if html:
        data.setHtml(html)
    QGuiApplication.clipboard().setMimeData(data)
