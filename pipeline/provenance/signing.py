"""Embedding a signed C2PA manifest into a media file (mp4, mov, wav, jpeg), in place."""

from __future__ import annotations

import os
from pathlib import Path

import c2pa

from pipeline.provenance.certificates import SigningChain
from pipeline.provenance.errors import ProvenanceError
from pipeline.provenance.manifest import MIME_TYPES


def sign_file(path: Path, manifest: dict[str, object], chain: SigningChain) -> None:
    """Signs `path` with `manifest` and `chain`, replacing the file only once the signed copy is complete."""
    path = Path(path)
    mime = MIME_TYPES.get(path.suffix.lower())
    if mime is None:
        raise ProvenanceError(f"{path}: content credentials can be embedded in {', '.join(sorted(MIME_TYPES))} files only")
    signed = path.with_name(f".{path.name}.signing")
    try:
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain.chain_pem, chain.key_pem, None))
        try:
            builder = c2pa.Builder(manifest)
            with open(path, "rb") as source, open(signed, "w+b") as dest:
                builder.sign(signer, mime, source, dest)
        finally:
            signer.close()
        os.replace(signed, path)
    except c2pa.C2paError as exc:
        raise ProvenanceError(f"{path}: signing its content credentials failed ({exc}); check the signing certificate {chain.source}") from None
    finally:
        signed.unlink(missing_ok=True)
