"""Editor-style keyboard shortcuts, in one table: the menus use it and Help lists it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

# action name -> (menu text, shortcuts, what it does); the first shortcut is the one menus show.
SHORTCUTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "new": ("&New Project", ("Ctrl+N",), "Start an empty project"),
    "open": ("&Open Project…", ("Ctrl+O",), "Open a Name.storyboard folder"),
    "save": ("&Save", ("Ctrl+S",), "Save the project (atomic; keeps project.json.bak)"),
    "save_as": ("Save &As…", ("Ctrl+Shift+S",), "Save the project to a new folder"),
    "quit": ("&Quit", ("Ctrl+Q",), "Quit (asks to save unsaved edits)"),
    "undo": ("&Undo", ("Ctrl+Z",), "Undo the last edit"),
    "redo": ("&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo"),
    "select_all": ("Select &All Shots", ("Ctrl+A",), "Select every shot"),
    "add_shot": ("&Add Shot", ("Ctrl+T",), "Add a shot after the selection (or at the end)"),
    "split": ("&Split at Playhead", ("B", "Ctrl+K"), "Blade: split the shot under the playhead"),
    "duplicate": ("D&uplicate", ("Ctrl+D",), "Duplicate the selected shots"),
    "delete": ("&Delete", ("Delete", "Backspace"), "Delete the selected shots (the cut closes up)"),
    "ripple_delete": ("&Ripple Delete", ("Shift+Delete",), "Delete and close the gap (shots always sit end to end)"),
    "prev_shot": ("Previous Shot", ("Up",), "Playhead to the start of the previous shot"),
    "next_shot": ("Next Shot", ("Down",), "Playhead to the start of the next shot"),
    "prev_frame": ("Previous Frame", ("Left",), "Step one frame back"),
    "next_frame": ("Next Frame", ("Right",), "Step one frame forward"),
    "mark_in": ("Mark &In", ("I",), "Set the in point at the playhead"),
    "mark_out": ("Mark &Out", ("O",), "Set the out point at the playhead (selects the shots in range)"),
    "zoom_in": ("Zoom In", ("=", "Ctrl+="), "Zoom the timeline in (also Ctrl+wheel)"),
    "zoom_out": ("Zoom Out", ("-", "Ctrl+-"), "Zoom the timeline out"),
    "zoom_fit": ("Zoom to Fit", ("Shift+Z",), "Fit the whole cut in the timeline"),
    "play": ("Play / Pause", ("Space",), "Play the animatic from the playhead"),
    "shuttle_back": ("Shuttle Back (J)", ("J",), "Back one second"),
    "stop": ("Stop (K)", ("K",), "Stop playback"),
    "shuttle_forward": ("Shuttle Forward (L)", ("L",), "Play; press again to play faster"),
    "loop": ("&Loop In/Out", ("Ctrl+L",), "Loop playback between the in and out points (I, O)"),
    "full_screen": ("&Full Screen Preview", ("F",), "The preview alone on the whole screen (Esc leaves)"),
    "leave_full_screen": ("Leave Full Screen", ("Esc",), "Back to the editing layout"),
    "render_stale": ("&Render All Stale", ("Ctrl+R",), "Render shots without a current take, then assemble"),
    "regenerate": ("Re&generate Shot", ("Ctrl+Shift+R",), "Render the selected shot again as a new take"),
    "cancel_render": ("&Cancel Render", ("Ctrl+.",), "Stop the render after the current frames"),
    "shortcuts": ("&Keyboard Shortcuts", ("F1",), "This list"),
}


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(620, 640)
        table = QTableWidget(len(SHORTCUTS), 3)
        table.setHorizontalHeaderLabels(["Command", "Keys", "What it does"])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, (text, keys, tip) in enumerate(SHORTCUTS.values()):
            for column, value in enumerate((text.replace("&", ""), "  or  ".join(keys), tip)):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)


class InputsKeepTheirKeys(QObject):
    """Bare-key editor shortcuts (arrows, Space, Delete, J/K/L, B …) yield to the widget being typed
    in: Up in a spin box steps the value, Space ticks a check box, instead of moving the playhead."""

    INPUTS = (QAbstractSpinBox, QComboBox, QAbstractItemView, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractButton)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            bare = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier))
            focus = QApplication.focusWidget()
            if bare and event.key() != Qt.Key.Key_Escape and isinstance(focus, self.INPUTS):
                if not isinstance(focus, QAbstractButton) or event.key() == Qt.Key.Key_Space:
                    event.accept()  # the focused input handles the key itself
        return False
