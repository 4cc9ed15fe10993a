"""Embeddings computed once per (model, input content) and kept as safetensors in the project's cache.

A character's reference images, a location plate or a shot's prompt are encoded by a model's
encoders once; every later shot (and every later session) loads the stored tensors, bit-identical,
so the text and image encoders can stay unloaded. Keys are content hashes, never names: renaming a
file keeps its embedding, changing one pixel makes a new one.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.atomic_file import write_bytes_atomically

EMBEDDINGS_DIR = "embeddings"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

Tensors = dict[str, Any]  # name -> torch.Tensor


def model_fingerprint(folder: Path) -> str:
    """A short key for a model folder's weights, without reading gigabytes: the pipeline's index and,
    per weight file, its name, size and first and last megabyte (where safetensors keep the header)."""
    digest = hashlib.sha256()
    folder = Path(folder)
    index = folder / "model_index.json"
    if index.is_file():
        digest.update(index.read_bytes())
    files = [folder] if folder.is_file() else sorted(folder.rglob("*.safetensors"))  # a single-file checkpoint is its own weights
    for path in files:
        size = path.stat().st_size
        digest.update(f"{path.name if path == folder else path.relative_to(folder).as_posix()}:{size}".encode())
        with open(path, "rb") as fh:
            digest.update(fh.read(1 << 20))
            if size > 2 << 20:
                fh.seek(-(1 << 20), os.SEEK_END)
                digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:16]


class EmbeddingCache:
    """get() returns the stored tensors for a key, computing and storing them on first use.
    folder None keeps them in memory only (a project that was never saved)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = Path(folder) / EMBEDDINGS_DIR if folder is not None else None
        self.computed = 0  # how often an encoder actually ran: what tests and benchmarks count
        self.loaded = 0
        self.computed_by_kind: Counter[str] = Counter()
        self._memory: dict[tuple[str, str, str], Tensors] = {}

    def path(self, model_key: str, kind: str, content_hash: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / _SAFE.sub("_", model_key) / _SAFE.sub("_", kind) / f"{content_hash}.safetensors"

    def get(self, model_key: str, kind: str, content_hash: str, compute: Callable[[], Tensors]) -> Tensors:
        key = (model_key, kind, content_hash)
        if key in self._memory:
            return self._memory[key]
        path = self.path(*key)
        tensors = self._load(path) if path is not None and path.is_file() else None
        if tensors is None:
            tensors = {name: tensor.detach().to("cpu").contiguous() for name, tensor in compute().items()}
            self.computed += 1
            self.computed_by_kind[kind] += 1
            if path is not None:
                self._store(path, tensors)
        else:
            self.loaded += 1
        self._memory[key] = tensors
        return tensors

    def _load(self, path: Path) -> Tensors | None:
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            return load_file(path)
        except (SafetensorError, OSError, ValueError):
            return None  # a torn or foreign file: compute again and overwrite it

    def _store(self, path: Path, tensors: Tensors) -> None:
        from safetensors.torch import save

        write_bytes_atomically(path, save(tensors))
