"""A shot as a text prompt: what a video model can be told about it in words."""

from __future__ import annotations

from pipeline.backends.base import ShotRenderRequest
from studio.camera import CameraMoveType
from studio.location import TimeOfDay, WorldState
from studio.project import StylePreset
from studio.shot import SHOT_SIZE_NAMES, Shot

STYLE_WORDS = {
    StylePreset.PENCIL: "pencil sketch storyboard, graphite lines on paper",
    StylePreset.INK: "ink drawing storyboard, bold black lines",
    StylePreset.CLEAN: "clean line art storyboard, flat shading",
    StylePreset.CINEMATIC: "cinematic film still, photographic, natural colour",
    StylePreset.NOIR: "film noir, black and white, hard shadows",
    StylePreset.ANIMATION: "animated film, stylised characters, soft colour",
}

# The video models' cards (LTX-Video, Wan) recommend a negative prompt against their typical artefacts.
NEGATIVE_PROMPT = "worst quality, inconsistent motion, blurry, jittery, distorted"


def shot_prompt(request: ShotRenderRequest) -> str:
    """The shot's description first (it matters most to the model), then framing, camera, look,
    world, cast and the continuity state in force, one sentence each."""
    shot = request.shot
    sentences: list[str] = []
    if shot.description.strip():
        sentences.append(shot.description.strip().rstrip("."))
    sentences.append(camera_phrase(shot))
    sentences.append(STYLE_WORDS.get(request.style, f"{request.style.value} style"))
    if request.location is not None:
        setting = "interior" if request.location.interior else "exterior"
        place = f"{setting}, {request.location.name}"
        if request.location.description.strip():
            place += f": {request.location.description.strip().rstrip('.')}"
        sentences.append(place)
    if request.world is not None and world_phrase(request.world):
        sentences.append(world_phrase(request.world))
    for character in request.characters:
        look = character.description.strip().rstrip(".")
        sentences.append(f"{character.name}: {look}" if look else character.name)
    text = ". ".join(sentences) + "."
    if request.continuity_text.strip():
        text += " " + request.continuity_text.strip()
    return text


def camera_phrase(shot: Shot) -> str:
    """Framing, lens and move in the words camera-trained prompts use: 'close-up, 50mm lens, camera pans left'."""
    framing = f"{SHOT_SIZE_NAMES[shot.size]}, {shot.lens_mm:g}mm lens"
    camera = "static camera" if shot.camera.type is CameraMoveType.STATIC else f"camera {shot.camera.describe()}"
    return f"{framing}, {camera}"


def world_phrase(world: WorldState) -> str:
    parts = [] if world.time_of_day is TimeOfDay.CONTINUOUS else [world.time_of_day.value]
    if world.lighting.strip():
        parts.append(f"{world.lighting.strip()} lighting")
    if world.weather.strip():
        parts.append(world.weather.strip())
    return ", ".join(parts)
