"""What a shot's render depends on, as one hash: a take made from other inputs is stale.

The hash covers every document fact that can change a shot's picture or sound: the shot itself
(not its takes, notes or transition, which the assembly applies), the characters and location it
uses, the project's format and style, for a chained shot the take it continues from, and the
continuity state in force at the shot as its rendered text (studio.continuity.prompt): the ledger's
entries count through their effect, so a change that leaves the state as it was re-renders nothing.

The project's mix settings (Project.mix: faders, ducking, loudness) are left out on purpose: they are
applied to the takes' stems when the cut is assembled or exported, so moving a fader re-renders nothing.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum

import studio.document_types  # noqa: F401  (registers the schema used by to_json)
from studio.continuity.prompt import continuity_prompt, continuity_prompts
from studio.project import Project
from studio.schema import to_json
from studio.shot import ContinuityLink, Shot
from studio.sound_spans import CueRun, all_cue_runs, cue_runs

# The number and transition are drawn at assembly (overlays, blends), never into a take, so
# renumbering or changing a transition re-renders nothing.
_SHOT_FIELDS_OUTSIDE_RENDER = ("takes", "active_take_id", "notes", "transition", "id", "number", "accepted_breaks", "continuity_changes", "approved")


class ShotStatus(StrEnum):
    NO_TAKE = "no take"
    CURRENT = "current"
    STALE = "stale"


def shot_render_inputs(project: Project, shot: Shot) -> dict:
    return _render_inputs(project, shot, continuity_prompt(project, shot), cue_runs(project, shot))


def _render_inputs(project: Project, shot: Shot, continuity: str, runs: tuple[CueRun, ...]) -> dict:
    shot_data = to_json(shot)
    for name in _SHOT_FIELDS_OUTSIDE_RENDER:
        shot_data.pop(name, None)
    for cast in shot_data["characters"]:
        cast.pop("changes", None)  # the ledger counts through "continuity" below: its effect, not its entries
    for cue in shot_data["sound_cues"]:
        if cue.get("span_shots") == 1:
            del cue["span_shots"]  # a cue in its own shot only hashes as before SoundCue.2, so no take goes stale
    cast_ids = sorted({c.character_id for c in shot.characters} | {d.character_id for d in shot.dialogue})
    characters = []
    for character_id in cast_ids:
        data = to_json(project.character(character_id))
        data.pop("embeddings", None)  # derived from the references, which are hashed
        data.pop("likeness_consent", None)  # permission, not pixels: granting or revoking it keeps takes current
        characters.append(data)
    location = None
    if shot.location_id is not None:
        location = to_json(project.location(shot.location_id))
        location.pop("embeddings", None)
    previous_take = None
    if shot.continuity is ContinuityLink.CHAIN:
        previous = project.previous_shot(shot.id)
        take = previous.active_take if previous else None
        previous_take = take.last_frame or take.id if take else None
    inputs = {
        "format": to_json(project.format),
        "style": project.style.value,
        "shot": shot_data,
        "characters": characters,
        "location": location,
        "chained_from": previous_take,
        "continuity": continuity,
    }
    if runs:  # a cue spanning shots: each shot of the span plays a slice that depends on all of their lengths
        inputs["cue_runs"] = [{"cue": to_json(run.cue), "offset": run.offset, "length": run.length} for run in runs]
    return inputs


def _without_schema_tags(value: object) -> object:
    # Tags name the stored form, not the render: a schema upgrade must not make every take stale.
    if isinstance(value, dict):
        return {k: _without_schema_tags(v) for k, v in value.items() if k != "schema"}
    if isinstance(value, list):
        return [_without_schema_tags(v) for v in value]
    return value


def _hash(inputs: dict) -> str:
    canonical = json.dumps(_without_schema_tags(inputs), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def shot_input_hash(project: Project, shot: Shot) -> str:
    return _hash(shot_render_inputs(project, shot))


def shot_status(project: Project, shot: Shot) -> ShotStatus:
    take = shot.active_take
    if take is None:
        return ShotStatus.NO_TAKE
    return ShotStatus.CURRENT if take.input_hash == shot_input_hash(project, shot) else ShotStatus.STALE


def stale_shots(project: Project) -> list[Shot]:
    continuity = continuity_prompts(project)  # one fold of the ledger for all shots, not one per shot
    runs = all_cue_runs(project)
    stale = []
    for shot in project.shots():
        take = shot.active_take
        if take is not None and take.input_hash != _hash(_render_inputs(project, shot, continuity[shot.id], runs.get(shot.id, ()))):
            stale.append(shot)
    return stale
