"""The shot's dialogue lines as a small table: who speaks, at which frame, what they say."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from studio.project import Project
from studio.shot import DialogueLine, Shot


class DialogueEditor(QWidget):
    lines_edited = Signal(object)  # the new list[DialogueLine]

    def __init__(self) -> None:
        super().__init__()
        self._loading = False
        self._lines: list[DialogueLine] = []
        self._characters: list[tuple[str, str]] = []  # id, name
        self._max_start = 0
        self._state: tuple = ()
        self._shown: list[DialogueLine] = []  # what the table shows, which a cell edit changes first
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Character", "Frame", "Line"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(90)
        self.table.cellChanged.connect(self._cell_changed)
        add = QPushButton("Add line", toolTip="Add a dialogue line spoken by the first character in the shot")
        remove = QPushButton("Remove line", toolTip="Remove the selected dialogue line")
        add.clicked.connect(self.add_line)
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_shot(self, project: Project, shot: Shot) -> None:
        state = (shot.id, [(c.id, c.name) for c in project.characters], max(0, shot.duration - 1), [c.character_id for c in shot.characters])
        self._lines = list(shot.dialogue)
        if self._lines == self._shown and state == self._state:
            return  # already showing it (and never rebuild the row whose edit is being applied)
        self._state = state
        self._shown = list(self._lines)
        self._loading = True
        try:
            self._characters = [(c.id, c.name) for c in project.characters]
            self._max_start = max(0, shot.duration - 1)
            self._cast = [c.character_id for c in shot.characters]
            self.table.setRowCount(len(self._lines))
            for row, line in enumerate(self._lines):
                who = QComboBox()
                for cid, name in self._characters:
                    who.addItem(name, cid)
                who.setCurrentIndex(max(0, who.findData(line.character_id)))
                who.activated.connect(lambda _i, r=row: self._cell_changed(r, 0))
                self.table.setCellWidget(row, 0, who)
                start = QSpinBox(minimum=0, maximum=self._max_start, value=min(line.start, self._max_start))
                start.editingFinished.connect(lambda r=row: self._cell_changed(r, 1))
                self.table.setCellWidget(row, 1, start)
                self.table.setItem(row, 2, QTableWidgetItem(line.text))
        finally:
            self._loading = False

    def _row_line(self, row: int) -> DialogueLine:
        old = self._lines[row]
        who = self.table.cellWidget(row, 0)
        start = self.table.cellWidget(row, 1)
        text_item = self.table.item(row, 2)
        return DialogueLine(who.currentData() or old.character_id, text_item.text() if text_item else old.text, start.value(), old.parenthetical)

    def _cell_changed(self, row: int, _column: int) -> None:
        if self._loading or row >= len(self._lines):
            return
        line = self._row_line(row)
        if line != self._lines[row]:
            lines = list(self._lines)
            lines[row] = line
            self._shown = lines
            self.lines_edited.emit(lines)

    def add_line(self) -> None:
        if not self._characters:
            return
        speaker = self._cast[0] if self._cast else self._characters[0][0]
        self._emit([*self._lines, DialogueLine(speaker, "New line", 0)])

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._lines):
            self._emit(self._lines[:row] + self._lines[row + 1 :])

    def _emit(self, lines: list[DialogueLine]) -> None:
        self.lines_edited.emit(lines)
