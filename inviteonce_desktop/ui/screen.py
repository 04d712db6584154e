"""Keeping windows on the screen they open on, whatever its size and scale factor."""

from __future__ import annotations

from .qt import QGuiApplication, QWidget

MARGIN = 16
"""Room left around a window that would fill the screen, for the desktop's own panels."""


def fit_to_screen(window: QWidget) -> None:
    """Shrink *window* to the available screen if it is larger, and move it fully onto it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = frame.width() - window.width()
    extra_h = frame.height() - window.height()
    width = min(window.width(), available.width() - extra_w - MARGIN)
    height = min(window.height(), available.height() - extra_h - MARGIN)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
    frame = window.frameGeometry()
    x = min(max(frame.x(), available.x()), available.right() - frame.width() + 1)
    y = min(max(frame.y(), available.y()), available.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, available.x()), max(y, available.y()))
