"""The cut's sound as stems for the mixer: dialogue, effects (SFX and ambience) and music.

Each stem is laid on the cut exactly as `sequence_audio` lays the mix: each shot's sound from its
first frame, cut to its length, hard cuts between shots (the picture's dissolves and fades do not
touch the sound), silence where a shot has no sound. So at every sample the three stems add up to
the mix, short of the limiter, which only acts on peaks above -0.9 dBFS.

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
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.assemble.clips import Clip
from pipeline.assemble.sequence import sample_at
from pipeline.audio.pcm import to_int16
from pipeline.audio.shot_mix import STEM_NAMES, mix_shot_stems
from pipeline.encode.video_writer import read_wav_s16_stereo
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from pipeline.render.request_builder import build_request
from studio.errors import StudioError
from studio.media_store import MediaStore
from studio.project import Project
from studio.take import Take

# Three stems each rounded to 16 bits once, against a mix rounded once: 2 steps apart at most.
SUM_TOLERANCE = 2


@dataclass
class SequenceStems:
    stems: dict[str, np.ndarray]  # stem name -> (samples, 2) int16, the whole cut
    warnings: list[str] = field(default_factory=list)


def _recorded_stems(store: MediaStore, take: Take) -> dict[str, np.ndarray] | None:
    """The take's own stems, or None where it has none (or one is missing or damaged: the missing
    media check names it, and the stems are made again from the document meanwhile)."""
    if not all(name in take.stems and store.exists(take.stems[name]) for name in STEM_NAMES):
        return None
    try:
        return {name: read_wav_s16_stereo(store.resolve(take.stems[name])) for name in STEM_NAMES}
    except (OSError, EOFError, ValueError, wave.Error):
        return None


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
        return None, f"{where}: its sound stems could not be made ({exc}); they are silent for this shot: fix that and re-render the shot"
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
    """Dialogue, effects and music for the whole cut, each exactly as long as the mix."""
    rate = project.format.frame_rate
    store = MediaStore(folder)
    total = sample_at(sum(c.duration for c in clips), rate)
    result = SequenceStems({name: np.zeros((total, 2), np.int16) for name in STEM_NAMES})
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
            stems = _recorded_stems(store, take)
            if stems is None:
                # The cache the take's lines were made with (TakeRecorder's), so they are not synthesised again.
                voices = voices or scratch.enter_context(_voice_cache_view(folder / "cache" / "voices"))
                stems, warning = _rendered_stems(project, folder, clip, mix, voices, cancel)
                if warning:
                    result.warnings.append(warning)
            # No further than the mix reaches, so a take shorter than its shot stays silent after its end.
            length = min(end - begin, len(mix))
            for name, samples in (stems or {}).items():
                placed = samples[:length]
                result.stems[name][begin : begin + len(placed)] = placed
    progress(ProgressEvent("stems", "export", len(clips), len(clips)))
    return result
