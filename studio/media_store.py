"""The project's media folder: files stored once, named by the sha256 of their content."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from studio.atomic_file import write_atomically
from studio.errors import MediaError

MEDIA_DIR = "media"


def check_media_reference(ref: str) -> None:
    """Refuses references that could point outside the project folder."""
    if not isinstance(ref, str) or not ref:
        raise MediaError(ref, "empty media reference")
    if "\\" in ref or "\x00" in ref:
        raise MediaError(ref, "media references use forward slashes and no control characters")
    # The parts as PurePosixPath reads them (empty and "." segments dropped), without its cost: a
    # big project holds thousands of references, and every load checks them all.
    parts = [part for part in ref.split("/") if part and part != "."]
    if ref.startswith("/") or (len(ref) > 1 and ref[1] == ":"):
        raise MediaError(ref, "absolute paths are refused: media must live inside the project's media/ folder")
    if ".." in parts:
        raise MediaError(ref, "'..' in a media reference is refused: media must live inside the project's media/ folder")
    if len(parts) < 2 or parts[0] != MEDIA_DIR:  # "." and "./" have no parts at all
        raise MediaError(ref, "media references must start with media/")


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MediaStore:
    # Each file is on disk before its name appears, so a crash never leaves a take pointing at a torn
    # file. A farm worker's store is scratch (its files are sent home and deleted), so it turns this off.
    durable = True

    def __init__(self, project_folder: Path) -> None:
        self.project_folder = Path(project_folder)
        self.folder = self.project_folder / MEDIA_DIR

    def resolve(self, ref: str) -> Path:
        check_media_reference(ref)
        return self.project_folder / ref

    def exists(self, ref: str) -> bool:
        try:
            return self.resolve(ref).is_file()
        except OSError:  # a name or path too long for the file system: no such file can be there
            return False

    def add_file(self, source: Path) -> str:
        """Copies a file into the store (once per content) and returns its media reference."""
        source = Path(source)
        if not source.is_file():
            raise MediaError(source, "file not found")
        digest = sha256_of_file(source)
        ref = f"{MEDIA_DIR}/{digest}{source.suffix.lower()}"
        target = self.project_folder / ref
        if not target.exists():

            def copy(fh) -> None:
                with open(source, "rb") as src:
                    shutil.copyfileobj(src, fh)

            self._write_atomically(target, copy)
        return ref

    def add_bytes_as(self, ref: str, data: bytes) -> bool:
        """Stores `data` under `ref` (a reference made elsewhere, e.g. on a farm node) if its content
        matches the name; False, and nothing written, when it does not."""
        check_media_reference(ref)
        name = Path(ref)
        if hashlib.sha256(data).hexdigest() != name.stem or ref != f"{MEDIA_DIR}/{name.stem}{name.suffix.lower()}":
            return False
        target = self.project_folder / ref
        if not target.exists():
            self._write_atomically(target, lambda fh: fh.write(data))
        return True

    def add_bytes(self, data: bytes, suffix: str) -> str:
        digest = hashlib.sha256(data).hexdigest()
        ref = f"{MEDIA_DIR}/{digest}{suffix.lower()}"
        target = self.project_folder / ref
        if not target.exists():
            self._write_atomically(target, lambda fh: fh.write(data))
        return ref

    def _write_atomically(self, target: Path, write) -> None:
        write_atomically(target, write, durable=self.durable)
