"""Deleting what the engines derived from a character's likeness once its consent is revoked.

Generation backends cache encoded reference images under the project's cache
(embeddings/<model>/<kind>/<content hash>.safetensors, see pipeline.continuity.embedding_cache),
keyed by the character's look (CharacterReference.content_hash: Wan) or its pictures alone
(the sha256 of the image hashes: AnimateDiff). Both keys are recomputed here and every match removed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.continuity.bundle import CharacterReference
from pipeline.continuity.embedding_cache import EMBEDDINGS_DIR
from studio.character import Character
from studio.media_store import MediaStore, sha256_of_file


def likeness_cache_keys(character: Character, folder: Path) -> set[str]:
    """The cache keys under which embeddings of the character's reference images are stored."""
    store = MediaStore(folder)
    images = tuple(store.resolve(ref) for ref in character.reference_images)
    hashes = tuple(sha256_of_file(path) for path in images if path.is_file())
    if not hashes:
        return set()
    reference = CharacterReference(character.id, character.name, character.description, images, hashes)
    return {reference.content_hash, hashlib.sha256("\n".join(hashes).encode()).hexdigest()}


def delete_likeness_embeddings(character: Character, folder: Path) -> list[Path]:
    """Removes the cached embeddings of the character's likeness from the project's cache; returns them."""
    keys = likeness_cache_keys(character, folder)
    root = Path(folder) / "cache" / EMBEDDINGS_DIR
    if not keys or not root.is_dir():
        return []
    removed = []
    for path in sorted(root.rglob("*.safetensors")):
        if path.stem in keys:
            path.unlink()
            removed.append(path)
    return removed
