"""The Farm setting of the render queue: render on this computer, or on a Ray cluster by its
address (ray://HOST:PORT) or an embedded one (local-ray). Kept in the app's settings."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from pipeline.farm.address import LOCAL, FarmAddress, parse_farm_address
from studio.errors import StudioError

FARM_KEY = "render/farm"
THIS_COMPUTER = "this computer"
HELP = (
    "Where shots render. Empty: this computer. ray://HOST:PORT: the Ray cluster whose head listens there "
    f"(every node needs Storyboard Studio with the [farm] extra). {LOCAL}: a Ray started on this computer."
)


class FarmSetting(QWidget):
    changed = Signal(object)  # FarmAddress, or None for this computer
    refused = Signal(str)  # why the typed address is not used

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self._settings = settings
        self.address: FarmAddress | None = None
        self.field = QLineEdit(placeholderText=f"{THIS_COMPUTER} — or ray://HOST:PORT, or {LOCAL}")
        self.field.setToolTip(HELP)
        self.field.setClearButtonEnabled(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Render on:"))
        layout.addWidget(self.field, 1)
        stored = str(settings.value(FARM_KEY, "") or "") if settings is not None else ""
        self.field.setText(stored)
        self._read(announce=False)
        self.field.editingFinished.connect(self._read)

    def _read(self, announce: bool = True) -> None:
        text = self.field.text().strip()
        try:
            address = parse_farm_address(text) if text else None
        except StudioError as exc:
            self.field.setStyleSheet("color: #c0392b;")
            self.field.setToolTip(str(exc))
            if announce:
                self.refused.emit(f"{exc}; rendering stays on {THIS_COMPUTER}")
            address = None
        else:
            self.field.setStyleSheet("")
            self.field.setToolTip(HELP)  # the refusal it may have shown no longer applies
            if self._settings is not None:
                self._settings.setValue(FARM_KEY, text)
        if address != self.address:
            self.address = address
            if announce:
                self.changed.emit(address)
