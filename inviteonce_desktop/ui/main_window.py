"""The main window: the workspace's team members, rooms and resource pools."""

from __future__ import annotations

from ..application.facade import InviteOnce
from .models import RowsModel
from .qt import QHeaderView, QLabel, QMainWindow, QTableView, QTabWidget, QVBoxLayout, QWidget


def _table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view


class MainWindow(QMainWindow):
    def __init__(self, app: InviteOnce) -> None:
        super().__init__()
        self._app = app
        self.setWindowTitle("InviteOnce")
        self.resize(960, 640)
        self.members_model = RowsModel(["Name", "Email", "Time zone", "Working hours"])
        self.rooms_model = RowsModel(["Name", "Email", "Capacity"])
        self.pools_model = RowsModel(["Name", "Members"])
        tabs = QTabWidget()
        tabs.addTab(_table(self.members_model, "Team members"), "&Team members")
        tabs.addTab(_table(self.rooms_model, "Rooms"), "&Rooms")
        tabs.addTab(_table(self.pools_model, "Resource pools"), "Resource &pools")
        self.profile_label = QLabel()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.profile_label)
        layout.addWidget(tabs)
        self.setCentralWidget(body)
        self.refresh()

    def refresh(self) -> None:
        profile = self._app.profile()
        self.profile_label.setText(
            f"{profile.name} <{profile.email}> · {profile.time_zone}"
            if profile
            else "No profile yet."
        )
        self.members_model.set_rows(
            [[m.name, m.email, m.time_zone, m.working_hours] for m in self._app.members()]
        )
        self.rooms_model.set_rows([[r.name, r.email, r.capacity] for r in self._app.rooms()])
        names = self._app.resource_names()
        self.pools_model.set_rows(
            [[p.name, ", ".join(names[k] for k in p.member_keys)] for p in self._app.pools()]
        )
