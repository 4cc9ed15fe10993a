"""The render queue panel: render what is stale, regenerate a shot, watch per-shot progress, cancel,
retry the shots that failed.

The GUI half of the render: it starts the worker, applies the edits the engine hands over (on this
thread, through the undo stack), and turns progress events and job states into rows and timeline
badges. It owns the render worker process that model backends run in: started by the first render
that needs it, kept between renders so the models stay loaded, closed with the window.
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from pipeline.backends.registry import DEFAULT_BACKEND
from pipeline.farm.address import FarmAddress
from pipeline.farm.runner import FARM_RETRIES, RayRunner
from pipeline.progress import ProgressEvent
from pipeline.queue import Job, JobState, QueueSettings, Runner, WorkerProcessRunner, plan_jobs
from pipeline.queue.job import FINISHED, SUCCEEDED
from pipeline.queue.queue_file import read_queue
from pipeline.queue.render_queue import jobs_to_resume, unfinished_jobs
from pipeline.render.batch import BatchOptions, BatchReport, ShotOutcomeKind
from studio.project import Project
from studio.render_inputs import ShotStatus, shot_status
from ui.document_controller import STATUS_MS, DocumentController
from ui.farm_setting import FarmSetting
from ui.generation_preview import GenerationPreview
from ui.render_state import RenderState
from ui.render_worker import Handoff, QueuedRender, RenderWorker

QUEUED = Qt.ConnectionType.QueuedConnection
SETTLED = {kind.value for kind in ShotOutcomeKind} | {state.value for state in FINISHED}  # a row's state once its shot is through


def needs_worker_process(project: Project, options: BatchOptions) -> bool:
    """Whether any shot of the render uses a model backend: those render in the worker process."""
    if options.backend is not None:
        return options.backend != DEFAULT_BACKEND
    return any(shot.backend != DEFAULT_BACKEND for shot in project.shots() if options.shot_ids is None or shot.id in options.shot_ids)


class RenderQueuePanel(QWidget):
    sequence_ready = Signal(object)  # Path of the freshly assembled animatic
    render_finished = Signal(object)  # BatchReport, or None when the render stopped before a report

    def __init__(self, controller: DocumentController, render_state: RenderState, settings: QSettings | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.state = render_state
        self.worker = RenderWorker(self)
        self.backend_factories: dict[str, str] = {}  # backends outside the registry, "module:function" importable in the worker process
        self.runner: Runner | None = None  # made by the first render with a model backend, or the first on a farm
        self.farm = FarmSetting(settings)
        self._runner_farm: FarmAddress | None = None  # where `runner` renders
        self.last_report: BatchReport | None = None
        self.last_sequence: Path | None = None
        self._rows: dict[str, QTreeWidgetItem] = {}
        self._job_to_shot: dict[str, str] = {}
        self._report: BatchReport | None = None
        self._jobs: dict[str, Job] = {}  # shot id -> the latest state of its job, for a render through the queue
        self._queue_settings: QueueSettings | None = None

        self.render_stale_button = QPushButton("Render all stale", toolTip="Render every shot without a current take, then assemble the animatic (Ctrl+R)")
        self.regenerate_button = QPushButton("Regenerate shot", toolTip="Render the selected shot(s) again as a new take (Ctrl+Shift+R)")
        self.cancel_button = QPushButton("Cancel", toolTip="Stop after the current frames; finished takes are kept")
        self.cancel_button.setEnabled(False)
        self.retry_button = QPushButton("Retry failed", toolTip="Render the shots that failed in the last render again")
        self.retry_button.setEnabled(False)
        self.resume_button = QPushButton("Resume", toolTip="Carry on with the render that stopped (a crash or a closed app) where it left off")
        self.resume_button.setVisible(False)
        self.overall = QProgressBar(textVisible=True)
        self.overall.setRange(0, 100)
        self.overall.setValue(0)
        self.summary = QLabel("Idle", objectName="queueSummary")
        self.preview = GenerationPreview()
        self.rows = QTreeWidget()
        self.rows.setHeaderLabels(["Shot", "State", "Progress", "Message"])
        self.rows.setRootIsDecorated(False)
        self.rows.setColumnWidth(0, 60)
        self.rows.setColumnWidth(1, 90)
        self.rows.setColumnWidth(2, 140)

        buttons = QHBoxLayout()
        for button in (self.render_stale_button, self.regenerate_button, self.retry_button, self.resume_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.farm)
        layout.addLayout(buttons)
        layout.addWidget(self.overall)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview)
        layout.addWidget(self.rows, 1)

        self.render_stale_button.clicked.connect(self.render_stale)
        self.regenerate_button.clicked.connect(lambda: self.regenerate(list(self.controller.selected_ids)))
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button.clicked.connect(self.retry_failed)
        self.resume_button.clicked.connect(self.resume)
        self.farm.changed.connect(self._farm_changed)
        self.farm.refused.connect(lambda message: self.controller.message.emit(message, 0))
        self.controller.project_replaced.connect(self._offer_resume)
        self.controller.project_replaced.connect(self._forget_last_render)
        self.worker.progress.connect(self._on_progress, QUEUED)
        self.worker.job_changed.connect(self._on_job_changed, QUEUED)
        self.worker.apply_requested.connect(self._on_apply, QUEUED)
        self.worker.snapshot_requested.connect(self._on_snapshot, QUEUED)
        self.worker.checkpoint_requested.connect(self._on_checkpoint, QUEUED)
        self.worker.batch_done.connect(self._on_batch_done, QUEUED)
        self.worker.assembled.connect(self._on_assembled, QUEUED)
        self.worker.failed.connect(self._on_failed, QUEUED)
        self.worker.finished.connect(self._on_finished, QUEUED)

    @property
    def busy(self) -> bool:
        return self.state.busy

    # --- starting -------------------------------------------------------------------------------
    def render_stale(self) -> bool:
        project = self.controller.project
        ids = [s.id for s in project.shots() if shot_status(project, s) is not ShotStatus.CURRENT]
        if not ids:
            self.controller.message.emit("Every shot has a current take; assembling the animatic", STATUS_MS)
        return self._start(BatchOptions(shot_ids=ids), f"Rendering {len(ids)} stale shot(s)")

    def regenerate(self, shot_ids: list[str]) -> bool:
        if not shot_ids:
            self.controller.message.emit("Select a shot on the timeline to regenerate it", STATUS_MS)
            return False
        numbers = ", ".join(self.controller.project.shot(i).number for i in shot_ids)
        return self._start(BatchOptions(shot_ids=list(shot_ids), new_take=True), f"Regenerating shot {numbers}")

    def retry_failed(self) -> bool:
        """Renders the shots that failed in the last render again; a render through the queue
        re-queues its failed jobs (and the chained jobs that failed with them)."""
        failed = self.failed_shot_ids()
        if not failed:
            self.controller.message.emit("No shot failed in the last render", STATUS_MS)
            return False
        title = f"Rendering {len(failed)} failed shot(s) again"
        if not self._jobs or self._queue_settings is None:
            return self._start(BatchOptions(shot_ids=failed), title)
        if not self._can_start():
            return False
        jobs = [copy.copy(job) for job in self._jobs.values()]
        return self._launch([job.shot_id for job in jobs], QueuedRender(self._queue_settings, jobs, self._model_runner(), retry_failed=True), title)

    def resume(self) -> bool:
        """Carries on with the queue a stopped render left in the project folder (queue.json)."""
        folder = self.controller.folder
        if folder is None or not unfinished_jobs(folder) or not self._can_start():
            return False
        settings, jobs = read_queue(folder)
        jobs = jobs_to_resume(self.controller.project, jobs)
        left = [job.shot_id for job in jobs if job.state not in FINISHED]
        self.resume_button.setVisible(False)
        return self._launch(left, QueuedRender(settings, jobs, self._model_runner(), retry_failed=False), f"Resuming the render: {len(left)} shot(s) left")

    def _offer_resume(self, *_: object) -> None:
        folder = self.controller.folder
        left = unfinished_jobs(folder) if folder is not None else 0
        self.resume_button.setVisible(bool(left) and not self.busy)
        if left:
            self.resume_button.setText(f"Resume ({left} shot{'s' if left != 1 else ''} left)")

    def failed_shot_ids(self) -> list[str]:
        if self._jobs:
            return [job.shot_id for job in self._jobs.values() if job.state is JobState.FAILED]
        return list(self.last_report.failures) if self.last_report is not None else []

    def _start(self, options: BatchOptions, title: str) -> bool:
        if not self._can_start():
            return False
        project = self.controller.project
        shot_ids = [s.id for s in project.shots() if options.shot_ids is None or s.id in options.shot_ids]
        if self.farm.address is None and not needs_worker_process(project, options):
            return self._launch(shot_ids, options, title)
        retries = FARM_RETRIES if self.farm.address is not None else QueueSettings.crash_retries
        settings = QueueSettings(backend=options.backend, size=options.size, crash_retries=retries)
        jobs = plan_jobs(project, options.shot_ids, options.new_take, downstream=False)
        return self._launch(shot_ids, QueuedRender(settings, jobs, self._model_runner(), retry_failed=False), title)

    def _can_start(self) -> bool:
        if self.busy:
            self.controller.message.emit("A render is already running: wait for it or cancel it", STATUS_MS)
            return False
        if self.controller.folder is None:
            self.controller.message.emit("Save the project first (File ▸ Save As): takes are stored in its folder", 0)
            return False
        return True

    def _launch(self, shot_ids: list[str], render: BatchOptions | QueuedRender, title: str) -> bool:
        folder = self.controller.folder
        assert folder is not None
        project = self.controller.project
        self.rows.clear()
        self._rows.clear()
        self._job_to_shot = {f"shot {s.number}": s.id for s in project.shots()}
        self._jobs = {job.shot_id: copy.copy(job) for job in render.jobs} if isinstance(render, QueuedRender) else {}
        self._queue_settings = render.settings if isinstance(render, QueuedRender) else None
        for shot in project.shots():
            if shot.id in shot_ids:
                row = QTreeWidgetItem([shot.number, "queued", "", ""])
                self.rows.addTopLevelItem(row)
                bar = QProgressBar(textVisible=True, maximumHeight=14)
                bar.setRange(0, 100)
                bar.setValue(0)
                self.rows.setItemWidget(row, 2, bar)
                self._rows[shot.id] = row
                self.state.failures.pop(shot.id, None)
        self._report = None
        self.overall.setValue(0)
        self.summary.setText(title)
        self.state.set_busy(True)
        self._set_running(True)
        self.worker.start(copy.deepcopy(project), folder, render, assemble=True)
        return True

    def _model_runner(self) -> Runner:
        """The runner for where renders go now: kept between renders (models stay loaded); made
        anew, the old one closed, when the Render on setting changed since. Only called to start a
        render, so the old runner is never in use then."""
        farm = self.farm.address
        if self.runner is not None and self._runner_farm != farm:
            self.runner.close()
            self.runner = None
        if self.runner is None:
            self.runner = RayRunner(farm, factories=self.backend_factories) if farm is not None else WorkerProcessRunner(self.backend_factories)
            self._runner_farm = farm
        return self.runner

    @Slot(object)
    def _farm_changed(self, address: FarmAddress | None) -> None:
        where = f"the render farm at {address}" if address is not None else "this computer"
        self.controller.message.emit(f"Shots render on {where} from the next render", STATUS_MS)

    def cancel(self) -> None:
        if self.worker.running:
            self.worker.cancel()
            self.summary.setText("Cancelling after the current frames…")

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.render_stale_button.setEnabled(not running)
        self.regenerate_button.setEnabled(not running)
        self.retry_button.setEnabled(not running and bool(self.failed_shot_ids()))

    @Slot()
    def _forget_last_render(self) -> None:
        """Another project is open: the last render's failures are not its shots."""
        if not self.busy:
            self._jobs, self._queue_settings, self.last_report = {}, None, None
            self.retry_button.setEnabled(False)

    # --- the GUI side of the worker's requests --------------------------------------------------------
    @Slot(object)
    def _on_apply(self, handoff: Handoff) -> None:
        try:
            handoff.result = self.controller.execute(handoff.payload)
        finally:
            handoff.done.set()

    @Slot(object)
    def _on_snapshot(self, handoff: Handoff) -> None:
        try:
            handoff.result = copy.deepcopy(self.controller.project)
        finally:
            handoff.done.set()

    @Slot(object)
    def _on_checkpoint(self, handoff: Handoff) -> None:
        """A take was recorded: keep it in the recovery file, should the app go down before a save."""
        try:
            self.controller.autosave()
        finally:
            handoff.done.set()

    @Slot(object)
    def _on_job_changed(self, job: Job) -> None:
        self._jobs[job.shot_id] = job
        if job.state is JobState.FAILED:
            self.state.set_failed(job.shot_id, job.message)
        elif job.state is JobState.RUNNING:
            self.state.set_progress(job.shot_id, 0.0)
        elif job.state in FINISHED:
            self.state.set_progress(job.shot_id, None)
        row = self._rows.get(job.shot_id)
        if row is None:
            return
        row.setText(1, job.state.value)
        row.setText(3, job.message)
        row.setToolTip(3, job.message)
        bar = self.rows.itemWidget(row, 2)
        if isinstance(bar, QProgressBar) and job.state in SUCCEEDED:
            bar.setValue(100)

    @Slot(object)
    def _on_progress(self, event: ProgressEvent) -> None:
        if event.job == "sequence":
            self.summary.setText(f"Assembling the animatic… {round(event.fraction * 100)}%")
            self.overall.setValue(round(event.fraction * 100))
            return
        self.preview.show_event(event)
        shot_id = self._job_to_shot.get(event.job)
        row = self._rows.get(shot_id) if shot_id else None
        if row is None:
            return
        row.setText(1, event.stage)
        bar = self.rows.itemWidget(row, 2)
        if isinstance(bar, QProgressBar):
            bar.setValue(round(event.fraction * 100))
        self.state.set_progress(shot_id, event.fraction)
        done = sum(1 for r in self._rows.values() if r.text(1) in SETTLED)
        self.overall.setValue(round(100 * (done + event.fraction) / max(1, len(self._rows))))

    @Slot(object)
    def _on_batch_done(self, report: BatchReport) -> None:
        self._report = report
        self.last_report = report
        for outcome in report.outcomes:
            row = self._rows.get(outcome.shot_id)
            self.state.set_progress(outcome.shot_id, None)
            if outcome.kind is ShotOutcomeKind.FAILED:
                self.state.set_failed(outcome.shot_id, outcome.message)
            if row is None or outcome.shot_id in self._jobs:  # a job's row shows the job's state
                continue
            row.setText(1, outcome.kind.value)
            row.setText(3, outcome.message)
            row.setToolTip(3, outcome.message)
            bar = self.rows.itemWidget(row, 2)
            if isinstance(bar, QProgressBar) and outcome.kind in (ShotOutcomeKind.RENDERED, ShotOutcomeKind.CACHED):
                bar.setValue(100)
        failed = report.count(ShotOutcomeKind.FAILED)
        text = f"{report.count(ShotOutcomeKind.RENDERED)} rendered, {report.count(ShotOutcomeKind.CACHED)} unchanged, {failed} failed"
        self.summary.setText(text)
        if failed:
            first = next(iter(report.failures.values()))
            self.controller.message.emit(f"Render: {text}. {first}", 0)
        for warning in report.warnings[:3]:
            self.controller.message.emit(f"Render warning: {warning}", STATUS_MS)

    @Slot(object)
    def _on_assembled(self, path: Path) -> None:
        self.last_sequence = Path(path)
        self.overall.setValue(100)
        self.summary.setText(f"{self.summary.text().split(' · ')[0]} · animatic ready")
        failures = self._report.failures if self._report else {}
        if failures:  # keep the failure in view: it is what the user must act on
            first = next(iter(failures.values()))
            self.controller.message.emit(f"Animatic assembled with {len(failures)} failed shot(s) shown as cards: {first}", 0)
        else:
            self.controller.message.emit(f"Animatic assembled: {path}", STATUS_MS)
        self.sequence_ready.emit(Path(path))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.summary.setText("Render stopped")
        self.controller.message.emit(message, 0)

    @Slot(bool)
    def _on_finished(self, cancelled: bool) -> None:
        self.preview.clear()
        for shot_id in list(self.state.progress):
            self.state.set_progress(shot_id, None)
        if cancelled:
            self.summary.setText("Cancelled; finished takes are kept")
            self.controller.message.emit("Render cancelled; finished takes are kept", STATUS_MS)
        self._set_running(False)
        self.state.set_busy(False)
        self.render_finished.emit(self._report)

    def shutdown(self) -> None:
        """The window is closing: stop the worker thread without waiting for the GUI thread, then
        the worker process (and the models it holds)."""
        if self.worker.running:
            self.worker.abandon()
            if self.worker.thread is not None:
                self.worker.thread.join(timeout=5)
        if self.runner is not None:
            self.runner.close()
            self.runner = None
