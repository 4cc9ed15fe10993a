"""What a backend sees (one frozen request) and what it must do (yield the shot's frames).

A backend never sees the project: the engine resolves everything the shot needs — cast, place,
world state, panel file, the previous shot's last frame — into a ShotRenderRequest. Sound is not a
backend's job: the engine builds it from the dialogue and cues, the same for every backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from pipeline.progress import CancelToken, ProgressCallback
from studio.character import Character
from studio.errors import StudioError
from studio.frame_rate import FrameRate
from studio.location import Location, WorldState
from studio.project import StylePreset
from studio.shot import Shot
from studio.sound_spans import CueRun


class ShotRenderError(StudioError):
    """A shot that cannot be rendered as it stands; the message names the shot and the fix."""


@dataclass(frozen=True)
class ShotRenderRequest:
    shot: Shot  # a private copy: backends must not change it
    width: int
    height: int
    frame_rate: FrameRate
    style: StylePreset
    characters: tuple[Character, ...]  # the shot's cast, in the shot's order
    location: Location | None
    world: WorldState | None  # the state in force from the continuity ledger, with the shot's overrides
    panel_path: Path | None  # resolved storyboard still, if the shot has one
    previous_last_frame: Path | None  # for chained shots
    sound_media: dict[str, Path]  # the shot's sound-cue media references, resolved to files
    seed: int
    input_hash: str
    continuity_text: str = ""  # the continuity state in force as conditioning text (studio.continuity.prompt)
    reference_images: dict[str, tuple[Path, ...]] = field(default_factory=dict)  # character id -> resolved reference images
    location_plate: Path | None = None  # the location's establishing plate, resolved
    cache_dir: Path | None = None  # the project's cache folder, where model backends keep embeddings
    cue_runs: tuple[CueRun, ...] = ()  # cues spanning several shots that sound in this one: its own, then those carried in
    project_id: str | None = None  # whose project-only likeness consent covers this render (studio.consent); not a render input

    @property
    def frame_count(self) -> int:
        return self.shot.duration

    @property
    def fps(self) -> float:
        return self.frame_rate.fps

    @property
    def label(self) -> str:
        return f"shot {self.shot.number}"

    def character(self, character_id: str) -> Character | None:
        return next((c for c in self.characters if c.id == character_id), None)


class ShotRenderer(Protocol):
    name: str
    version: str  # part of the cache key: bump it when the same request renders differently

    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        """Yields exactly request.frame_count RGB uint8 frames of request.height x request.width x 3,
        checking `cancel` at least once per frame batch and reporting progress per frame or step."""
        ...


@runtime_checkable
class GenerationRenderer(ShotRenderer, Protocol):
    """A backend that runs a model: its takes must say how to reproduce them."""

    def render_settings(self) -> dict[str, str]:
        """Settings beyond backend and size that change the pixels (model weights, steps, guidance):
        part of the key under which a take is re-used, so changing one renders anew."""
        ...

    def take_provenance(self, request: ShotRenderRequest) -> dict[str, str]:
        """What a take made from `request` was generated with: model id, pipeline class, seed, steps,
        guidance, memory mode and the content hash of every conditioning input."""
        ...

    def take_notes(self, request: ShotRenderRequest) -> list[str]:
        """What the render of `request` could not do as asked, each with its fix (render warnings)."""
        ...


def check_frame_request(request: ShotRenderRequest) -> None:
    """What every generation backend refuses before loading anything: no frames, or no picture."""
    if request.frame_count <= 0:
        raise ShotRenderError(f"{request.label} has no frames (duration {request.frame_count}); give it a duration of at least one frame")
    if request.width <= 0 or request.height <= 0:
        raise ShotRenderError(
            f"{request.label}: cannot render a {request.width}x{request.height} picture; set the project's format to a positive width and height"
        )
