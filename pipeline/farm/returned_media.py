"""A finished take's files come back from the node into the project's content-addressed media
store, under the same references, so the take is recorded exactly as a local render's; embeddings
the node computed come back into the project's cache, for every later job on any node."""

from __future__ import annotations

from pathlib import Path

from pipeline.farm.shipping import add_embedding
from studio.errors import StudioError
from studio.media_store import MediaStore
from studio.take import Take


def pack_take_media(take: Take, folder: Path) -> dict[str, bytes]:
    """The take's files from the node's store, by media reference; they leave the node's store."""
    store = MediaStore(folder)
    packed = {ref: store.resolve(ref).read_bytes() for ref in take.media_paths}  # a file may serve twice (a mix that is its one stem)
    for ref in packed:
        store.resolve(ref).unlink(missing_ok=True)  # the project's store keeps them; the node keeps only its inputs and caches
    return packed


def unpack_take_media(take: Take, files: dict[str, bytes], folder: Path) -> None:
    """Writes the take's files into the project's store; each must hash to the name it came under."""
    store = MediaStore(folder)
    for ref in dict.fromkeys(take.media_paths):
        data = files.get(ref)
        if data is None:
            if store.exists(ref):
                continue
            raise StudioError(f"take {take.number}: the farm sent back no {ref}; render the shot again")
        if not store.add_bytes_as(ref, data):
            raise StudioError(f"take {take.number}: {ref} came back from the farm damaged (its content does not match its name); render the shot again")


def store_embeddings(files: dict[str, bytes], cache_dir: Path) -> int:
    """Writes embeddings a node computed into the project's cache folder; returns how many were new."""
    return sum(add_embedding(cache_dir, name, lambda data=data: data) for name, data in files.items())
