"""Sound cues that run on across the cuts after their shot: a music cue with `span_shots` > 1.

A cue is written once, on the shot where it starts, and says how many shots it spans (its own and the
ones that follow it in the cut). Its sound is made once for the whole run and each shot plays its slice,
so the music carries across the cuts instead of restarting on every shot. A run is described per shot:

    shot 4 (48)        shot 5 (24)    shot 6 (36)
    |--cue start=12 span_shots=3 ------------------|
          offset 0     offset 48      offset 72        length = 48 + 24 + 36 - 12 = 96 frames

The offsets and the length depend on the durations of every shot in the span, so they are part of each
of those shots' render inputs (studio.render_inputs): trimming shot 5 re-renders shots 4, 5 and 6.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.project import Project
from studio.shot import Shot, SoundCue


@dataclass(frozen=True)
class CueRun:
    """A spanning cue as one shot of its span sees it."""

    cue: SoundCue  # as written on the shot that holds it
    cue_index: int  # its place in that shot's sound_cues
    shot_number: str  # the shot that holds it
    offset: int  # frames from the first frame of the shot that holds it to the first frame of this shot
    length: int  # frames the cue sounds in all: from its start to its end in the last shot it reaches
    shots: int  # how many shots it reaches: fewer than span_shots where the cut or the cue's duration ends first


def cue_runs(project: Project, shot: Shot) -> tuple[CueRun, ...]:
    """The spanning cues that sound in `shot`: its own (offset 0) first, then those carried in from earlier shots."""
    return all_cue_runs(project).get(shot.id, ())


def all_cue_runs(project: Project) -> dict[str, tuple[CueRun, ...]]:
    """cue_runs for every shot that has any, in one pass over the cut (shot id -> runs)."""
    shots = list(project.shots())
    runs: dict[str, list[CueRun]] = {}
    for index, shot in enumerate(shots):
        for cue_index, cue in enumerate(shot.sound_cues):
            if cue.span_shots <= 1 or not 0 <= cue.start < shot.duration:
                continue  # a cue that starts outside its shot is not placed there (the mix says so), so it runs nowhere
            reached = shots[index : index + cue.span_shots]
            span_end = sum(s.duration for s in reached)
            end = span_end if cue.duration is None else min(span_end, cue.start + cue.duration)
            if end <= cue.start:
                continue
            offsets, offset = [], 0
            for later in reached:
                if offset >= end:
                    break
                offsets.append((later, offset))
                offset += later.duration
            for later, offset in offsets:
                runs.setdefault(later.id, []).append(CueRun(cue, cue_index, shot.number, offset, end - cue.start, len(offsets)))
    # A shot's own runs (offset 0) come before those carried in, whatever order the cut produced them in.
    return {shot_id: tuple(sorted(found, key=lambda run: run.offset != 0)) for shot_id, found in runs.items()}
