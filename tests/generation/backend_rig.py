"""What the video-backend tests share: one tiny shot of MAYA at the bar as a render request, a
render of it to one frame array, pictures to condition on, and taps that record what a backend
hands its pipeline. Each test module keeps the defaults its backend generates natively."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderer, ShotRenderRequest
from pipeline.progress import CancelToken, ProgressCallback, no_progress
from studio.camera import CameraMove, CameraMoveType, Direction
from studio.character import Character
from studio.frame_rate import FrameRate
from studio.location import Location, TimeOfDay, WorldState
from studio.project import StylePreset
from studio.shot import CharacterInShot, ContinuityLink, Shot, ShotSize

if TYPE_CHECKING:
    import torch

MAYA = Character(id="maya", name="MAYA", description="a woman in a red coat")
BAR = Location(id="bar", name="the bar", world=WorldState(TimeOfDay.NIGHT, "rain", "neon"))
PAN_LEFT = CameraMove(CameraMoveType.PAN, Direction.LEFT, 20)


def shot_request(
    *,
    frames: int,
    width: int,
    height: int,
    seed: int = 3,
    number: str = "1",
    description: str = "Maya waits at the counter",
    camera: CameraMove = PAN_LEFT,
    chained: bool = False,
    previous_last_frame: Path | None = None,
    references: tuple[Path, ...] = (),
    plate: Path | None = None,
    cache_dir: Path | None = None,
    continuity_text: str = "",
) -> ShotRenderRequest:
    """A close-up of MAYA waiting at the bar, `frames` long at 24 fps, rendered at `width` x `height`.
    A shot handed the previous take's last frame is chained, as the project only hands it to those."""
    shot = Shot(
        id=f"shot-{number}",
        number=number,
        duration=frames,
        description=description,
        size=ShotSize.CU,
        lens_mm=50,
        camera=camera,
        characters=[CharacterInShot("maya")],
        location_id="bar",
        seed=seed,
        continuity=ContinuityLink.CHAIN if chained or previous_last_frame is not None else ContinuityLink.CUT,
    )
    return ShotRenderRequest(
        shot=shot,
        width=width,
        height=height,
        frame_rate=FrameRate(24),
        style=StylePreset.NOIR,
        characters=(MAYA,),
        location=BAR,
        world=BAR.world,
        panel_path=None,
        previous_last_frame=previous_last_frame,
        sound_media={},
        seed=seed,
        input_hash="test",
        continuity_text=continuity_text,
        reference_images={"maya": references} if references else {},
        location_plate=plate,
        cache_dir=cache_dir,
    )


def render(renderer: ShotRenderer, request: ShotRenderRequest, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> np.ndarray:
    """The whole shot as one (frames, height, width, 3) array, so tests compare takes with one call."""
    return np.stack(list(renderer.render_frames(request, progress, cancel or CancelToken())))


def noise_image(seed: int, height: int, width: int) -> np.ndarray:
    """An RGB picture no model would produce by chance, so a match can only come from passing it through."""
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def write_png(path: Path, rgb: np.ndarray) -> Path:
    assert cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return path


def record_pipeline_calls(pipe: Any) -> list[dict[str, Any]]:
    """The keyword arguments each call of this one pipeline receives, in order; the real call still runs.

    Only this instance records (its class is swapped for a subclass), so two renderers in one test
    keep separate lists."""
    calls: list[dict[str, Any]] = []
    original = type(pipe).__call__

    def recording(self, *args, **kwargs):
        calls.append(kwargs)
        return original(self, *args, **kwargs)

    pipe.__class__ = type(f"Recording{type(pipe).__name__}", (type(pipe),), {"__call__": recording})
    return calls


def count_forwards(module: torch.nn.Module) -> list[int]:
    """One entry per forward pass of `module` from now on: an encoder that never runs leaves it empty."""
    calls: list[int] = []
    module.register_forward_hook(lambda *_: calls.append(1))
    return calls


def import_in_fresh_python(modules: tuple[str, ...], watched: set[str]) -> subprocess.CompletedProcess[str]:
    """Imports `modules` in a new interpreter, whose output lists which `watched` packages came along:
    this process has long imported them all."""
    code = f"import sys, {', '.join(modules)};print(sorted({{n.split('.')[0] for n in sys.modules}} & {set(watched)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=60)
