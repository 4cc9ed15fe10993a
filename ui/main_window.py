"""The main window: viewer in the middle, timeline along the bottom, inspector and takes on the
right, libraries and history on the left, render queue under the inspector; all docks movable."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QPushButton, QUndoView, QWidget

from studio.project_file import project_folder_for
from ui.actions import build_menus
from ui.document_controller import DocumentController
from ui.inspector.shot_inspector import ShotInspector
from ui.library.characters import CharacterLibrary
from ui.library.locations import LocationLibrary
from ui.preview_player import PreviewPlayer
from ui.recovery import discard_recovery, has_recovery, recovery_path
from ui.render_queue import RenderQueuePanel
from ui.render_state import RenderState
from ui.settings import RecentProjects, open_settings
from ui.shortcuts import InputsKeepTheirKeys, ShortcutsDialog
from ui.takes_browser import TakesBrowser
from ui.thumbnails import ThumbnailCache
from ui.timeline.edits import TimelineEdits
from ui.timeline.panel import TimelinePanel

APP_NAME = "Storyboard Studio"
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


def _stored_bytes(value: object) -> QByteArray:
    """A layout read back from the settings; anything else (absent, hand-edited) is no layout."""
    return value if isinstance(value, QByteArray) else QByteArray()


class MainWindow(QMainWindow):
    def __init__(self, controller: DocumentController, autosave_seconds: float = 60.0, settings: QSettings | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.settings = settings if settings is not None else open_settings()
        self.recent = RecentProjects(self.settings)
        self._full_screen_from: tuple[QByteArray, bool] | None = None  # layout to return to, was maximized
        self.render_state = RenderState(self)
        self.thumbnails = ThumbnailCache()
        self.edits = TimelineEdits(controller)
        self.last_message = ""
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.timeline = TimelinePanel(controller, self.edits, self.thumbnails, self.render_state)
        self.inspector = ShotInspector(controller)
        self.takes = TakesBrowser(controller, self.thumbnails)
        self.characters = CharacterLibrary(controller, self.thumbnails)
        self.locations = LocationLibrary(controller)
        self.history_view = QUndoView(controller.undo_stack)
        self.history_view.setEmptyLabel("Opened project")
        self.render_queue = RenderQueuePanel(controller, self.render_state, self.settings)
        self.preview = PreviewPlayer(controller, self.thumbnails)
        self.preview.range_provider = lambda: self.mark_range
        self.setCentralWidget(self.preview)

        self.docks: dict[str, QDockWidget] = {}
        self._dock("timeline", "Timeline", self.timeline, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._dock("inspector", "Shot Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("takes", "Takes", self.takes, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("characters", "Characters", self.characters, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("locations", "Locations", self.locations, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("history", "History", self.history_view, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("render", "Render Queue", self.render_queue, Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.docks["characters"], self.docks["history"], Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.docks["characters"], self.docks["locations"])
        self.docks["characters"].raise_()
        self.tabifyDockWidget(self.docks["takes"], self.docks["render"])
        self.docks["takes"].raise_()
        self.resizeDocks([self.docks["timeline"]], [300], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["characters"], self.docks["inspector"]], [250, 360], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["inspector"], self.docks["takes"]], [640, 260], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["characters"], self.docks["history"]], [560, 220], Qt.Orientation.Vertical)
        self._default_state = QByteArray()

        self.actions_by_name = build_menus(self)
        self.key_filter = InputsKeepTheirKeys(self)
        QApplication.instance().installEventFilter(self.key_filter)
        self.cursor_label = QLabel()
        self.statusBar().addPermanentWidget(self.cursor_label)
        self.relink_button = QPushButton("Relink…", objectName="relinkButton")
        self.relink_button.setToolTip("Find the missing media in a folder and copy it back into the project")
        self.relink_button.clicked.connect(lambda _checked=False: self.relink_dialog())
        self.relink_button.hide()
        self.statusBar().addPermanentWidget(self.relink_button)
        controller.missing_media_found.connect(lambda missing: self.relink_button.setVisible(bool(missing)))
        controller.project_replaced.connect(self.relink_button.hide)
        controller.message.connect(self.show_message)
        controller.modified_changed.connect(lambda _m: self.update_title())
        controller.project_replaced.connect(self.update_title)
        controller.selection_changed.connect(self._show_selection_summary)
        self.render_queue.sequence_ready.connect(self.preview.set_source)
        self.render_state.busy_changed.connect(lambda busy: self.cursor_label.setText("Rendering…" if busy else ""))

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(max(1, round(autosave_seconds * 1000)))
        self.autosave_timer.timeout.connect(controller.autosave)
        self.autosave_timer.start()
        self.resize(1600, 1000)
        self.restoreGeometry(_stored_bytes(self.settings.value(GEOMETRY_KEY)))
        self.update_title()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        self.docks[name] = dock

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._default_state.isEmpty():
            self._default_state = self.saveState()
            saved = _stored_bytes(self.settings.value(STATE_KEY))
            if not saved.isEmpty():
                self.restoreState(saved)  # after the default is kept, so Reset Layout still reaches it
            QTimer.singleShot(0, self.timeline.view.fit)

    def reset_layout(self) -> None:
        if not self._default_state.isEmpty():
            self.restoreState(self._default_state)

    def save_layout(self) -> None:
        self.leave_full_screen()  # the editing layout is the one to come back to
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        if not self._default_state.isEmpty():  # never shown: no layout of the user's to keep
            self.settings.setValue(STATE_KEY, self.saveState())
        self.settings.sync()

    # --- full-screen preview ----------------------------------------------------------------------
    @property
    def preview_full_screen(self) -> bool:
        return self._full_screen_from is not None

    def toggle_full_screen(self) -> None:
        if self.preview_full_screen:
            self.leave_full_screen()
            return
        self._full_screen_from = (self.saveState(), self.isMaximized())
        for dock in self.docks.values():
            dock.hide()
        self.menuBar().hide()
        self.statusBar().hide()
        self.showFullScreen()
        self.actions_by_name["leave_full_screen"].setEnabled(True)
        self.preview.setFocus()

    def leave_full_screen(self) -> None:
        if self._full_screen_from is None:
            return
        state, maximized = self._full_screen_from
        self._full_screen_from = None
        self.actions_by_name["leave_full_screen"].setEnabled(False)
        if maximized:
            self.showMaximized()
        else:
            self.showNormal()
        self.menuBar().show()
        self.statusBar().show()
        self.restoreState(state)

    # --- title and messages ---------------------------------------------------------------------
    def update_title(self) -> None:
        c = self.controller
        where = f" — {c.folder.name}" if c.folder else ""
        self.setWindowTitle(f"{c.project.title}{where}[*] — {APP_NAME}")
        self.setWindowModified(c.is_modified)

    def show_message(self, text: str, timeout_ms: int) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, timeout_ms)

    def _show_selection_summary(self) -> None:
        ids = self.controller.selected_ids
        if len(ids) > 1:
            frames = sum(self.controller.project.shot(i).duration for i in ids)
            self.statusBar().showMessage(f"{len(ids)} shots selected · {self.controller.project.format.frame_rate.timecode(frames)}", 4000)

    # --- file operations ------------------------------------------------------------------------
    def ask(self, title: str, text: str, buttons: QMessageBox.StandardButton, default: QMessageBox.StandardButton) -> QMessageBox.StandardButton:
        """One place for questions, so tests can answer them."""
        return QMessageBox.question(self, title, text, buttons, default)

    def confirm_discard(self) -> bool:
        """True when it is fine to drop the open project (saved, or the user chose)."""
        if not self.controller.is_modified:
            return True
        answer = self.ask(
            APP_NAME,
            f"Save changes to “{self.controller.project.title}” before closing?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _refuse_while_rendering(self) -> bool:
        if self.render_state.busy:
            self.show_message("A render is running on this project: wait for it or cancel it (Ctrl+.) first", 8000)
            return True
        return False

    def new_project(self) -> None:
        if self._refuse_while_rendering():
            return
        if self.confirm_discard():
            self.controller.close_cleanly()
            self.controller.new_project()

    def choose_folder(self, title: str) -> str:
        """One place for folder questions, so tests can answer them ("" when cancelled)."""
        return QFileDialog.getExistingDirectory(self, title)

    def open_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open Project (a .storyboard folder)")
        if path:
            self.open_path(path)

    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent.paths()
        for number, folder in enumerate(paths, start=1):
            action = QAction(f"&{number % 10} {folder.name}", menu)
            action.setToolTip(str(folder))
            action.setStatusTip(str(folder))
            action.setData(str(folder))
            action.triggered.connect(lambda _checked=False, f=folder: self.open_path(f))
            menu.addAction(action)
        if not paths:
            menu.addAction("No recent projects").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("Clear Recent Projects").triggered.connect(lambda _checked=False: self.recent.clear())

    def relink_dialog(self, folder: str | Path | None = None) -> bool:
        """Asks for a folder to search for the missing media (unless given one) and relinks from it."""
        if self.controller.folder is None:
            self.show_message("Nothing to relink: the project has not been saved yet", 8000)
            return False
        if folder is None:
            folder = self.choose_folder("Relink Missing Media: choose a folder to search")
        if not folder:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = self.controller.relink_media(folder)
        finally:
            QApplication.restoreOverrideCursor()
        if report is None:
            return False
        if report.relinked:
            self.thumbnails.set_store(self.controller.media)  # forget the thumbnails that were missing
            self.preview.load_existing()
            self.timeline.view.viewport().update()
        return True

    def open_path(self, path: str | Path) -> bool:
        if self._refuse_while_rendering() or not self.confirm_discard():
            return False
        folder = project_folder_for(path)
        if has_recovery(folder):
            stamp = datetime.fromtimestamp(recovery_path(folder).stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            answer = self.ask(
                "Recover unsaved edits?",
                f"Storyboard Studio did not close normally. Edits to this project autosaved at {stamp} were never saved.\n\n"
                "Recover them? (Discard opens the last save and deletes the autosave.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes and self.controller.restore_recovery(folder):
                self.recent.add(folder)
                return True
            discard_recovery(folder)
        self.controller.close_cleanly()
        opened = self.controller.open_project(path)
        if not opened:
            box = QMessageBox(QMessageBox.Icon.Warning, "Could not open the project", self.last_message, QMessageBox.StandardButton.Ok, self)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.open()  # not exec(): the app keeps running and tests are not blocked
            self.error_box = box
        else:
            self.recent.add(folder)
        return opened

    def save(self) -> bool:
        if self.controller.folder is None:
            return self.save_as_dialog()
        return self.controller.save()

    def save_as_dialog(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save Project As", f"{self.controller.project.title}.storyboard")
        saved = bool(path) and self.controller.save_as(path)
        if saved and self.controller.folder is not None:
            self.recent.add(self.controller.folder)
        return saved

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        self.save_layout()
        self.autosave_timer.stop()
        self.render_queue.shutdown()
        self.preview.shutdown()
        self.controller.close_cleanly()
        event.accept()

    # --- timeline navigation ------------------------------------------------------------------------
    def jump_shot(self, step: int) -> None:
        c = self.controller
        starts = sorted(c.project.shot_starts().values())
        if not starts:
            return
        if step > 0:
            target = next((s for s in starts if s > c.playhead), starts[-1])
        else:
            target = next((s for s in reversed(starts) if s < c.playhead), 0)
        c.set_playhead(target)
        self.timeline.view.scroll_to_frame(target)

    @property
    def mark_range(self) -> list[int | None]:
        return self.timeline.view.marks

    def mark_in(self) -> None:
        self.mark_range[0] = self.controller.playhead
        self.timeline.view.ruler.update()
        self.show_message(f"In point {self.controller.project.format.frame_rate.timecode(self.controller.playhead)}", 4000)

    def mark_out(self) -> None:
        self.mark_range[1] = self.controller.playhead
        self.timeline.view.ruler.update()
        first = self.mark_range[0] if self.mark_range[0] is not None else 0
        last = self.controller.playhead
        starts = self.controller.project.shot_starts()
        picked = [s.id for s in self.controller.project.shots() if starts[s.id] <= last and starts[s.id] + s.duration > first]
        self.controller.select(picked)
        self.show_message(f"Out point {self.controller.project.format.frame_rate.timecode(last)}: {len(picked)} shot(s) in range", 4000)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).open()

    def show_about(self) -> None:
        from ui.about.diagnostics_dialog import show_about

        self.about_dialog = show_about(self)

    def show_welcome(self) -> None:
        from ui.welcome.welcome_dialog import show_welcome

        self.welcome_dialog = show_welcome(self)
