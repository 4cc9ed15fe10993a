"""Content credentials for a generated take at render time: its master file is signed before it
enters the (content-addressed) media store. Without a usable certificate the take is still
recorded, unsigned, and the render says so once per renderer: "unsigned: <reason and fix>"."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.provenance.certificates import load_signing_chain
from pipeline.provenance.errors import ProvenanceError
from pipeline.provenance.manifest import GeneratedTake, manifest_for
from pipeline.provenance.signing import sign_file
from studio.media_store import MediaStore
from studio.take import Take

CREDENTIALS_KEY = "content_credentials"
SIGNED, UNSIGNED = "signed", "unsigned"
SIGNING_PENDING = "pending"  # rendered where the user's certificate is not (a farm node): signed when it comes back


@dataclass(frozen=True)
class TakeSigning:
    state: str  # SIGNED | UNSIGNED
    reason: str = ""  # why unsigned, with the fix


def sign_take_master(path: Path, take: Take, name: str, character_names: Mapping[str, str]) -> TakeSigning:
    """Signs the take master at `path` (in place) with a manifest from `take`'s generation record."""
    try:
        chain = load_signing_chain()
        sign_file(path, manifest_for(name, path.suffix, [GeneratedTake(name, take)], character_names, composite=False), chain)
    except ProvenanceError as exc:
        return TakeSigning(UNSIGNED, str(exc))
    return TakeSigning(SIGNED)


def sign_returned_take(take: Take, folder: Path, name: str, character_names: Mapping[str, str]) -> tuple[Take, TakeSigning]:
    """Signs the master of a take rendered elsewhere (left unsigned there, SIGNING_PENDING) with this
    machine's certificate, as if it had been signed at render time: the signed file enters the
    media store and the take points at it. A take not waiting for a signature comes back as it is."""
    if take.provenance.get(CREDENTIALS_KEY) != SIGNING_PENDING or take.video is None:
        return take, TakeSigning(SIGNED)
    store = MediaStore(folder)
    record = replace(take, provenance={k: v for k, v in take.provenance.items() if k != CREDENTIALS_KEY})
    scratch_root = folder / "cache" / "tmp"  # where TakeRecorder signs too: beside the store, so add_file is a rename-sized copy
    scratch_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_root) as scratch:
        master = Path(scratch) / f"take{Path(take.video).suffix}"
        shutil.copyfile(store.resolve(take.video), master)
        signing = sign_take_master(master, record, name, character_names)
        video = store.add_file(master) if signing.state == SIGNED else take.video
    return replace(take, video=video, provenance={**take.provenance, CREDENTIALS_KEY: signing.state}), signing


class UnsignedWarnings:
    """Says "unsigned: ..." once per renderer (a render session) and reason, not once per shot."""

    def __init__(self) -> None:
        self._said: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()

    def warnings(self, renderer: object, name: str, signing: TakeSigning) -> list[str]:
        if signing.state == SIGNED:
            return []
        message = f"unsigned: the generated takes of this render, from {name} on, carry no content credentials (C2PA): {signing.reason}"
        try:
            said = self._said.setdefault(renderer, set())
        except TypeError:  # a renderer that cannot be weakly referenced: say it every time
            return [message]
        if signing.reason in said:
            return []
        said.add(signing.reason)
        return [message]
