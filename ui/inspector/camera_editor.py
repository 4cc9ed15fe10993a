"""The camera move editor: type, direction (only those the move allows), amount, easing, with a
small curve of the easing so the feel of the move reads at a glance."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QWidget

from studio.camera import ALLOWED_DIRECTIONS, AMOUNT_MEANING, MAX_AMOUNT, CameraMove, CameraMoveType, Direction, Easing, ease


class EasingCurve(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.easing = Easing.LINEAR
        self.setFixedHeight(44)
        self.setToolTip("How the move accelerates over the shot (time →, travel ↑)")

    def set_easing(self, easing: Easing) -> None:
        self.easing = easing
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = self.rect().adjusted(4, 4, -4, -4)
        painter.fillRect(rect, QColor("#1d1e21"))
        path = QPainterPath()
        for i in range(41):
            t = i / 40
            point = QPointF(rect.left() + t * rect.width(), rect.bottom() - ease(self.easing, t) * rect.height())
            path.moveTo(point) if i == 0 else path.lineTo(point)
        painter.setPen(QPen(QColor("#f0b429"), 1.6))
        painter.drawPath(path)


class CameraEditor(QWidget):
    move_edited = Signal(object)  # the new CameraMove

    def __init__(self) -> None:
        super().__init__()
        self._loading = False
        self.move = CameraMove()
        self.type_box = QComboBox(toolTip="What the camera does over the shot")
        for kind in CameraMoveType:
            self.type_box.addItem(kind.value.replace("_", " "), kind)
        self.direction_box = QComboBox(toolTip="Which way the camera travels")
        self.amount = QDoubleSpinBox(decimals=2, singleStep=0.05)
        self.easing_box = QComboBox(toolTip="Acceleration over the shot")
        for easing in Easing:
            self.easing_box.addItem(easing.value.replace("_", " "), easing)
        self.curve = EasingCurve()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Move", self.type_box)
        form.addRow("Direction", self.direction_box)
        form.addRow("Amount", self.amount)
        form.addRow("Easing", self.easing_box)
        form.addRow("", self.curve)
        self.type_box.activated.connect(self._type_chosen)
        self.direction_box.activated.connect(lambda _i: self._emit())
        self.easing_box.activated.connect(lambda _i: self._emit())
        self.amount.editingFinished.connect(self._emit)

    def show_move(self, move: CameraMove) -> None:
        self._loading = True
        try:
            self.move = move
            self.type_box.setCurrentIndex(self.type_box.findData(move.type))
            self._fill_directions(move.type, move.direction)
            self.amount.setRange(0.0, MAX_AMOUNT[move.type])
            self.amount.setSingleStep(1.0 if MAX_AMOUNT[move.type] > 10 else 0.05)
            self.amount.setValue(move.amount)
            self.amount.setEnabled(move.type is not CameraMoveType.STATIC)
            self.amount.setToolTip(f"Amount: {AMOUNT_MEANING[move.type]} (0 to {MAX_AMOUNT[move.type]})")
            self.easing_box.setCurrentIndex(self.easing_box.findData(move.easing))
            self.curve.set_easing(move.easing)
        finally:
            self._loading = False

    def _fill_directions(self, kind: CameraMoveType, current: Direction) -> None:
        self.direction_box.clear()
        for direction in ALLOWED_DIRECTIONS[kind]:
            self.direction_box.addItem(direction.value, direction)
        index = self.direction_box.findData(current)
        self.direction_box.setCurrentIndex(max(0, index))
        self.direction_box.setEnabled(len(ALLOWED_DIRECTIONS[kind]) > 1)

    def _type_chosen(self, _index: int) -> None:
        kind = CameraMoveType(self.type_box.currentData())
        self._loading = True
        self._fill_directions(kind, self.move.direction)
        self.amount.setRange(0.0, MAX_AMOUNT[kind])
        if kind is CameraMoveType.STATIC:
            self.amount.setValue(0.0)
        elif self.amount.value() == 0.0:
            self.amount.setValue(MAX_AMOUNT[kind] * 0.15)  # a move of nothing is no move: start visible
        self._loading = False
        self._emit()

    def current_move(self) -> CameraMove:
        # Qt hands enum data back as plain strings: turn them back into the document's enums.
        direction = Direction(self.direction_box.currentData() or Direction.NONE)
        return CameraMove(CameraMoveType(self.type_box.currentData()), direction, round(self.amount.value(), 4), Easing(self.easing_box.currentData()))

    def _emit(self) -> None:
        if self._loading:
            return
        move = self.current_move()
        self.curve.set_easing(move.easing)
        if move != self.move:
            self.move = move
            self.move_edited.emit(move)

    def set_move(self, move: CameraMove) -> None:
        """Sets the widgets as a user would and emits the edit (used by shortcuts and tests)."""
        self.type_box.setCurrentIndex(self.type_box.findData(move.type))
        self._loading = True
        self._fill_directions(move.type, move.direction)
        self.amount.setRange(0.0, MAX_AMOUNT[move.type])
        self.amount.setValue(move.amount)
        self.easing_box.setCurrentIndex(self.easing_box.findData(move.easing))
        self._loading = False
        self._emit()
