"""What a keyboard user meets on a page: its Alt+letter mnemonics and its Tab order."""

from __future__ import annotations

import re
from collections import defaultdict

from inviteonce_desktop.ui.qt import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMainWindow,
    Qt,
    QTabWidget,
    QWidget,
)

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def _letter(text: str) -> str | None:
    match = _MNEMONIC.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Every Alt+letter a user can press on *root* as it is shown now, with what owns it."""
    owners: dict[str, list[str]] = defaultdict(list)

    def add(text: str) -> None:
        letter = _letter(text)
        if letter:
            owners[letter].append(text)

    for widget in root.findChildren(QWidget):
        if not (widget.isVisibleTo(root) and widget.isEnabled()):
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text())
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget.title())
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                add(widget.tabText(index))
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            add(action.text())
    return dict(owners)


def clashes(root: QWidget) -> dict[str, list[str]]:
    return {k: v for k, v in mnemonics(root).items() if len(v) > 1}


def tab_chain(root: QWidget, within: QWidget) -> list[QWidget]:
    """The widgets inside *within* that Tab visits, in the order it visits them."""

    def takes_tab(widget: QWidget) -> bool:
        return (
            bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and widget.isVisibleTo(root)
            and widget.isEnabled()
            and (widget is within or within.isAncestorOf(widget))
            and widget.focusProxy() is None
        )

    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and len(chain) < 1000:
        if takes_tab(widget) and widget not in chain:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def out_of_reading_order(root: QWidget, chain: list[QWidget]) -> list[tuple[str, str]]:
    """Consecutive stops where Tab goes up the page, or left within one row."""
    wrong = []
    for before, after in zip(chain, chain[1:], strict=False):
        a = before.mapTo(root, before.rect().topLeft())
        b = after.mapTo(root, after.rect().topLeft())
        a_bottom = a.y() + before.height()
        same_row = b.y() < a_bottom - 2 and a.y() < b.y() + after.height() - 2
        if (same_row and b.x() < a.x()) or (not same_row and b.y() < a.y()):
            wrong.append((_name(before), _name(after)))
    return wrong


def _name(widget: QWidget) -> str:
    text = widget.accessibleName() or getattr(widget, "text", lambda: "")()
    return f"{type(widget).__name__}({text})"
