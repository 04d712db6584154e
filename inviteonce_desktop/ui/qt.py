"""Every Qt import of the application goes through this module.

qasync is imported here too, after PySide6, so that it binds to PySide6.
"""

from asyncio import Task
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QDate,
    QElapsedTimer,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    QTime,
    QTimer,
    QTimeZone,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDesktopServices,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QSystemTrayIcon,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from qasync import QEventLoop
from qasync import asyncSlot as _async_slot


def _no_feature_scan() -> None:
    """Stop PySide6 reading the source of every module imported after it.

    Its import hook looks in each new module's text for ``from __feature__ import``
    (snake_case and true_property), keeping every file's lines in memory: some
    20 MiB for the application layer. This application selects no feature, so each
    module is known not to; the hook then only records that.
    """
    import sys

    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", lambda module: False)  # noqa: B010


_no_feature_scan()

_P = ParamSpec("_P")


def asyncSlot(  # noqa: N802
    *types: type,
) -> Callable[[Callable[_P, Coroutine[Any, Any, None]]], Callable[_P, Task[None]]]:
    """qasync's ``asyncSlot``, typed: calling the handler starts it as a task on the loop."""
    decorator: Callable[[Callable[_P, Coroutine[Any, Any, None]]], Callable[_P, Task[None]]]
    decorator = _async_slot(*types)
    return decorator


__all__ = [
    "QAbstractButton",
    "QAbstractItemView",
    "QAbstractSpinBox",
    "QAbstractListModel",
    "QAbstractTableModel",
    "QAction",
    "QApplication",
    "QButtonGroup",
    "QByteArray",
    "QCheckBox",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QCompleter",
    "QDate",
    "QDateEdit",
    "QDesktopServices",
    "QDialog",
    "QDialogButtonBox",
    "QDoubleSpinBox",
    "QElapsedTimer",
    "QEvent",
    "QEventLoop",
    "QFileDialog",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QIcon",
    "QInputDialog",
    "QKeyEvent",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListView",
    "QListWidget",
    "QListWidgetItem",
    "QMainWindow",
    "QMenu",
    "QMessageBox",
    "QMimeData",
    "QModelIndex",
    "QObject",
    "QPainter",
    "QPaintEvent",
    "QPalette",
    "QPixmap",
    "QResizeEvent",
    "QPersistentModelIndex",
    "QRect",
    "QPlainTextEdit",
    "QProgressBar",
    "QPushButton",
    "QRadioButton",
    "QScrollArea",
    "QSettings",
    "QShowEvent",
    "QSize",
    "QSizePolicy",
    "QSortFilterProxyModel",
    "QStringListModel",
    "QSpinBox",
    "QSplitter",
    "QStackedWidget",
    "QStandardItem",
    "QStandardItemModel",
    "QStatusBar",
    "QSystemTrayIcon",
    "QTabWidget",
    "QTableView",
    "QTextBrowser",
    "QTime",
    "QTimeEdit",
    "QTimer",
    "QTimeZone",
    "QToolButton",
    "QUrl",
    "QVBoxLayout",
    "QWidget",
    "QWizard",
    "QWizardPage",
    "Qt",
    "Signal",
    "Slot",
    "asyncSlot",
]
