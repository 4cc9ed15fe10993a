"""Reading an editor's recut back: which shots, in which order, at which lengths.

Clips are matched to shots by what we wrote into them, never by guessing: the shot id in the
clip's `storyboard_studio` metadata (OTIO keeps it), its AAF user comments or its FCP7 log note, else the clip name
(`12A_T3` -> shot 12A), else the media file's name, which we named the same way. A clip that
matches nothing, or plays a shot a second time, is listed and left out. Only the first video track
is the cut; gaps close up and transitions are not carried back (each shot keeps its own). A clip
whose in-point the editor moved gives the shot a head trim, which its lines and sound cues follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

import opentimelineio as otio

from pipeline.export.errors import CutImportError
from pipeline.export.interchange import read_timeline
from pipeline.export.naming import parse_clip_name
from pipeline.export.timeline import METADATA_KEY, SHOT_ID_COMMENT
from studio.commands.cut import CutEntry
from studio.errors import EditError
from studio.project import Project
from studio.shot import Shot

_LOG_NOTE_ID = re.compile(re.escape(SHOT_ID_COMMENT) + r" (\S+)")


@dataclass(frozen=True)
class CutClip:
    position: int  # 1-based, in the cut's order
    name: str
    duration: int
    reason: str = "matches no shot of this project"

    def describe(self) -> str:
        return f"clip {self.position} '{self.name}' ({self.duration} frames)"


@dataclass
class CutReading:
    entries: list[CutEntry] = field(default_factory=list)
    unmatched: list[CutClip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _metadata_shot_id(clip: otio.schema.Clip) -> str | None:
    ours = clip.metadata.get(METADATA_KEY)
    if hasattr(ours, "get") and ours.get("shot_id"):
        return str(ours["shot_id"])
    aaf = clip.metadata.get("AAF")
    comments = aaf.get("UserComments") if hasattr(aaf, "get") else None
    if hasattr(comments, "get") and comments.get(SHOT_ID_COMMENT):
        return str(comments[SHOT_ID_COMMENT])
    fcp = clip.metadata.get("fcp_xml")
    logging_info = fcp.get("logginginfo") if fcp is not None and hasattr(fcp, "get") else None
    note = logging_info.get("lognote") if logging_info is not None and hasattr(logging_info, "get") else None
    match = _LOG_NOTE_ID.search(str(note)) if note else None
    return match.group(1) if match else None


def _media_stem(clip: otio.schema.Clip) -> str | None:
    reference = clip.media_reference
    url = getattr(reference, "target_url", None)
    if not url:
        return None
    return PurePosixPath(unquote(urlparse(url).path)).stem or None


def _shot_for(project: Project, clip: otio.schema.Clip) -> Shot | None:
    shot_id = _metadata_shot_id(clip)
    if shot_id:
        try:
            return project.shot(shot_id)
        except EditError:
            pass  # the shot was deleted since the export; the name may still say which shot it was
    for name in (clip.name, _media_stem(clip)):
        parsed = parse_clip_name(name) if name else None
        if parsed is None:
            continue
        try:
            return project.shot_by_number(parsed[0])
        except EditError:
            continue
    return None


def _picture_track(timeline: otio.schema.Timeline, reading: CutReading) -> otio.schema.Track:
    tracks = [t for t in timeline.video_tracks() if t.enabled and t.find_clips()]
    if not tracks:
        raise CutImportError("the edited timeline has no video clips")
    others = sum(len(t.find_clips()) for t in tracks[1:])
    if others:
        reading.notes.append(f"{others} clip(s) on video tracks above the first were ignored: the first video track is the cut")
    return tracks[0]


def match_cut(timeline: otio.schema.Timeline, project: Project) -> CutReading:
    rate = project.format.frame_rate
    reading = CutReading()
    track = _picture_track(timeline, reading)
    seen: dict[str, int] = {}
    position = 0
    off_rate = False
    for item in track:
        if isinstance(item, otio.schema.Transition):
            reading.notes.append("transitions in the cut are not carried back; each shot keeps its own transition")
            continue
        exact = item.duration().rescaled_to(rate.fps).value
        frames = round(exact)
        off_rate = off_rate or abs(exact - frames) > 1e-3
        if isinstance(item, otio.schema.Gap):
            if frames:
                reading.notes.append(f"a gap of {frames} frames after clip {position} was closed: storyboard shots play end to end")
            continue
        if not isinstance(item, otio.schema.Clip):
            continue
        position += 1
        shot = _shot_for(project, item)
        if shot is None:
            reading.unmatched.append(CutClip(position, item.name, frames))
        elif shot.id in seen:
            reading.unmatched.append(
                CutClip(position, item.name, frames, f"plays shot {shot.number} again (first at clip {seen[shot.id]}); a storyboard shot plays once")
            )
        else:
            seen[shot.id] = position
            reading.entries.append(CutEntry(shot.id, max(1, frames), head=_head_trim(item)))
    if off_rate:
        reading.notes.append(f"the cut's frame rate is not the project's {rate} fps: lengths were converted and rounded to whole frames")
    reading.notes = list(dict.fromkeys(reading.notes))
    return reading


def _head_trim(clip: otio.schema.Clip) -> int:
    """How many frames the editor took off the shot's start: the clip's in-point against the first frame
    of the shot in our media (after its handles). Known only where our metadata survived (OTIO); other
    formats give 0, and the new length then comes off the tail."""
    ours = clip.metadata.get(METADATA_KEY)
    if not hasattr(ours, "get") or ours.get("handles") is None or clip.source_range is None:
        return 0
    return round(clip.source_range.start_time.value - float(ours["handles"]))


def read_cut(path: Path, project: Project) -> CutReading:
    reading = match_cut(read_timeline(path, project.format.frame_rate), project)
    if not reading.entries:
        clips = len(reading.unmatched)
        raise CutImportError(
            f"{path}: none of its {clips} clip(s) match a shot of this project (by Storyboard Studio metadata or names like 12A_T3); nothing changed"
        )
    return reading
