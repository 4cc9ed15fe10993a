"""Burnt-in animatic overlays: shot number and take, timecode, the line being spoken, the camera move."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.assemble.clips import Clip
from pipeline.text_drawing import draw_label, wrap_text
from studio.camera import CameraMoveType, Direction
from studio.frame_rate import FrameRate
from studio.shot import DialogueLine, Shot


@dataclass(frozen=True)
class OverlaySettings:
    shot_number: bool = True
    timecode: bool = True
    subtitles: bool = True
    camera_arrow: bool = True

    @property
    def any(self) -> bool:
        return self.shot_number or self.timecode or self.subtitles or self.camera_arrow

    def key(self) -> str:
        return "".join("1" if flag else "0" for flag in (self.shot_number, self.timecode, self.subtitles, self.camera_arrow))


NO_OVERLAYS = OverlaySettings(False, False, False, False)


def spoken_frames(line: DialogueLine, words_per_minute: int, rate: FrameRate) -> int:
    """How long a subtitle stays up: the line's reading time at the speaker's pace, plus a beat."""
    words = max(1, len(line.text.split()))
    return rate.seconds_to_frames(words * 60.0 / max(60, words_per_minute) + 0.4)


def line_at(shot: Shot, frame_in_shot: int, wpm: dict[str, int], rate: FrameRate) -> DialogueLine | None:
    lines = sorted(shot.dialogue, key=lambda d: d.start)
    for index, line in enumerate(lines):
        end = line.start + spoken_frames(line, wpm.get(line.character_id, 160), rate)
        if index + 1 < len(lines):
            end = min(end, lines[index + 1].start)
        if line.start <= frame_in_shot < end:
            return line
    return None


class OverlayPainter:
    def __init__(self, settings: OverlaySettings, rate: FrameRate, names: dict[str, str], wpm: dict[str, int], width: int, height: int) -> None:
        self.settings, self.rate, self.names, self.wpm = settings, rate, names, wpm
        self.scale = height / 720
        self.width, self.height = width, height

    def paint(self, frame: np.ndarray, clip: Clip, frame_in_shot: int, timeline_frame: int) -> np.ndarray:
        if not self.settings.any:
            return frame
        frame = frame.copy()
        s, margin = self.scale, int(18 * self.scale)
        if self.settings.shot_number:
            label = f"SHOT {clip.shot.number}" + (f"  {clip.take_label}" if clip.take_label else "") + ("  STALE" if clip.stale else "")
            draw_label(frame, label, (margin, margin), 0.7 * s, background=(150, 30, 30) if clip.stale else (0, 0, 0))
        if self.settings.timecode:
            text = self.rate.timecode(timeline_frame)
            (tw, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_DUPLEX, 0.7 * s, 1)
            draw_label(frame, text, (self.width - tw - margin - int(12 * s), margin), 0.7 * s)
        if self.settings.subtitles:
            line = line_at(clip.shot, frame_in_shot, self.wpm, self.rate)
            if line is not None:
                self._subtitle(frame, line)
        if self.settings.camera_arrow and clip.shot.camera.type is not CameraMoveType.STATIC:
            self._camera_arrow(frame, clip.shot)
        return frame

    def _subtitle(self, frame: np.ndarray, line: DialogueLine) -> None:
        s = self.scale
        speaker = self.names.get(line.character_id, "?")
        text = f"{speaker}: {line.text}"
        rows = wrap_text(text, int(self.width * 0.8), 0.8 * s, 1)[-2:]
        y = self.height - int(78 * s) - (len(rows) - 1) * int(34 * s)  # clear of the draft card's caption band
        for row in rows:
            (tw, th), _ = cv2.getTextSize(row, cv2.FONT_HERSHEY_DUPLEX, 0.8 * s, 1)
            draw_label(frame, row, ((self.width - tw) // 2 - 8, y - th - 8), 0.8 * s, color=(255, 240, 160), alpha=0.55)
            y += int(34 * s)

    def _camera_arrow(self, frame: np.ndarray, shot: Shot) -> None:
        s = self.scale
        cx, cy, r = self.width - int(70 * s), self.height - int(120 * s), int(26 * s)
        color, thick = (255, 220, 90), max(1, int(2 * s))
        move = shot.camera
        vectors = {Direction.LEFT: (-1, 0), Direction.RIGHT: (1, 0), Direction.UP: (0, -1), Direction.DOWN: (0, 1)}
        if move.type in (CameraMoveType.ZOOM, CameraMoveType.DOLLY_IN, CameraMoveType.DOLLY_OUT):
            inward = move.direction is Direction.IN
            for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1)):
                outer, inner = (cx + dx * r, cy + dy * r), (cx + dx * r // 3, cy + dy * r // 3)
                cv2.arrowedLine(frame, outer if inward else inner, inner if inward else outer, color, thick, cv2.LINE_AA, tipLength=0.4)
        elif move.type is CameraMoveType.ORBIT:
            pts = [(cx + int(r * math.cos(a)), cy + int(r * 0.45 * math.sin(a))) for a in np.linspace(0.2, math.pi - 0.2, 12)]
            if move.direction is Direction.RIGHT:
                pts.reverse()
            cv2.polylines(frame, [np.array(pts, np.int32)], False, color, thick, cv2.LINE_AA)
            # The head is twice the last (short) segment; OpenCV 4 takes tip lengths up to 1, so the
            # arrow starts two segments back along the same tangent instead.
            (x0, y0), (x1, y1) = pts[-2], pts[-1]
            cv2.arrowedLine(frame, (x1 - 2 * (x1 - x0), y1 - 2 * (y1 - y0)), (x1, y1), color, thick, cv2.LINE_AA, tipLength=1.0)
        elif move.type is CameraMoveType.HANDHELD:
            pts = [(cx - r + i * r // 4, cy + (r // 4 if i % 2 else -r // 4)) for i in range(9)]
            cv2.polylines(frame, [np.array(pts, np.int32)], False, color, thick, cv2.LINE_AA)
        elif move.direction in vectors:
            dx, dy = vectors[move.direction]
            cv2.arrowedLine(frame, (cx - dx * r, cy - dy * r), (cx + dx * r, cy + dy * r), color, thick + 1, cv2.LINE_AA, tipLength=0.35)
        label = move.describe().upper()
        (tw, _), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_DUPLEX, 0.5 * s, 1)
        draw_label(frame, label, (cx - tw // 2 - 6, cy + r + int(10 * s)), 0.5 * s, color=color, alpha=0.5, pad=4)
