"""Content credentials (C2PA) for generated takes and the exports that hold them.

- `certificates`: the signing chain: a local CA and signing leaf made on first use (files 0600 in
  a 0700 folder under the platformdirs data folder, $STORYBOARD_PROVENANCE_DIR overrides), or the
  user's own ($STORYBOARD_SIGNING_CERT, $STORYBOARD_SIGNING_KEY).
- `manifest`: the manifest definition from takes' generation records (c2pa.created with
  trainedAlgorithmicMedia, software agent, models, the generation record, ingredients by hash).
- `signing`: embeds a signed manifest in an mp4/mov/wav/jpeg; `verification`: reads it back.
- `export_signing`: which exported files to sign, and the "unsigned: ..." report when it cannot.
"""
