"""The conditioning bundle: everything a generation backend is told about one shot, resolved from
its request, with the content hash of each ingredient so takes can say what they were made from.

The bundle is model-independent (files and text). Backends turn its parts into tensors through
the embedding cache, keyed by these hashes, so a character's reference images are encoded once
per model however many shots they appear in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.backends.base import ShotRenderRequest
from pipeline.continuity.prompt import NEGATIVE_PROMPT, STYLE_WORDS, camera_phrase, shot_prompt, world_phrase
from studio.media_store import sha256_of_file
from studio.shot import ContinuityLink


def _text_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


@dataclass(frozen=True)
class CharacterReference:
    character_id: str
    name: str
    description: str
    images: tuple[Path, ...]  # reference images, in the character's order
    image_hashes: tuple[str, ...]  # sha256 of each image's bytes

    @property
    def content_hash(self) -> str:
        """Changes when the character's look changes: its description or any reference image."""
        return _text_hash(self.name, self.description, *self.image_hashes)

    @property
    def description_text(self) -> str:
        look = self.description.strip().rstrip(".")
        return f"{self.name}: {look}" if look else self.name


@dataclass(frozen=True)
class ConditioningBundle:
    label: str  # "shot 12A", for messages
    prompt: str
    negative_prompt: str
    style_text: str
    world_text: str
    camera_text: str
    characters: tuple[CharacterReference, ...]
    location_plate: Path | None
    location_plate_hash: str | None
    first_frame: Path | None  # a chained shot starts from the previous take's last frame
    first_frame_hash: str | None
    chained: bool  # the shot asks to continue from the previous shot (first_frame may still be missing)
    seed: int

    @property
    def prompt_hash(self) -> str:
        return _text_hash(self.prompt, self.negative_prompt)

    @property
    def reference_images(self) -> tuple[Path, ...]:
        return tuple(image for character in self.characters for image in character.images)

    def ingredient_hashes(self) -> dict[str, str]:
        """Every conditioning input by content hash: what provenance records to reproduce a take."""
        hashes = {"prompt": self.prompt_hash}
        for character in self.characters:
            hashes[f"character:{character.character_id}"] = character.content_hash
        if self.location_plate_hash:
            hashes["location_plate"] = self.location_plate_hash
        if self.first_frame_hash:
            hashes["first_frame"] = self.first_frame_hash
        return hashes


def build_bundle(request: ShotRenderRequest) -> ConditioningBundle:
    characters = tuple(
        CharacterReference(
            character_id=character.id,
            name=character.name,
            description=character.description,
            images=request.reference_images.get(character.id, ()),
            image_hashes=tuple(sha256_of_file(path) for path in request.reference_images.get(character.id, ())),
        )
        for character in request.characters
    )
    plate = request.location_plate
    first = request.previous_last_frame
    return ConditioningBundle(
        label=request.label,
        prompt=shot_prompt(request),
        negative_prompt=NEGATIVE_PROMPT,
        style_text=STYLE_WORDS.get(request.style, f"{request.style.value} style"),
        world_text=world_phrase(request.world) if request.world is not None else "",
        camera_text=camera_phrase(request.shot),
        characters=characters,
        location_plate=plate,
        location_plate_hash=sha256_of_file(plate) if plate is not None else None,
        first_frame=first,
        first_frame_hash=sha256_of_file(first) if first is not None else None,
        chained=request.shot.continuity is ContinuityLink.CHAIN,
        seed=request.seed,
    )
