"""Reading content credentials back: validation state, signer, models and ingredients.

States, from the C2PA reader: "Trusted" (valid, and the signer chains to a trust anchor: the local
CA is one), "Valid" (intact and well signed, signer not trusted), "Invalid" (the file or the
manifest was changed after signing), and here also "Unsigned" (no manifest at all).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import c2pa

from pipeline.provenance.certificates import local_trust_anchor
from pipeline.provenance.errors import ProvenanceError
from pipeline.provenance.manifest import GENERATION_LABEL, MIME_TYPES

UNSIGNED = "Unsigned"
GOOD_STATES = ("Valid", "Trusted")


@dataclass
class Verification:
    path: Path
    state: str  # Trusted | Valid | Invalid | Unsigned
    signer: str = ""
    issuer: str = ""
    title: str = ""
    digital_source_types: list[str] = field(default_factory=list)
    software_agents: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    takes: list[dict[str, object]] = field(default_factory=list)
    ingredients: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # failure codes with their explanation

    @property
    def ok(self) -> bool:
        return self.state in GOOD_STATES


def _reader(path: Path) -> c2pa.Reader:
    anchor = local_trust_anchor()
    if anchor is None:
        return c2pa.Reader(str(path))
    context = c2pa.Context.from_dict({"trust": {"trust_anchors": anchor.decode()}})
    return c2pa.Reader(str(path), context=context)


def verify_file(path: Path) -> Verification:
    """Reads and validates `path`'s content credentials. Raises ProvenanceError when the file cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise ProvenanceError(f"{path}: no such file; give the path of an exported mp4, mov, wav or jpeg")
    if path.suffix.lower() not in MIME_TYPES:
        raise ProvenanceError(f"{path}: content credentials are read from {', '.join(sorted(MIME_TYPES))} files only")
    try:
        reader = _reader(path)
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "ManifestNotFound" in str(exc):
            return Verification(path, UNSIGNED, problems=["the file carries no content credentials (C2PA manifest)"])
        return Verification(path, "Invalid", problems=[f"its content credentials cannot be read: {exc}"])
    try:
        state = reader.get_validation_state() or "Invalid"
        report = json.loads(reader.json())
    finally:
        reader.close()
    result = Verification(path, state)
    manifest = report.get("manifests", {}).get(report.get("active_manifest", ""), {})
    signature = manifest.get("signature_info", {})
    result.signer, result.issuer, result.title = signature.get("common_name", ""), signature.get("issuer", ""), manifest.get("title", "")
    for assertion in manifest.get("assertions", []):
        label, data = assertion.get("label", ""), assertion.get("data", {})
        if label.startswith("c2pa.actions"):
            for action in data.get("actions", []):
                if action.get("digitalSourceType"):
                    result.digital_source_types.append(action["digitalSourceType"].rsplit("/", 1)[-1])
                agent = action.get("softwareAgent")
                if agent:
                    result.software_agents.append(agent.get("name", "") if isinstance(agent, dict) else str(agent))
                result.models.extend(m for m in action.get("parameters", {}).get("models", []) if m not in result.models)
        elif label == GENERATION_LABEL:
            result.takes = list(data.get("takes", []))
    result.ingredients = [
        f"{i.get('title', '?')} ({i['instance_id'].rsplit(':', 1)[-1][:16]})" if i.get("instance_id") else i.get("title", "?")
        for i in manifest.get("ingredients", [])
    ]
    failures = report.get("validation_results", {}).get("activeManifest", {}).get("failure", [])
    result.problems = [f"{f.get('code')}: {f.get('explanation', '')}" for f in failures]
    if not failures and state not in GOOD_STATES:
        result.problems = [f"{s.get('code')}: {s.get('explanation', '')}" for s in report.get("validation_status", []) if "untrusted" not in s.get("code", "")]
    return result
