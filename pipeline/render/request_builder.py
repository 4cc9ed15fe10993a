"""Resolving a shot and the document around it into the one request a backend sees."""

from __future__ import annotations

import copy
from pathlib import Path

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from studio.continuity.ledger import state_at
from studio.continuity.prompt import render_state
from studio.media_store import MediaStore
from studio.project import Project
from studio.render_inputs import shot_input_hash
from studio.shot import ContinuityLink, Shot
from studio.sound_spans import cue_runs


def _existing(store: MediaStore, ref: str, shot: Shot, what: str) -> Path:
    path = store.resolve(ref)
    if not path.is_file():
        raise ShotRenderError(f"shot {shot.number}: {what} {ref} is missing from the project folder; relink the file or remove it from the shot")
    return path


def build_request(project: Project, folder: Path, shot: Shot, size: tuple[int, int] | None = None) -> ShotRenderRequest:
    store = MediaStore(folder)
    if shot.duration <= 0:
        raise ShotRenderError(f"shot {shot.number} has no length (0 frames); give it a duration of at least one frame")
    problems = shot.camera.problems()
    if problems:
        raise ShotRenderError(f"shot {shot.number}: camera move cannot be rendered: {'; '.join(problems)}; fix it in the shot's camera settings")
    cast_ids = [c.character_id for c in shot.characters]
    for line in shot.dialogue:
        if line.character_id not in cast_ids:
            cast_ids.append(line.character_id)
    characters = tuple(project.character(cid) for cid in cast_ids)
    location = project.location(shot.location_id) if shot.location_id else None
    panel = _existing(store, shot.panel, shot, "panel image") if shot.panel else None
    runs = cue_runs(project, shot)  # music carried in from earlier shots plays its file here too
    cues = [*shot.sound_cues, *(run.cue for run in runs)]
    sound_media = {cue.media: _existing(store, cue.media, shot, f"sound file for cue '{cue.description}'") for cue in cues if cue.media}
    previous_last_frame = None
    if shot.continuity is ContinuityLink.CHAIN:
        previous = project.previous_shot(shot.id)
        take = previous.active_take if previous else None
        if take and take.last_frame and store.exists(take.last_frame):
            previous_last_frame = store.resolve(take.last_frame)
    reference_images = {
        character.id: tuple(_existing(store, ref, shot, f"reference image of {character.name}") for ref in character.reference_images)
        for character in characters
        if character.reference_images
    }
    plate = None
    if location is not None and location.establishing_plate:
        plate = _existing(store, location.establishing_plate, shot, f"establishing plate of {location.name}")
    width, height = size or (project.format.width, project.format.height)
    # The world as the ledger has it by this shot (changes logged earlier in the scene, then the
    # shot's own override), and the same state as text, so pictures and prompts agree.
    state = state_at(project, shot)
    return ShotRenderRequest(
        shot=copy.deepcopy(shot),
        width=width,
        height=height,
        frame_rate=project.format.frame_rate,
        style=project.style,
        characters=characters,
        location=location,
        world=state.world,
        continuity_text=render_state(project, shot, state),
        panel_path=panel,
        previous_last_frame=previous_last_frame,
        sound_media=sound_media,
        seed=shot.seed,
        input_hash=shot_input_hash(project, shot),
        reference_images=reference_images,
        location_plate=plate,
        cache_dir=folder / "cache",
        cue_runs=runs,
        project_id=project.id,
    )
