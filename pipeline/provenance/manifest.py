"""C2PA manifest definitions built from takes' generation records (`Take.provenance`).

A shot's file gets `c2pa.created` with the IPTC digital source type trainedAlgorithmicMedia, the
software agent "Storyboard Studio" and the model; a custom assertion carries the take's whole
generation record (model id, pipeline class, seed, steps, model fingerprint, input hashes); the
conditioning inputs (reference images of a character or cameo, location plate, first frame) are
listed as ingredients by title and content hash. An assembled sequence that holds generated takes
is compositeWithTrainedAlgorithmicMedia, with every generated take's record and ingredients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studio.take import Take

SOFTWARE_AGENT = "Storyboard Studio"
GENERATION_LABEL = "org.storyboardstudio.generation"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE = IPTC + "compositeWithTrainedAlgorithmicMedia"
MIME_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".wav": "audio/wav", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
INPUT_PREFIX = "input:"


def is_generated(take: Take | None) -> bool:
    """A take made by a model (not the draft animatic): it must carry content credentials."""
    return take is not None and (bool(take.provenance) or take.backend != "draft")


@dataclass(frozen=True)
class GeneratedTake:
    """One generated take as the manifest names it: its clip name (12A_T3) and the take."""

    name: str
    take: Take


def _ingredient_title(key: str, character_names: Mapping[str, str]) -> str:
    if key.startswith("character:"):
        character_id = key.removeprefix("character:")
        return f"reference images of {character_names.get(character_id, character_id)}"
    return key.replace("_", " ")


def ingredients(take: Take, character_names: Mapping[str, str]) -> list[dict[str, str]]:
    """The take's conditioning inputs (everything hashed in its record but the prompt) as C2PA ingredients."""
    found = []
    for key, digest in sorted(take.provenance.items()):
        if not key.startswith(INPUT_PREFIX) or key == f"{INPUT_PREFIX}prompt":
            continue
        name = key.removeprefix(INPUT_PREFIX)
        found.append({"title": _ingredient_title(name, character_names), "relationship": "inputTo", "instance_id": f"storyboard:{name}:{digest}"})
    return found


def _record(item: GeneratedTake) -> dict[str, object]:
    take = item.take
    return {
        "take": item.name,
        "backend": take.backend,
        "model_id": take.model_id or take.provenance.get("model_id", ""),
        "seed": take.seed,
        "input_hash": take.input_hash,
        "created": take.created,
        "generation": dict(take.provenance),
    }


def _created(source_type: str, models: Sequence[str]) -> dict[str, object]:
    return {
        "action": "c2pa.created",
        "digitalSourceType": source_type,
        "softwareAgent": {"name": SOFTWARE_AGENT},
        "parameters": {"models": list(models)},
    }


def manifest_for(title: str, suffix: str, takes: Sequence[GeneratedTake], character_names: Mapping[str, str], composite: bool) -> dict[str, object]:
    """The manifest definition for a file titled `title` holding `takes`: one take's own file, or
    (`composite`) a sequence assembled from takes."""
    if not takes:
        raise ValueError("a manifest needs at least one generated take")
    models = list(dict.fromkeys(str(_record(t)["model_id"]) for t in takes))
    source_type = COMPOSITE if composite else TRAINED
    seen: dict[str, dict[str, str]] = {}
    for item in takes:
        for ingredient in ingredients(item.take, character_names):
            seen.setdefault(ingredient["instance_id"], ingredient)
    return {
        "claim_generator_info": [{"name": SOFTWARE_AGENT}],
        "title": title,
        "format": MIME_TYPES.get(suffix.lower(), "application/octet-stream"),
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [_created(source_type, models)]}},
            {"label": GENERATION_LABEL, "data": {"takes": [_record(t) for t in takes]}},
        ],
        "ingredients": list(seen.values()),
    }
