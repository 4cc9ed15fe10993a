"""`studio verify FILE`: read a file's content credentials (C2PA) back and print them.

Exit 0 when the manifest is intact (Valid or Trusted), 2 when the file is unsigned or was changed
after signing."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from pipeline.provenance.verification import Verification, verify_file

EXIT_NOT_VERIFIED = 2


def describe(result: Verification) -> list[str]:
    lines = [f"{result.path}: {result.state}"]
    if result.state == "Trusted":
        lines.append("  signature: intact, signed by a certificate of the local Storyboard Studio CA (or another trusted one)")
    elif result.state == "Valid":
        lines.append("  signature: intact; the signer is not in the trust list (sign with the local certificate, or trust its CA)")
    if result.signer:
        lines.append(f"  signer: {result.signer}" + (f" (issued by {result.issuer})" if result.issuer else ""))
    if result.title:
        lines.append(f"  title: {result.title}")
    if result.digital_source_types:
        lines.append(f"  digital source type: {', '.join(result.digital_source_types)}")
    if result.software_agents:
        lines.append(f"  generator: {', '.join(dict.fromkeys(result.software_agents))}")
    if result.models:
        lines.append(f"  models: {', '.join(result.models)}")
    for take in result.takes:
        generation = take.get("generation", {})
        details = ", ".join(
            f"{key} {generation[key]}" for key in ("pipeline_class", "steps", "model_fingerprint") if isinstance(generation, dict) and generation.get(key)
        )
        lines.append(
            f"  take {take.get('take')}: {take.get('backend')} / {take.get('model_id')}, seed {take.get('seed')}" + (f", {details}" if details else "")
        )
    if result.ingredients:
        lines.append("  ingredients:")
        lines.extend(f"    - {ingredient}" for ingredient in result.ingredients)
    for problem in result.problems:
        lines.append(f"  problem: {problem}")
    if result.state == "Invalid":
        lines.append("  the file was changed after it was signed: its content credentials no longer match; export it again from the project")
    elif result.state == "Unsigned":
        lines.append("  nothing to verify: export generated takes with a valid signing certificate to give them content credentials")
    return lines


def run_verify(args: argparse.Namespace) -> int:
    result = verify_file(args.file)
    if args.json:
        record = dataclasses.asdict(result)
        record["path"] = str(result.path)
        print(json.dumps(record, indent=2))
    else:
        print("\n".join(describe(result)))
    if not result.ok:
        print(f"studio: {result.path}: content credentials {result.state.lower()}", file=sys.stderr)
        return EXIT_NOT_VERIFIED
    return 0
