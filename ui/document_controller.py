"""The open project and everything that edits it: one History, one QUndoStack, one selection.

Views never change the document themselves: they call `execute(command)`. Views learn about
changes from `changed` (emitted by the History's observer after every do, undo and redo), so undo
updates them the same way an edit does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.commands import Command, History
from studio.errors import StudioError
from studio.media_store import MediaStore
from studio.project import Project, Sequence
from studio.project_file import load_project, missing_media, new_project_folder_path, project_folder_for, save_project
from studio.relink import RelinkReport, relink_missing_media
from studio.shot import Shot
from ui.recovery import discard_recovery, read_recovery, write_recovery
from ui.undo_bridge import UndoBridge

STATUS_MS = 8000


def empty_project(title: str = "Untitled") -> Project:
    return Project(title=title, sequences=[Sequence(id="sc1", name="1")])


class DocumentController(QObject):
    project_replaced = Signal()  # a different project (or a reloaded one) is open: rebuild views
    changed = Signal(object)  # the studio command that was done, undone or redone
    modified_changed = Signal(bool)
    selection_changed = Signal()
    playhead_changed = Signal(int)
    message = Signal(str, int)  # status-bar text, timeout in ms (0: until replaced)
    missing_media_found = Signal(list)  # the media references still missing after an open or a relink

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.project: Project = empty_project()
        self.folder: Path | None = None
        self.history = History(self.project)
        self.bridge = UndoBridge(self.history, self.undo_stack)
        self.selected_ids: list[str] = []
        self.playhead = 0
        self._restored_unsaved = False
        self._edits_since_autosave = 0
        self._install(self.project, None)

    # --- the open project ---------------------------------------------------------------------
    def _install(self, project: Project, folder: Path | None, restored: bool = False) -> None:
        self.undo_stack.clear()
        self.project = project
        self.folder = folder
        self.history = History(project)
        self.history.observers.append(self._on_history)
        self.bridge = UndoBridge(self.history, self.undo_stack)
        self.selected_ids = []
        self.playhead = 0
        self._restored_unsaved = restored
        self._edits_since_autosave = 1 if restored else 0
        self.project_replaced.emit()
        self.selection_changed.emit()
        self.playhead_changed.emit(0)
        self.modified_changed.emit(self.is_modified)

    def new_project(self, title: str = "Untitled") -> None:
        self._install(empty_project(title), None)

    def open_project(self, path: Path | str) -> bool:
        """Opens a project; a damaged one is reported and the current project stays open."""
        try:
            project = load_project(path)
        except StudioError as exc:
            self.message.emit(f"Could not open the project: {exc}", 0)
            return False
        folder = project_folder_for(path)
        self._install(project, folder)
        shots = sum(len(s.shots) for s in project.sequences)
        self.message.emit(f"Opened {project.title}: {shots} shots, {project.format.frame_rate.timecode(project.duration)}", STATUS_MS)
        self.report_missing_media()
        return True

    def restore_recovery(self, folder: Path) -> bool:
        try:
            project = read_recovery(folder)
        except StudioError as exc:
            self.message.emit(f"The recovery file could not be read ({exc}); the last save is open instead", 0)
            return False
        self._install(project, Path(folder), restored=True)
        self.message.emit("Recovered unsaved edits from the autosave; save to keep them", STATUS_MS)
        return True

    def report_missing_media(self) -> list[str]:
        if self.folder is None:
            return []
        missing = missing_media(self.project, self.folder)
        if missing:
            names = "; ".join(f"{m.reference} ({m.used_by})" for m in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            self.message.emit(f"{len(missing)} media file(s) missing: {names}{more}. The project stays editable; re-render or relink them.", 0)
        references = [m.reference for m in missing]
        self.missing_media_found.emit(references)
        return references

    def relink_media(self, search_folder: Path | str) -> RelinkReport | None:
        """Looks for the missing media under a folder and copies what it finds into the project;
        files found only by name are pointed at by an undoable edit."""
        if self.folder is None:
            self.message.emit("Save the project first: relinked media is copied into its media folder", STATUS_MS)
            return None
        try:
            report, command = relink_missing_media(self.project, self.folder, Path(search_folder))
        except (StudioError, OSError) as exc:
            self.message.emit(f"Relink stopped: {exc}", 0)
            return None
        if command is not None:
            self.execute(command)
        self.message.emit(report.summary(), 0 if report.still_missing else STATUS_MS)
        self.missing_media_found.emit(report.still_missing)
        return report

    def save(self) -> bool:
        if self.folder is None:
            return False
        return self.save_as(self.folder)

    def save_as(self, path: Path | str) -> bool:
        target = Path(path)
        if target.name != "project.json" and not target.exists():
            target = new_project_folder_path(target)
        try:
            folder = save_project(self.project, target)
        except StudioError as exc:
            self.message.emit(str(exc), 0)
            return False
        if self.folder is not None and self.folder != folder:
            discard_recovery(self.folder)
        self.folder = folder
        discard_recovery(folder)
        self.bridge.mark_saved()
        self._restored_unsaved = False
        self._edits_since_autosave = 0
        self.modified_changed.emit(False)
        self.message.emit(f"Saved {folder}", STATUS_MS)
        return True

    @property
    def is_modified(self) -> bool:
        return self.history.is_modified or self._restored_unsaved

    @property
    def media(self) -> MediaStore | None:
        return MediaStore(self.folder) if self.folder is not None else None

    # --- autosave ---------------------------------------------------------------------------------
    def autosave(self) -> Path | None:
        """Writes the recovery file if there are edits since the last save or autosave."""
        if self.folder is None or not self.is_modified or self._edits_since_autosave == 0:
            return None
        try:
            path = write_recovery(self.project, self.folder)
        except StudioError as exc:
            self.message.emit(str(exc), 0)
            return None
        self._edits_since_autosave = 0
        return path

    def close_cleanly(self) -> None:
        """The user chose to close (saved or discarded): no recovery is needed next time."""
        if self.folder is not None:
            discard_recovery(self.folder)

    # --- edits ------------------------------------------------------------------------------------
    def execute(self, command: Command) -> bool:
        """Runs one edit through the undo stack; a refused edit is shown in the status bar."""
        try:
            self.bridge.execute(command)
        except StudioError as exc:
            self.message.emit(str(exc), STATUS_MS)
            return False
        return True

    def _on_history(self, command: Command) -> None:
        self._edits_since_autosave += 1
        existing = {s.id for s in self.project.shots()}
        kept = [i for i in self.selected_ids if i in existing]
        if kept != self.selected_ids:
            self.selected_ids = kept
            self.selection_changed.emit()
        self.changed.emit(command)
        self.modified_changed.emit(self.is_modified)

    # --- selection and playhead -------------------------------------------------------------------
    def select(self, shot_ids: list[str]) -> None:
        if shot_ids != self.selected_ids:
            self.selected_ids = list(shot_ids)
            self.selection_changed.emit()

    @property
    def current_shot(self) -> Shot | None:
        if not self.selected_ids:
            return None
        try:
            return self.project.shot(self.selected_ids[-1])
        except StudioError:
            return None

    def set_playhead(self, frame: int) -> None:
        frame = max(0, min(int(frame), max(0, self.project.duration - 1)))
        if frame != self.playhead:
            self.playhead = frame
            self.playhead_changed.emit(frame)

    def shot_at(self, frame: int) -> tuple[Shot, int] | None:
        """The shot under a timeline frame and the frame's offset into it."""
        t = 0
        for shot in self.project.shots():
            if t <= frame < t + shot.duration:
                return shot, frame - t
            t += shot.duration
        return None
