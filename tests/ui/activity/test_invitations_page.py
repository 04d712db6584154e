"""Activity → Invitations fits a 1040 px window: no sideways scrolling, long text elided."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inviteonce_desktop.application.requests import InvitationRequest
from inviteonce_desktop.ui.main_window import Page
from inviteonce_desktop.ui.qt import QApplication, QHeaderView, Qt
from inviteonce_desktop.ui.shell import Shell

LONG_EMAIL = "maximilian.alexander.vandenberghe-oppenheimer@customer-relations.example.com"


def test_the_invitations_table_does_not_scroll_sideways_at_1040_px(
    qtbot: QtBot, shell: Shell
) -> None:
    app = shell.window.app
    members = [m.id for m in app.members() if m.id is not None]
    for number in range(3):
        app.save_draft(
            InvitationRequest(
                participant_name=f"Maximilian Vandenberghe-Oppenheimer {number}",
                participant_email=f"{number}.{LONG_EMAIL}",
                subject="Quarterly planning review with the extended procurement team",
                team_member_ids=members,
            )
        )
    window = shell.window
    window.resize(1040, 700)
    window.show_page(Page.ACTIVITY)
    page = window.activity.invitations
    page.refresh()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    view = page.view
    assert page.model.rowCount() >= 3
    header = view.horizontalHeader()
    assert header.length() <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
    participant = next(
        column
        for column in range(page.model.columnCount())
        if page.model.headerData(column, Qt.Orientation.Horizontal) == "Participant"
    )
    assert header.sectionResizeMode(participant) == QHeaderView.ResizeMode.Stretch
    status, created = 0, page.model.columnCount() - 2
    for column in (status, created):
        assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.ResizeToContents
    index = page.proxy.index(0, participant)
    assert view.textElideMode() == Qt.TextElideMode.ElideRight
    assert LONG_EMAIL in str(index.data(Qt.ItemDataRole.ToolTipRole))
    # the times stay whole
    assert header.sectionSize(created) >= view.sizeHintForColumn(created)
