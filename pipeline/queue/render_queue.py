"""The render queue: a project's shot jobs rendered one at a time through a runner, each after the
job it waits for, re-using takes made from the same inputs, recording each new take through
`apply`, with its state kept in the project folder so a stopped render can be resumed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from pipeline.backends.registry import model_dir
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from pipeline.queue.job import FINISHED, SUCCEEDED, Job, JobState, QueueSettings
from pipeline.queue.queue_file import QueueFileError, queue_path, read_queue, write_queue
from pipeline.queue.runner import Runner
from pipeline.queue.selection import reseed
from pipeline.queue.task import BackendSpec, RenderTask, TaskOutcome, TaskResult
from pipeline.render.batch import BatchOptions, BatchReport, ShotOutcome, ShotOutcomeKind, TakePlanner
from pipeline.render.shot_render import RenderedShot
from studio.commands import Command
from studio.errors import EditError, StudioError
from studio.project import Project
from studio.shot import Shot

log = logging.getLogger(__name__)

_STATE_FOR_OUTCOME = {
    ShotOutcomeKind.CACHED: JobState.CACHED,
    ShotOutcomeKind.FAILED: JobState.FAILED,
    ShotOutcomeKind.CANCELLED: JobState.CANCELLED,
}


def _no_checkpoint() -> None:
    pass


class RenderQueue:
    def __init__(
        self,
        project: Project,
        folder: Path,
        settings: QueueSettings,
        jobs: list[Job],
        apply: Callable[[Command], None],
        runner: Runner,
        checkpoint: Callable[[], None] = _no_checkpoint,
    ) -> None:
        """checkpoint: saves the document; called after each new take is recorded and before the
        queue file says the job is done, so a resume never loses a take nor renders it twice."""
        self.project, self.folder, self.settings, self.jobs = project, folder, settings, jobs
        self.apply, self.runner, self.checkpoint = apply, runner, checkpoint
        self.observers: list[Callable[[Job], None]] = []  # told of every change of a job's state
        self._saving = threading.Lock()
        self._settle()
        self._save()

    @classmethod
    def resume(
        cls, project: Project, folder: Path, apply: Callable[[Command], None], runner: Runner, checkpoint: Callable[[], None] = _no_checkpoint
    ) -> RenderQueue:
        """The queue saved in the folder, ready to go on: jobs that were running (or cancelled) run
        again, unless the take a running job made is already in the document."""
        settings, jobs = read_queue(folder)
        return cls(project, folder, settings, jobs_to_resume(project, jobs), apply, runner, checkpoint)

    def retry_failed(self) -> None:
        for job in self.jobs:
            if job.state is JobState.FAILED:
                job.state, job.attempts, job.message = JobState.QUEUED, 0, ""
        self._settle()
        self._save()

    def job(self, shot_id: str) -> Job:
        return next(job for job in self.jobs if job.shot_id == shot_id)

    def run(self, progress: ProgressCallback, cancel: CancelToken) -> BatchReport:
        """Renders the queued jobs: one at a time, or as many at once as the runner has `slots`
        (a farm), each chained shot still after the shot it continues from."""
        report = BatchReport()
        planners = {
            force: TakePlanner(
                self.project, self.folder, BatchOptions(backend=self.settings.backend, size=self.settings.size, new_take=force), self.apply, report
            )
            for force in (False, True)
        }
        slots = max(1, int(getattr(self.runner, "slots", 1)))
        if slots == 1:
            self._run_one_at_a_time(planners, report, progress, cancel)
        else:
            self._run_side_by_side(slots, planners, report, progress, cancel)
        if cancel.cancelled:
            report.cancelled = True
            for job in self.jobs:
                if job.state not in FINISHED:
                    self._set(job, JobState.CANCELLED)
                    report.outcomes.append(ShotOutcome(job.shot_id, job.number, ShotOutcomeKind.CANCELLED))
        return report

    def _run_one_at_a_time(self, planners: dict[bool, TakePlanner], report: BatchReport, progress: ProgressCallback, cancel: CancelToken) -> None:
        while (started := self._start_next(planners, report, cancel)) is not None:
            job, shot, task = started
            self._finish(job, shot, planners[job.new_take], self._render(job, task, progress, cancel), report)

    def _run_side_by_side(
        self, slots: int, planners: dict[bool, TakePlanner], report: BatchReport, progress: ProgressCallback, cancel: CancelToken
    ) -> None:
        """Jobs are prepared and their takes recorded here, on the calling thread, as with one slot;
        only the runner's renders overlap, each on a thread of its own. One job per slot is prepared
        ahead and waits in the runner for a worker, so a worker that finishes a shot starts the next
        at once instead of waiting for this thread to record the last and prepare the next."""
        in_flight = 2 * slots
        reporting = threading.Lock()

        def one_at_a_time(event: ProgressEvent) -> None:  # progress bars and Qt signals expect one caller at a time
            with reporting:
                progress(event)

        running: dict[Future[TaskResult], tuple[Job, Shot]] = {}
        with ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="render-slot") as pool:
            while True:
                while len(running) < in_flight and (started := self._start_next(planners, report, cancel)) is not None:
                    job, shot, task = started
                    running[pool.submit(self._render, job, task, one_at_a_time, cancel)] = (job, shot)
                if not running:
                    return
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    job, shot = running.pop(future)
                    self._finish(job, shot, planners[job.new_take], future.result(), report)

    def _start_next(self, planners: dict[bool, TakePlanner], report: BatchReport, cancel: CancelToken) -> tuple[Job, Shot, RenderTask] | None:
        """The next queued job with its render task, passing over jobs that end while they are
        prepared (take re-used, failed); None when no job is queued now, or on cancel."""
        while not cancel.cancelled:
            self._release_waiting(report)
            job = next((job for job in self.jobs if job.state is JobState.QUEUED), None)
            if job is None:
                return None
            started = self._start(job, planners[job.new_take], report, cancel)
            if started is not None:
                return job, *started
        return None

    # --- one job ---------------------------------------------------------------------------

    def _start(self, job: Job, planner: TakePlanner, report: BatchReport, cancel: CancelToken) -> tuple[Shot, RenderTask] | None:
        """The job's render task, or None when it ended here (take re-used, failed, cancelled)."""
        try:
            shot = self.project.shot(job.shot_id)
        except EditError:
            self._fail(job, f"shot {job.number} is no longer in the project; nothing to render", report)
            return None
        job.attempts, job.take_id = 0, None
        self._set(job, JobState.RUNNING)
        if job.new_seed and not shot.seed_pinned:
            self.apply(reseed(shot))
        prepared = planner.prepare(shot, cancel)
        if prepared is None:  # re-used, failed or cancelled: prepare recorded which
            outcome = report.outcomes[-1]
            assert outcome.shot_id == shot.id
            self._set(job, _STATE_FOR_OUTCOME[outcome.kind], outcome.message)
            return None
        backend = self.settings.backend or shot.backend
        return shot, RenderTask(prepared.request, self.folder, prepared.take_number, BackendSpec(backend, model_dir(backend)))

    def _finish(self, job: Job, shot: Shot, planner: TakePlanner, result: TaskResult, report: BatchReport) -> None:
        if result.outcome is TaskOutcome.RENDERED:
            assert result.take is not None
            job.take_id = result.take.id
            self._save()
            planner.record(shot, RenderedShot(result.take, list(result.warnings)))
            self.checkpoint()
            self._set(job, JobState.DONE)
        elif result.outcome is TaskOutcome.CANCELLED:
            planner.cancelled(shot)
            self._set(job, JobState.CANCELLED)
        else:
            self._record_failure(job, shot, planner, result, report)

    def _render(self, job: Job, task: RenderTask, progress: ProgressCallback, cancel: CancelToken) -> TaskResult:
        while True:
            job.attempts += 1
            self._save()
            result = self.runner.run(task, progress, cancel)
            if result.outcome is TaskOutcome.WORKER_LOST and cancel.cancelled:
                return TaskResult(TaskOutcome.CANCELLED)  # the stop was asked for; how the worker ended says nothing about the shot
            if result.outcome is not TaskOutcome.WORKER_LOST or job.attempts > self.settings.crash_retries:
                return result
            log.warning("%s; trying it again on a fresh worker", result.message)

    def _record_failure(self, job: Job, shot: Shot, planner: TakePlanner, result: TaskResult, report: BatchReport) -> None:
        if result.detail:
            log.error("%s\n%s", result.message, result.detail)
        if result.outcome is TaskOutcome.WORKER_LOST:  # the message names the shot already
            tries = f" (tried {job.attempts} times, each on a fresh worker)" if job.attempts > 1 else ""
            self._fail(job, result.message + tries, report)
        else:
            self._set(job, JobState.FAILED, planner.fail(shot, StudioError(result.message)))

    # --- state -----------------------------------------------------------------------------

    def _release_waiting(self, report: BatchReport) -> None:
        """Waiting jobs whose predecessor finished: ready if it succeeded, failed if it failed.
        One pass settles whole chains: a job comes after the one it waits for."""
        for job in self.jobs:
            if job.state is not JobState.WAITING:
                continue
            before = self._predecessor(job)
            if before is None or before.state in SUCCEEDED:
                self._set(job, JobState.QUEUED)
            elif before.state is JobState.FAILED:
                message = f"shot {job.number} continues from shot {before.number}, which failed; fix shot {before.number}, then render again"
                self._fail(job, message, report)
            elif before.state is JobState.CANCELLED:
                self._set(job, JobState.CANCELLED)
                report.outcomes.append(ShotOutcome(job.shot_id, job.number, ShotOutcomeKind.CANCELLED))

    def _settle(self) -> None:
        for job in self.jobs:
            if job.state in (JobState.QUEUED, JobState.WAITING):
                before = self._predecessor(job)
                job.state = JobState.WAITING if before is not None and before.state not in SUCCEEDED else JobState.QUEUED

    def _predecessor(self, job: Job) -> Job | None:
        return next((other for other in self.jobs if other.shot_id == job.after), None) if job.after else None

    def _fail(self, job: Job, message: str, report: BatchReport) -> None:
        report.outcomes.append(ShotOutcome(job.shot_id, job.number, ShotOutcomeKind.FAILED, message))
        self._set(job, JobState.FAILED, message)

    def _set(self, job: Job, state: JobState, message: str = "") -> None:
        job.state, job.message = state, message
        self._save()
        for observer in self.observers:
            observer(job)

    def _save(self) -> None:
        with self._saving:  # renders running side by side count their attempts from their own threads
            write_queue(self.folder, self.settings, self.jobs)


def _has_take(project: Project, job: Job) -> bool:
    try:
        shot = project.shot(job.shot_id)
    except EditError:
        return False
    return any(take.id == job.take_id for take in shot.takes)


def jobs_to_resume(project: Project, jobs: list[Job]) -> list[Job]:
    """A saved queue's jobs made ready to go on: jobs that were running (or cancelled) run again,
    unless the take a running job made is already in the document."""
    for job in jobs:
        if job.state is JobState.RUNNING and job.take_id is not None and _has_take(project, job):
            job.state = JobState.DONE
        elif job.state in (JobState.RUNNING, JobState.CANCELLED):
            job.state, job.attempts, job.take_id = JobState.QUEUED, 0, None
    return jobs


def unfinished_jobs(folder: Path) -> int:
    """How many jobs a render left unfinished in the project folder's queue (0 without a queue)."""
    if not queue_path(folder).is_file():
        return 0
    try:
        _, jobs = read_queue(folder)
    except QueueFileError:
        return 0
    return sum(1 for job in jobs if job.state not in FINISHED)
