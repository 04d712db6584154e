"""Meeting duration: the usual lengths one click away, any other in minutes."""

from __future__ import annotations

from ..qt import QComboBox, QHBoxLayout, QSpinBox, QWidget, Signal, Slot

PRESETS = (15, 30, 45, 60, 90)
CUSTOM = -1


def minutes_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


class DurationPicker(QWidget):
    """A choice of presets plus "Custom", which shows a minutes box."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.presets = QComboBox()
        self.presets.setAccessibleName("Meeting duration")
        for minutes in PRESETS:
            self.presets.addItem(minutes_text(minutes), minutes)
        self.presets.addItem("Custom...", CUSTOM)
        self.custom = QSpinBox()
        self.custom.setRange(5, 24 * 60)
        self.custom.setSingleStep(5)
        self.custom.setSuffix(" min")
        self.custom.setAccessibleName("Custom duration in minutes")
        self.custom.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.presets)
        layout.addWidget(self.custom)
        layout.addStretch(1)
        self.setFocusProxy(self.presets)
        self.presets.currentIndexChanged.connect(self.on_preset_chosen)
        self.custom.valueChanged.connect(self.changed)

    def value(self) -> int:
        chosen = int(self.presets.currentData())
        return self.custom.value() if chosen == CUSTOM else chosen

    def setValue(self, minutes: int) -> None:  # noqa: N802
        index = self.presets.findData(minutes)
        self.custom.setValue(minutes)
        self.presets.setCurrentIndex(index if index >= 0 else self.presets.findData(CUSTOM))
        self.custom.setVisible(index < 0)

    @Slot()
    def on_preset_chosen(self) -> None:
        custom = int(self.presets.currentData()) == CUSTOM
        self.custom.setVisible(custom)
        if custom:
            self.custom.setFocus()
        self.changed.emit()
