"""Content credentials for an export: every shot file made from a generated take, and the
assembled sequence when it holds one, is signed. Without a usable certificate the export still
completes and says which files went out unsigned, why, and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.provenance.certificates import load_signing_chain
from pipeline.provenance.errors import ProvenanceError
from pipeline.provenance.manifest import GeneratedTake, is_generated, manifest_for
from pipeline.provenance.signing import sign_file

if TYPE_CHECKING:
    from pipeline.export.shot_clips import ShotSource


@dataclass(frozen=True)
class SigningJob:
    path: Path  # the file as written (in the staging folder)
    takes: tuple[GeneratedTake, ...]
    composite: bool  # a sequence assembled from several shots


@dataclass
class SigningReport:
    signed: list[Path] = field(default_factory=list)
    unsigned: list[str] = field(default_factory=list)  # "unsigned: <file>: <reason and fix>"


def sign_exported(jobs: Sequence[SigningJob], character_names: dict[str, str]) -> SigningReport:
    report = SigningReport()
    jobs = [job for job in jobs if job.takes and job.path.is_file()]
    if not jobs:
        return report
    try:
        chain = load_signing_chain()
    except ProvenanceError as exc:
        names = ", ".join(job.path.name for job in jobs)
        report.unsigned.append(f"unsigned: {names} carry no content credentials (C2PA): {exc}")
        return report
    for job in jobs:
        try:
            sign_file(job.path, manifest_for(job.path.name, job.path.suffix, job.takes, character_names, job.composite), chain)
            report.signed.append(job.path)
        except ProvenanceError as exc:
            report.unsigned.append(f"unsigned: {exc}")
    return report


def export_jobs(sources: Sequence[ShotSource], shots_folder: Path, suffix: str, sequence_file: Path | None) -> list[SigningJob]:
    """What an export with media must sign: each shot file whose take is generated (named
    `<file_stem><suffix>` in `shots_folder`), and `sequence_file` when any shot in it is generated."""
    generated = [(source, GeneratedTake(source.name, source.take)) for source in sources if source.video is not None and is_generated(source.take)]
    jobs = [SigningJob(shots_folder / f"{source.file_stem}{suffix}", (item,), composite=False) for source, item in generated]
    if sequence_file is not None and generated:
        jobs.append(SigningJob(sequence_file, tuple(item for _, item in generated), composite=True))
    return jobs
