"""`studio render`: render what changed, record takes, assemble the animatic."""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from cli.interrupt import cancel_on_ctrl_c
from cli.new_command import parse_size
from cli.progress_bar import TerminalProgress
from pipeline.assemble.overlays import NO_OVERLAYS, OverlaySettings
from pipeline.backends.registry import backend_names, set_model_dir
from pipeline.encode.codecs import DELIVERY_H264, DELIVERY_PRORES
from pipeline.progress import CancelToken
from pipeline.render.animatic import render_animatic
from pipeline.render.batch import BatchOptions, ShotOutcomeKind
from studio.commands import History
from studio.errors import StudioError
from studio.project_file import load_project, project_folder_for, save_project
from studio.shot_selection import select_shots


def default_output(folder: Path, title: str, prores: bool) -> Path:
    safe = re.sub(r"[^\w.-]+", "_", title).strip("_") or "animatic"
    return folder / "renders" / f"{safe}{'.mov' if prores else '.mp4'}"


def run_render(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    folder = project_folder_for(args.path)
    project = load_project(folder)
    size = parse_size(args.size) if args.size else None
    codec = DELIVERY_PRORES if args.prores else DELIVERY_H264
    out = Path(args.out) if args.out else default_output(folder, project.title, args.prores)
    if out.suffix.lower() != codec.container_suffix:
        raise StudioError(f"{out}: {'ProRes' if args.prores else 'H.264'} is written to a {codec.container_suffix} file; change the name or the format")
    if args.backend and args.backend not in backend_names():
        raise StudioError(f"unknown backend {args.backend!r}; choose one of: {', '.join(backend_names())}")
    if args.model_dir:
        from pipeline.models.registry import check_model_dir

        set_model_dir(check_model_dir(Path(args.model_dir).expanduser()), args.backend)
    options = BatchOptions(
        shot_ids=select_shots(project, args.shots) if args.shots else None,
        backend=args.backend,
        size=size,
        new_take=args.new_take,
    )
    history = History(project)
    cancel = CancelToken()
    progress = TerminalProgress()
    overlays = NO_OVERLAYS if args.no_overlays else OverlaySettings()
    try:
        with cancel_on_ctrl_c(cancel, "after the current frames"):
            result = render_animatic(project, folder, options, out, codec, overlays, history.execute, progress, cancel)
    finally:
        progress.close()
        if history.is_modified:
            save_project(project, folder)  # keep every finished take, even when cancelled or failing
    report = result.report
    for warning in report.warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    for outcome in report.outcomes:
        if outcome.kind is ShotOutcomeKind.FAILED:
            print(f"studio: error: {outcome.message}", file=sys.stderr)
    print(
        f"shots: {report.count(ShotOutcomeKind.RENDERED)} rendered, {report.count(ShotOutcomeKind.CACHED)} unchanged, {report.count(ShotOutcomeKind.FAILED)} failed"
    )
    if result.assembly is None:
        print("studio: cancelled; finished shots are saved as takes, the sequence file was not touched", file=sys.stderr)
        return 130
    assembly = result.assembly
    verb = "up to date" if assembly.reused else "wrote"
    print(f"{verb} {assembly.path} ({assembly.frames} frames, {project.format.frame_rate.timecode(assembly.frames)}) in {time.perf_counter() - started:.1f} s")
    return 2 if report.failures else 0
