"""What stands for each shot in an export: its active take, or, without one, its panel or a slate.

Nothing here reads pixels; it only decides, per shot, which files to use and what to warn about,
so that the timeline, the media encoder, the PDF and the shot list all tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.export.naming import clip_name, safe_file_stem, unique_stems
from studio.commands.consent import revoked_likenesses
from studio.media_store import MediaStore
from studio.project import Project
from studio.render_inputs import ShotStatus, shot_status
from studio.shot import Shot
from studio.take import Take


@dataclass(frozen=True)
class ShotSource:
    shot: Shot
    sequence_name: str
    start: int  # frame on the project timeline
    take: Take | None
    name: str  # the clip name editors see: 12A_T3
    file_stem: str  # the same, made safe and unique for a file name
    status: ShotStatus
    video: Path | None  # the take's master file in the project, when it is there
    audio: Path | None
    still: Path | None  # the best picture for a storyboard panel: thumbnail, last frame, panel image
    problem: str | None  # why the take's picture cannot be used, for the warnings

    @property
    def duration(self) -> int:
        return self.shot.duration

    @property
    def take_label(self) -> str:
        return f"T{self.take.number}" if self.take else ""


def _existing(store: MediaStore, ref: str | None) -> Path | None:
    if not ref:
        return None
    path = store.resolve(ref)
    return path if path.is_file() else None


def _usable_take(shot: Shot) -> Take | None:
    """The active take, unless consent to a likeness it was made from has been revoked: it must not ship."""
    take = shot.active_take
    return None if take is None or revoked_likenesses(take.provenance) else take


def _revoked_problem(project: Project, shot: Shot) -> str | None:
    take = shot.active_take
    revoked = revoked_likenesses(take.provenance) if take is not None else []
    if not revoked:
        return None
    names = ", ".join(next((c.name for c in project.characters if c.id == cid), cid) for cid in revoked)
    return (
        f"shot {shot.number} take T{take.number}: consent to the likeness of {names} was revoked, so the take is left out and the shot's draft "
        f"animatic stands in for it as {clip_name(shot, None)}; re-render the shot without that likeness"
    )


def shot_sources(project: Project, folder: Path) -> list[ShotSource]:
    store = MediaStore(folder)
    starts = project.shot_starts()
    entries = [(sequence.name, shot) for sequence in project.sequences for shot in sequence.shots]
    names = [clip_name(shot, _usable_take(shot)) for _, shot in entries]
    stems = unique_stems([safe_file_stem(name, fallback=f"shot_{shot.id}") for name, (_, shot) in zip(names, entries, strict=True)])
    sources = []
    for (sequence_name, shot), name, stem in zip(entries, names, stems, strict=True):
        take = _usable_take(shot)
        video = audio = None
        problem = _revoked_problem(project, shot)
        if problem is not None:
            pass
        elif take is None:
            problem = f"shot {shot.number} has no take: its draft animatic ({'panel' if shot.panel else 'storyboard card'} and camera move) stands in for it as {name}"
        else:
            video = _existing(store, take.video)
            audio = _existing(store, take.audio)
            if video is None:
                missing = take.video or "(no video file recorded)"
                problem = f"shot {shot.number} take T{take.number}: media file {missing} is missing from the project folder; a slate stands in for it (re-render the shot or relink the file)"
        still = None
        if take is not None:
            still = _existing(store, take.thumbnail) or _existing(store, take.last_frame)
        still = still or _existing(store, shot.panel)
        sources.append(
            ShotSource(
                shot=shot,
                sequence_name=sequence_name,
                start=starts[shot.id],
                take=take,
                name=name,
                file_stem=stem,
                status=shot_status(project, shot),
                video=video,
                audio=audio,
                still=still,
                problem=problem,
            )
        )
    return sources
