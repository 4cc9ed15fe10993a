"""The timeline's items, kept in step with the document incrementally.

Items are created once per shot and kept; after every edit `sync()` walks the shots once,
creating items only for new shots, dropping those of removed shots, moving the ones whose start
changed and repainting the ones whose content changed. Nothing is rebuilt wholesale, so a
thousand-shot project stays quick to edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from studio.commands import SetField
from studio.render_inputs import ShotStatus, shot_status
from studio.shot import Shot
from ui.document_controller import DocumentController
from ui.render_state import RenderState
from ui.thumbnails import ThumbnailCache
from ui.timeline.clip_item import ShotClipItem
from ui.timeline.lane_items import DIALOGUE_COLOR, SOUND_COLORS, LaneItem, dialogue_frames


@dataclass(frozen=True)
class TrackLayout:
    shots_y: float = 6
    clip_height: float = 96
    dialogue_y: float = 110
    lane_height: float = 22
    sound_y: float = 138
    sound_rows: int = 2

    @property
    def height(self) -> float:
        return self.sound_y + self.sound_rows * self.lane_height + 8

    def tracks(self) -> list[tuple[str, float, float]]:
        """(name, top, height) of each track, for the headers and the track backgrounds."""
        return [
            ("V1  Shots", self.shots_y, self.clip_height),
            ("D1  Dialogue", self.dialogue_y, self.lane_height),
            ("S1  Sound", self.sound_y, self.sound_rows * self.lane_height),
        ]


class TimelineScene(QGraphicsScene):
    def __init__(self, controller: DocumentController, thumbnails: ThumbnailCache, render_state: RenderState) -> None:
        super().__init__()
        self.controller = controller
        self.thumbnails = thumbnails
        self.render_state = render_state
        self.layout = TrackLayout()
        self.px_per_frame = 1.0
        self.clips: dict[str, ShotClipItem] = {}
        self.order: list[str] = []
        self.starts: dict[str, int] = {}
        self._lanes: dict[str, tuple[list, list, int, list[LaneItem]]] = {}  # the lists they show, and the items
        self._cast_key: tuple = ()
        self._status: dict[str, ShotStatus] = {}
        self._syncing_selection = False
        self.setBackgroundBrush(QColor("#1b1c1f"))
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        controller.project_replaced.connect(self.rebuild)
        controller.changed.connect(self.on_changed)
        controller.selection_changed.connect(self.show_selection)
        render_state.shot_changed.connect(self.repaint_shot)
        self.selectionChanged.connect(self._selection_from_items)
        self.rebuild()

    # --- building and syncing -------------------------------------------------------------------
    def rebuild(self) -> None:
        for item in list(self.clips.values()):
            self.removeItem(item)
        for entry in self._lanes.values():
            for lane in entry[3]:
                self.removeItem(lane)
        self.clips.clear()
        self._lanes.clear()
        self._status.clear()
        self.order = []
        self.starts = {}
        self._cast_key = ()
        self.thumbnails.set_store(self.controller.media)
        self.sync()

    def on_changed(self, command: object) -> None:
        self._invalidate_status(command)
        self.sync()

    def sync(self) -> None:
        project = self.controller.project
        fps = project.format.frame_rate.fps
        wpm = {c.id: c.voice.words_per_minute for c in project.characters}
        names = {c.id: c.name for c in project.characters}
        cast_key = (tuple(names.items()), tuple(wpm.items()), fps)
        relabel = cast_key != self._cast_key  # lane texts and lengths follow the cast's names and pace
        self._cast_key = cast_key
        old_starts = self.starts
        clips, lanes = self.clips, self._lanes
        shots_y = self.layout.shots_y
        seen: set[str] = set()
        order: list[str] = []
        starts: dict[str, int] = {}
        t = 0
        for seq_index, sequence in enumerate(project.sequences):
            for shot in sequence.shots:
                shot_id = shot.id
                seen.add(shot_id)
                order.append(shot_id)
                starts[shot_id] = t
                item = clips.get(shot_id)
                moved = old_starts.get(shot_id) != t
                if item is None:
                    item = ShotClipItem(self, shot, seq_index)
                    item.setPos(t, shots_y)
                    clips[shot_id] = item
                    self.addItem(item)
                else:
                    item.shot = shot  # a split or undo may put an equal but new object in place
                    item.color_index = seq_index
                    if moved:
                        item.setPos(t, shots_y)
                signature = (
                    shot.number,
                    shot.duration,
                    shot.active_take_id,
                    len(shot.takes),
                    shot.description,
                    shot.size,
                    shot.lens_mm,
                    shot.camera,
                    seq_index,
                )
                if signature != item.signature:
                    if item.signature and item.signature[1] != shot.duration:
                        item.geometry_changed()
                    item.signature = signature
                    item.setToolTip(f"Shot {shot.number} — {shot.size.value}, {shot.lens_mm:g} mm, {shot.camera.describe()}\n{shot.description}")
                    item.update()
                entry = lanes.get(shot_id)
                if relabel or entry is None or entry[0] is not shot.dialogue or entry[1] is not shot.sound_cues or entry[2] != shot.duration:
                    self._build_lanes(shot, t, fps, wpm, names)
                elif moved:
                    for lane in entry[3]:
                        lane.setX(t + lane.offset)
                t += shot.duration
        for gone in set(clips) - seen:
            self.removeItem(clips.pop(gone))
            for lane in lanes.pop(gone, (None, None, 0, []))[3]:
                self.removeItem(lane)
            self._status.pop(gone, None)
        if order != self.order:
            self._status.clear()  # a chained shot's status follows whatever now precedes it
        self.order, self.starts = order, starts
        self.setSceneRect(self.frame_rect(t))

    def _build_lanes(self, shot: Shot, start: int, fps: float, wpm: dict[str, int], names: dict[str, str]) -> None:
        """The dialogue and sound items of one shot (commands replace these lists, never mutate them)."""
        previous = self._lanes.get(shot.id)
        if previous is not None:
            for lane in previous[3]:
                self.removeItem(lane)
        lanes: list[LaneItem] = []
        layout = self.layout
        for line in shot.dialogue:
            if line.start >= shot.duration:
                continue
            frames = min(dialogue_frames(line.text, wpm.get(line.character_id, 160), fps), shot.duration - line.start)
            text = f"{names.get(line.character_id, '?')}: {line.text}"
            lanes.append(LaneItem(self, shot.id, line.start, frames, text, DIALOGUE_COLOR, layout.lane_height))
            lanes[-1].setY(layout.dialogue_y)
        for row, cue in enumerate(shot.sound_cues):
            if cue.start >= shot.duration:
                continue
            frames = min(cue.duration or shot.duration - cue.start, shot.duration - cue.start)
            item = LaneItem(self, shot.id, cue.start, frames, f"{cue.kind.value}: {cue.description}", SOUND_COLORS[cue.kind], layout.lane_height)
            item.setY(layout.sound_y + (row % layout.sound_rows) * layout.lane_height)
            lanes.append(item)
        for lane in lanes:
            lane.setX(start + lane.offset)
            self.addItem(lane)
        self._lanes[shot.id] = (shot.dialogue, shot.sound_cues, shot.duration, lanes)

    def frame_rect(self, total: int) -> QRectF:
        """The scene: x in frames with room after the last shot to drop and extend; y in pixels."""
        return QRectF(0, 0, total + max(48, total // 20), self.layout.height)

    def set_px_per_frame(self, px_per_frame: float) -> None:
        """The zoom the view shows; items keep frame geometry, so nothing moves in the scene."""
        self.px_per_frame = px_per_frame

    # --- status ---------------------------------------------------------------------------------
    def status_of(self, shot: Shot) -> ShotStatus:
        status = self._status.get(shot.id)
        if status is None:
            status = shot_status(self.controller.project, shot)
            self._status[shot.id] = status
        return status

    def _invalidate_status(self, command: object) -> None:
        shot_id = getattr(command, "shot_id", None)
        if isinstance(command, SetField):
            shot_id = command.target_id if command.target == "shot" else None
        if shot_id is None or not hasattr(command, "label"):
            self._status.clear()  # a cast, place, format or multi-shot edit: any shot may change
            self.update()
            return
        self._status.pop(shot_id, None)
        if shot_id in self.order:  # a chained next shot depends on this one's take
            index = self.order.index(shot_id)
            if index + 1 < len(self.order):
                self._status.pop(self.order[index + 1], None)
                self.repaint_shot(self.order[index + 1])
        self.repaint_shot(shot_id)

    def repaint_shot(self, shot_id: str) -> None:
        item = self.clips.get(shot_id)
        if item is not None:
            item.update()

    # --- selection ------------------------------------------------------------------------------
    def _selection_from_items(self) -> None:
        if self._syncing_selection:
            return
        picked = {i.shot.id for i in self.selectedItems() if isinstance(i, ShotClipItem)}
        ordered = [i for i in self.controller.selected_ids if i in picked] + [i for i in self.order if i in picked and i not in self.controller.selected_ids]
        self.controller.select(ordered)

    def show_selection(self) -> None:
        self._syncing_selection = True
        try:
            wanted = set(self.controller.selected_ids)
            for item in self.selectedItems():
                if isinstance(item, ShotClipItem) and item.shot.id not in wanted:
                    item.setSelected(False)
            for shot_id in wanted:
                item = self.clips.get(shot_id)
                if item is not None and not item.isSelected():
                    item.setSelected(True)
        finally:
            self._syncing_selection = False

    # --- text ----------------------------------------------------------------------------------
    def duration_text(self, frames: int) -> str:
        base = self.controller.project.format.frame_rate.timecode_base
        return f"{frames // base}:{frames % base:02d}"

    def clip_at_frame(self, frame: int) -> ShotClipItem | None:
        for shot_id in self.order:
            start = self.starts[shot_id]
            if start <= frame < start + self.clips[shot_id].shot.duration:
                return self.clips[shot_id]
        return None
