"""`studio render`: render what changed, record takes, assemble the animatic."""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from pathlib import Path

from cli.new_command import parse_size
from cli.progress_bar import TerminalProgress
from pipeline.assemble.overlays import NO_OVERLAYS, OverlaySettings
from pipeline.assemble.sequence import assemble_sequence
from pipeline.encode.codecs import DELIVERY_H264, DELIVERY_PRORES
from pipeline.progress import CancelToken, RenderCancelled
from pipeline.render.batch import BatchOptions, ShotOutcomeKind, render_batch
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
    options = BatchOptions(
        shot_ids=select_shots(project, args.shots) if args.shots else None,
        backend=args.backend,
        size=size,
        new_take=args.new_take,
    )
    history = History(project)
    cancel = CancelToken()
    progress = TerminalProgress()

    def on_interrupt(signum: int, frame: object) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()
        print("\nstudio: stopping after the current frames (Ctrl-C again to quit at once)", file=sys.stderr)

    previous_handler = signal.signal(signal.SIGINT, on_interrupt)
    try:
        report = render_batch(project, folder, options, history.execute, progress, cancel)
        progress.close()
        if history.is_modified:
            save_project(project, folder)  # keep every finished take, even when cancelled
        for warning in report.warnings:
            print(f"studio: warning: {warning}", file=sys.stderr)
        for outcome in report.outcomes:
            if outcome.kind is ShotOutcomeKind.FAILED:
                print(f"studio: error: {outcome.message}", file=sys.stderr)
        print(
            f"shots: {report.count(ShotOutcomeKind.RENDERED)} rendered, {report.count(ShotOutcomeKind.CACHED)} unchanged, {report.count(ShotOutcomeKind.FAILED)} failed"
        )
        if report.cancelled:
            print("studio: cancelled; finished shots are saved as takes, the sequence file was not touched", file=sys.stderr)
            return 130
        overlays = NO_OVERLAYS if args.no_overlays else OverlaySettings()
        try:
            result = assemble_sequence(project, folder, out, codec, overlays, progress, cancel, size, report.failures)
        except RenderCancelled:
            print("studio: cancelled; the previous sequence file (if any) is untouched", file=sys.stderr)
            return 130
        progress.close()
    finally:
        signal.signal(signal.SIGINT, previous_handler)
    verb = "up to date" if result.reused else "wrote"
    print(f"{verb} {result.path} ({result.frames} frames, {project.format.frame_rate.timecode(result.frames)}) in {time.perf_counter() - started:.1f} s")
    return 2 if report.failures else 0
