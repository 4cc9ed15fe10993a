"""What a generation backend can do, and how a shot is mapped onto it.

Video models generate in blocks: sizes in multiples of the VAE's spatial compression, frame counts
of k*n+1, a native frame rate and a longest clip. A shot is generated at the nearest size the model
can make, at the model's own frame rate for the shot's length (capped at the longest clip), and
then fitted to exactly the shot's size and frame count; every such adjustment is said in a note.
A shot that asks for a condition the backend cannot take (a chained first frame, reference images)
is rendered without it and a note says so, with the fix: never silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from pipeline.backends.base import ShotRenderRequest


class Condition(StrEnum):
    FIRST_FRAME = "first frame"  # a chained shot continues from the previous take's last frame
    LAST_FRAME = "last frame"
    REFERENCE_IMAGES = "character reference images"
    IMAGE_EMBEDS = "image embeddings (IP-Adapter)"


@dataclass(frozen=True)
class BackendCapabilities:
    size_multiple: int
    frame_multiple: int  # frame counts are k * frame_multiple + 1
    native_fps: float
    max_frames: int
    min_size: int
    max_size: int  # longest side the model was trained for
    conditions: frozenset[Condition]
    vram_gb: float  # weights at bf16 plus activations at the default size, full GPU


@dataclass(frozen=True)
class GenerationPlan:
    width: int
    height: int
    frames: int  # generated frames, at fps
    fps: float
    notes: tuple[str, ...]  # what was adjusted, for the take's log and the user


def snap(value: int, multiple: int, low: int, high: int) -> int:
    return max(low, min(high, round(value / multiple) * multiple))


def plan_generation(capabilities: BackendCapabilities, request: ShotRenderRequest, backend: str) -> GenerationPlan:
    caps, notes = capabilities, []
    width, height = request.width, request.height
    longest = max(width, height)
    scale = min(1.0, caps.max_size / longest) if longest else 1.0
    gen_w = snap(round(width * scale), caps.size_multiple, caps.min_size, caps.max_size)
    gen_h = snap(round(height * scale), caps.size_multiple, caps.min_size, caps.max_size)
    if (gen_w, gen_h) != (width, height):
        notes.append(
            f"{request.label}: {backend} generates {gen_w}x{gen_h} (multiples of {caps.size_multiple} px, at most {caps.max_size}); scaled to {width}x{height}"
        )
    seconds = request.frame_count / request.fps
    fps = caps.native_fps if caps.native_fps > 0 else request.fps
    wanted = max(1, math.ceil(seconds * fps))
    blocks = math.ceil(max(0, wanted - 1) / caps.frame_multiple)
    frames = blocks * caps.frame_multiple + 1
    if frames > caps.max_frames:
        frames = (caps.max_frames - 1) // caps.frame_multiple * caps.frame_multiple + 1
        notes.append(
            f"{request.label} is {seconds:.1f} s but {backend} makes at most {frames / fps:.1f} s; the take is slowed to fill the shot "
            f"(split the shot or chain a second one for natural motion)"
        )
    return GenerationPlan(gen_w, gen_h, frames, fps, tuple(notes))


def check_conditions(capabilities: BackendCapabilities, request: ShotRenderRequest, backend: str, *, chained: bool, references: bool) -> list[str]:
    """Notes for what a shot asks that the backend cannot give, each with the fix. The shot is still
    rendered: a previz sequence with one shot out of continuity beats a hole in the cut, and the
    note (shown with the render's warnings, kept in the take's provenance) says what was lost."""
    notes = []
    if chained and Condition.FIRST_FRAME not in capabilities.conditions:
        notes.append(
            f"{request.label} is chained to the previous shot, but the {backend} backend cannot start from a given frame, so it starts afresh; "
            f"render it with wan or ltx to continue from the last frame, or set its continuity to cut"
        )
    if references and not capabilities.conditions & {Condition.REFERENCE_IMAGES, Condition.IMAGE_EMBEDS}:
        notes.append(
            f"{request.label}: the {backend} backend cannot take reference images, so likenesses come from the character descriptions; use wan or animatediff for the finals"
        )
    return notes


def source_indices(generated: int, generated_fps: float, wanted: int, shot_fps: float) -> list[int]:
    """Which generated frame shows at each of the shot's frames: the one at the same moment when the
    generated clip covers the shot (extra frames at the end are dropped, never squeezed in), else
    spread evenly so the clip is slowed to fill the shot rather than frozen at its end."""
    if wanted <= 0 or generated <= 0:
        return [0] * max(0, wanted)
    step = generated_fps / shot_fps if shot_fps > 0 and generated_fps > 0 else 1.0
    if round((wanted - 1) * step) <= generated - 1:
        return [round(index * step) for index in range(wanted)]
    if wanted == 1:
        return [0]
    return [round(index * (generated - 1) / (wanted - 1)) for index in range(wanted)]
