"""The cut's sound for the mixer: the mix, and its dialogue, effects (SFX and ambience) and music stems.

Each stem is laid on the cut as `sequence_audio` lays it: each shot's sound from its first frame, cut
to its length, hard cuts between shots (the picture's dissolves and fades do not touch the sound),
silence where a shot has no sound. The mix is made from them with the project's mix settings
(pipeline.audio.track_mix: faders, music ducked under dialogue, loudness normalised with a true-peak
ceiling), and the stems are written as they sound in it, so at every sample the three stems add up
to the mix (a muted track's stem is silent).

A take rendered before stems were kept has only its mix. Its stems are rendered from the document
with the shot mix's own code, which is deterministic (scratch voices are cached, placeholder sounds
seeded): they add up to the take's mix unless the shot's dialogue or cues changed since the take was
made, which is checked and reported. Export leaves the project folder as it was, voice cache
included: lines are read from the cache through links in a temporary folder, and lines missing
from it are synthesised there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.assemble.clips import Clip
from pipeline.assemble.sequence import recorded_stems, sample_at
from pipeline.audio.pcm import read_wav_s16_stereo, to_int16
from pipeline.audio.shot_mix import mix_shot_stems
from pipeline.audio.track_mix import TrackBuffers, mix_tracks
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from pipeline.render.request_builder import build_request
from studio.errors import StudioError
from studio.media_store import MediaStore
from studio.project import Project

# Three stems each rounded to 16 bits once, against a mix rounded once: 2 steps apart at most.
SUM_TOLERANCE = 2


@dataclass
class SequenceStems:
    mix: np.ndarray  # (samples, 2) int16, the whole cut mixed
    stems: dict[str, np.ndarray]  # stem name -> (samples, 2) int16 as it sounds in the mix
    warnings: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _voice_cache_view(voices: Path) -> Iterator[Path]:
    """A temporary folder that links to every line in the project's voice cache. Reads go through
    the links; the cache's writes (new lines, a damaged one made again) replace a link, never the file."""
    with tempfile.TemporaryDirectory(prefix="stem-voices-") as temporary:
        view = Path(temporary)
        if voices.is_dir():
            for entry in voices.iterdir():
                if entry.suffix == ".wav" and entry.is_file():
                    try:
                        os.symlink(entry, view / entry.name)
                    except OSError:  # Windows without the right to make links: a copy reads the same
                        shutil.copyfile(entry, view / entry.name)
        yield view


def _rendered_stems(
    project: Project, folder: Path, clip: Clip, mix: np.ndarray, voices: Path, cancel: CancelToken
) -> tuple[dict[str, np.ndarray] | None, str | None]:
    """The stems of a take that has none, rendered from the document, and a warning when they do
    not add up to the take's mix (or could not be rendered at all)."""
    shot, take = clip.shot, clip.shot.active_take
    assert take is not None
    where = f"shot {shot.number} take T{take.number}"
    try:
        request = build_request(project, folder, shot)
        rendered = mix_shot_stems(request, voices, cancel)
    except StudioError as exc:  # a missing cue file or reference image, no espeak-ng: the message names the fix
        return None, (
            f"{where}: its sound stems could not be made ({exc}); its recorded mix plays in the exported mix, "
            "but the stems are silent for this shot: fix that and re-render the shot"
        )
    stems = {name: to_int16(buffer).T for name, buffer in rendered.buffers.items()}
    remade = to_int16(rendered.mix()).T
    same = len(remade) == len(mix) and (not len(mix) or int(np.abs(remade.astype(np.int32) - mix).max()) <= SUM_TOLERANCE)
    if same:
        return stems, None
    return stems, (
        f"{where} was rendered before sound stems were kept and its dialogue or sound cues have changed since; "
        "its stems follow the shot as it is now and do not add up to its mix: re-render the shot"
    )


def sequence_stems(project: Project, folder: Path, clips: list[Clip], progress: ProgressCallback, cancel: CancelToken) -> SequenceStems:
    """The cut's mix and its dialogue, effects and music stems, each exactly as long as the cut."""
    rate = project.format.frame_rate
    store = MediaStore(folder)
    buffers = TrackBuffers.silent(sample_at(sum(c.duration for c in clips), rate))
    warnings: list[str] = []
    with contextlib.ExitStack() as scratch:
        voices: Path | None = None  # made for the first take without stems, if any
        for index, clip in enumerate(clips):
            cancel.raise_if_cancelled()
            progress(ProgressEvent("stems", "export", index, len(clips), f"shot {clip.shot.number}"))
            take = clip.shot.active_take
            if clip.audio is None or take is None:
                continue  # silent in the mix, so silent in every stem
            begin, end = sample_at(clip.start, rate), sample_at(clip.start + clip.duration, rate)
            mix = read_wav_s16_stereo(clip.audio)
            stems = recorded_stems(store, take)
            if stems is None:
                # The cache the take's lines were made with (TakeRecorder's), so they are not synthesised again.
                voices = voices or scratch.enter_context(_voice_cache_view(folder / "cache" / "voices"))
                stems, warning = _rendered_stems(project, folder, clip, mix, voices, cancel)
                if warning:
                    warnings.append(warning)
            # No further than the mix reaches, so a take shorter than its shot stays silent after its end.
            length = min(end - begin, len(mix))
            if stems is None:
                buffers.lay(None, begin, mix[:length])  # in the mix as recorded, though no stem can carry it
                continue
            for name, samples in stems.items():
                buffers.lay(name, begin, samples[:length])
    mixed = mix_tracks(buffers, project.mix, "the exported mix")
    progress(ProgressEvent("stems", "export", len(clips), len(clips)))
    return SequenceStems(mixed.mix_pcm(), {name: mixed.track_pcm(name) for name in mixed.tracks}, warnings + mixed.warnings)
