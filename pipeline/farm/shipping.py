"""A render request's input files travel to the cluster by content: each distinct file (reference
image, plate, panel, previous last frame, sound file) is put into the Ray object store once, and a
node fetches it once into its own cache, whatever number of jobs use it. The project's cached
conditioning embeddings travel the same way, so an encoder that ran once anywhere never runs again.

The request itself keeps its fields; only its file paths are swapped for `ShippedFile`s on the way
out and for node-local paths on arrival.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.backends.base import ShotRenderRequest
from pipeline.continuity.embedding_cache import EMBEDDINGS_DIR
from studio.atomic_file import write_bytes_atomically
from studio.media_store import sha256_of_file


@dataclass(frozen=True)
class ShippedFile:
    sha256: str
    suffix: str
    ref: Any  # the Ray ObjectRef of the file's bytes

    @property
    def cache_name(self) -> str:
        return f"{self.sha256}{self.suffix}"


@dataclass(frozen=True)
class ShippedRequest:
    request: ShotRenderRequest  # with every input path left as it was on the app's machine
    files: dict[str, ShippedFile]  # that path (as text) -> its content in the object store
    embeddings: dict[str, ShippedFile] = dataclasses.field(default_factory=dict)  # path under the cache's embeddings folder -> content


def embedding_files(cache_dir: Path | None) -> dict[str, Path]:
    """The cached embeddings of a project's cache folder, by their path inside its embeddings folder."""
    root = cache_dir / EMBEDDINGS_DIR if cache_dir is not None else None
    if root is None or not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*.safetensors")) if not path.name.startswith(".")}


def safe_relative(text: str) -> bool:
    """A path that stays inside the folder it is joined to: what a node may send back."""
    path = PurePosixPath(text)
    return bool(text) and not path.is_absolute() and ".." not in path.parts and "\\" not in text


def with_input_files(request: ShotRenderRequest, replace: Callable[[Path], Path]) -> ShotRenderRequest:
    """The request with `replace` applied to every input file it names: the one list of them."""

    def one(path: Path | None) -> Path | None:
        return None if path is None else replace(path)

    return dataclasses.replace(
        request,
        panel_path=one(request.panel_path),
        previous_last_frame=one(request.previous_last_frame),
        location_plate=one(request.location_plate),
        sound_media={key: replace(path) for key, path in request.sound_media.items()},
        reference_images={cid: tuple(replace(path) for path in paths) for cid, paths in request.reference_images.items()},
    )


def request_files(request: ShotRenderRequest) -> list[Path]:
    """Every input file a render reads, once each."""
    seen: dict[str, Path] = {}
    with_input_files(request, lambda path: seen.setdefault(str(path), Path(path)))
    return list(seen.values())


def add_embedding(cache_dir: Path, name: str, content: Callable[[], bytes]) -> bool:
    """Puts an embedding that travelled under `name` (its path inside the embeddings folder) into
    a cache folder, unless the name would leave that folder or the cache has it already; returns
    whether it was written. A cache is made again if a crash loses it, so the write is not durable."""
    target = cache_dir / EMBEDDINGS_DIR / name
    if not safe_relative(name) or target.is_file():
        return False
    write_bytes_atomically(target, content())
    return True


class InputShipper:
    """The app's side: puts each distinct file into the object store once per cluster session."""

    def __init__(self, put: Callable[[bytes], Any]) -> None:
        self._put = put
        self._by_hash: dict[str, ShippedFile] = {}
        self._hash_of: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) -> sha256: a file is read once
        self._lock = threading.Lock()  # jobs are shipped from the queue's render threads
        self.files_put = 0  # distinct files sent, embeddings included

    def ship(self, request: ShotRenderRequest) -> ShippedRequest:
        files = {str(path): self._shipped(path) for path in request_files(request)}
        embeddings = {name: self._shipped(path) for name, path in embedding_files(request.cache_dir).items()}
        return ShippedRequest(request, files, embeddings)

    def _shipped(self, path: Path) -> ShippedFile:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            digest = self._hash_of.get(key)
            if digest is None:
                digest = self._hash_of[key] = sha256_of_file(path)
            shipped = self._by_hash.get(digest)
            if shipped is None:
                shipped = self._by_hash[digest] = ShippedFile(digest, path.suffix.lower(), self._put(path.read_bytes()))
                self.files_put += 1
            return shipped


class NodeInputs:
    """A node's side: files fetched into a node-local folder by content, each once."""

    def __init__(self, folder: Path, fetch: Callable[[Any], bytes]) -> None:
        self.folder, self._fetch = folder, fetch

    def local(self, shipped: ShippedFile) -> Path:
        target = self.folder / shipped.cache_name
        if not target.is_file():
            # Workers on one node may fetch the same file at once: each writes its own temporary
            # file and the last rename wins, with the same bytes.
            write_bytes_atomically(target, self._fetch(shipped.ref))
        return target

    def materialise(self, shipped: ShippedRequest, cache_dir: Path) -> ShotRenderRequest:
        """The request with its input paths pointing into this node's cache, and its embedding
        cache in `cache_dir` on this node, holding every embedding the project had cached."""
        for name, file in shipped.embeddings.items():
            add_embedding(cache_dir, name, lambda file=file: self.local(file).read_bytes())
        request = with_input_files(shipped.request, lambda path: self.local(shipped.files[str(path)]))
        return dataclasses.replace(request, cache_dir=cache_dir)
