"""`studio render`: render what changed, record takes, assemble the animatic."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from cli.interrupt import cancel_on_ctrl_c
from cli.new_command import parse_size
from cli.progress_bar import TerminalProgress
from pipeline.assemble.overlays import NO_OVERLAYS, OverlaySettings
from pipeline.assemble.sequence import assemble_sequence
from pipeline.backends.registry import DEFAULT_BACKEND, MEMORY_MODE_VARIABLE, backend_names, set_model_dir
from pipeline.encode.codecs import DELIVERY_H264, DELIVERY_PRORES, VideoCodec
from pipeline.farm.address import FarmAddress, parse_farm_address
from pipeline.farm.runner import FARM_RETRIES, RayRunner
from pipeline.progress import CancelToken, ProgressCallback, RenderCancelled
from pipeline.queue import InlineRunner, QueueSettings, RenderQueue, Runner, WorkerProcessRunner, plan_jobs
from pipeline.queue.job import FINISHED
from pipeline.queue.selection import chained_after, reseed
from pipeline.render.animatic import AnimaticResult, render_animatic
from pipeline.render.batch import BatchOptions, ShotOutcomeKind
from pipeline.render.passes import PREVIEW_BACKEND, PREVIEW_STEPS, RenderPass, approved_shots, preview_size
from studio.commands import History
from studio.errors import StudioError
from studio.project import Project
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
        from pipeline.models.registry import check_model_dir, spec_for_backend

        set_model_dir(check_model_dir(Path(args.model_dir).expanduser(), spec_for_backend(args.backend)), args.backend)
    chosen = select_shots(project, args.shots) if args.shots else None
    chosen, size = _apply_pass(args, project, chosen, size)
    if args.memory_mode:
        os.environ[MEMORY_MODE_VARIABLE] = args.memory_mode  # read where backends are made, in the worker process too
    if args.plan:
        return _print_plan(project, folder, BatchOptions(shot_ids=chosen, backend=args.backend, size=size, new_take=args.new_take))
    history = History(project)
    cancel = CancelToken()
    progress = TerminalProgress()
    overlays = NO_OVERLAYS if args.no_overlays else OverlaySettings()
    if args.resume and (args.shots or args.new_take or args.downstream or args.backend):
        raise StudioError("--resume carries on with the saved queue as it was; leave out --shots, --new-take, --downstream and --backend")
    if args.farm and args.worker:
        raise StudioError("--farm renders on the farm's workers; leave out --worker")
    if args.farm_workers is not None and (not args.farm or args.farm_workers < 1):
        raise StudioError("--farm-workers N needs --farm and N of at least 1")
    farm = parse_farm_address(args.farm) if args.farm else None
    worker = args.worker or (None if not farm and not args.resume and _draft_only(project, chosen, args.backend, args.downstream) else "process")
    try:
        with cancel_on_ctrl_c(cancel, "after the current frames"):
            if worker is None:
                result = _render_in_one_pass(args, project, folder, chosen, size, out, codec, overlays, history, progress, cancel)
            else:
                result = _render_through_queue(args, project, folder, chosen, size, out, codec, overlays, history, progress, cancel, worker, farm)
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
    for warning in assembly.warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    verb = "up to date" if assembly.reused else "wrote"
    print(f"{verb} {assembly.path} ({assembly.frames} frames, {project.format.frame_rate.timecode(assembly.frames)}) in {time.perf_counter() - started:.1f} s")
    return 2 if report.failures else 0


def _print_plan(project: Project, folder: Path, options: BatchOptions) -> int:
    from pipeline.render.generation_plan import plan_batch

    planned = plan_batch(project, folder, options)
    for shot in planned:
        if shot.problem:
            print(f"shot {shot.number:>5}  {shot.backend:12s} cannot render: {shot.problem}")
        elif shot.reuse:
            print(f"shot {shot.number:>5}  {shot.backend:12s} up to date (its take is re-used)")
        else:
            print(f"shot {shot.number:>5}  {shot.backend:12s} {shot.size}" + (f"  memory: {shot.memory}" if shot.memory else ""))
            for note in shot.notes:
                print(f"             note: {note}")
    to_render = sum(1 for shot in planned if not shot.reuse and not shot.problem)
    print(f"plan: {to_render} to render, {sum(shot.reuse for shot in planned)} up to date, {sum(bool(shot.problem) for shot in planned)} cannot render")
    return 2 if any(shot.problem for shot in planned) else 0


def _apply_pass(
    args: argparse.Namespace, project: Project, chosen: list[str] | None, size: tuple[int, int] | None
) -> tuple[list[str] | None, tuple[int, int] | None]:
    """The --pass preset (backend, size, steps, shots), then --steps for the backend that runs."""
    if args.render_pass == RenderPass.PREVIEW:
        args.backend = args.backend or PREVIEW_BACKEND
        size = size or preview_size(project)
        args.steps = args.steps or PREVIEW_STEPS
    elif args.render_pass == RenderPass.FINAL:
        chosen = approved_shots(project, chosen)
    if args.steps is not None:
        backend = args.backend
        if backend is None or backend == DEFAULT_BACKEND:
            raise StudioError("--steps applies to a model backend; give one with --backend (ltx, wan or animatediff)")
        if args.steps < 1:
            raise StudioError(f"--steps {args.steps}: give at least one denoising step")
        os.environ[f"STORYBOARD_{backend.upper()}_STEPS"] = str(args.steps)  # read where the backend is made, in the worker too
    return chosen, size


def _draft_only(project: Project, chosen: list[str] | None, backend: str | None, downstream: bool) -> bool:
    if backend is not None:
        return backend == DEFAULT_BACKEND
    ids = set(chosen) if chosen is not None else {shot.id for shot in project.shots()}
    if downstream:
        ids.update(chained_after(project, ids))
    return all(shot.backend == DEFAULT_BACKEND for shot in project.shots() if shot.id in ids)


def _render_in_one_pass(
    args: argparse.Namespace,
    project: Project,
    folder: Path,
    chosen: list[str] | None,
    size: tuple[int, int] | None,
    out: Path,
    codec: VideoCodec,
    overlays: OverlaySettings,
    history: History,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> AnimaticResult:
    """The draft animatic: each new take is encoded straight into the cut as it is drawn."""
    shot_ids = chosen
    if chosen is not None and args.downstream:
        wanted = set(chosen) | set(chained_after(project, chosen))
        shot_ids = [shot.id for shot in project.shots() if shot.id in wanted]
    if args.new_take:
        for shot in project.shots():
            if (chosen is None or shot.id in chosen) and not shot.seed_pinned:
                history.execute(reseed(shot))
    options = BatchOptions(shot_ids=shot_ids, backend=args.backend, size=size, new_take=args.new_take)
    return render_animatic(project, folder, options, out, codec, overlays, history.execute, progress, cancel)


def _render_through_queue(
    args: argparse.Namespace,
    project: Project,
    folder: Path,
    chosen: list[str] | None,
    size: tuple[int, int] | None,
    out: Path,
    codec: VideoCodec,
    overlays: OverlaySettings,
    history: History,
    progress: ProgressCallback,
    cancel: CancelToken,
    worker: str,
    farm: FarmAddress | None = None,
) -> AnimaticResult:
    """Model backends, and any render on a farm: shot by shot through the render queue (a worker
    keeps the model loaded, and its crash costs one shot), then the cut is assembled from the takes."""
    runner: Runner
    crash_retries = QueueSettings.crash_retries
    if farm is not None:
        runner = RayRunner(farm, workers=args.farm_workers)
        crash_retries = FARM_RETRIES
    else:
        runner = InlineRunner() if worker == "inline" else WorkerProcessRunner()
    if args.resume:
        queue = RenderQueue.resume(project, folder, history.execute, runner, lambda: save_project(project, folder))
        size = queue.settings.size
        print(f"resuming the render queue: {sum(job.state not in FINISHED for job in queue.jobs)} of {len(queue.jobs)} shots to go")
    else:
        jobs = plan_jobs(project, chosen, args.new_take, args.downstream)
        queue = RenderQueue(
            project,
            folder,
            QueueSettings(backend=args.backend, size=size, crash_retries=crash_retries),
            jobs,
            history.execute,
            runner,
            lambda: save_project(project, folder),
        )
    try:
        runner.start()  # the worker imports and starts while the first shot is prepared
        if farm is not None:
            print(f"render farm {farm}: {runner.slots} jobs at once")
        report = queue.run(progress, cancel)
    finally:
        runner.close()
    if report.cancelled:
        return AnimaticResult(report, None)
    try:
        return AnimaticResult(report, assemble_sequence(project, folder, out, codec, overlays, progress, cancel, size, report.failures))
    except RenderCancelled:
        report.cancelled = True
        return AnimaticResult(report, None)
