"""The Ray runner: the render queue's jobs rendered by farm workers (Ray actors), as many at once
as the farm has slots, behind the same Runner interface as the local worker process.

Workers are pooled per (backend, model folder), so a model stays loaded from job to job; a worker
asks Ray for the GPUs its backend needs, so Ray places it on a node that has them. A worker that
dies (its node lost, the kernel killing it) fails its job as WORKER_LOST and is replaced: the queue
renders the job again on a fresh worker, which Ray may place on another node.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.diagnostics import app_version
from pipeline.farm.actor import PROGRESS, FarmResult, FarmTask, FarmWorker
from pipeline.farm.address import FarmAddress
from pipeline.farm.resources import gpus_for
from pipeline.farm.returned_media import store_embeddings, unpack_take_media
from pipeline.farm.shipping import InputShipper
from pipeline.progress import CancelToken, ProgressCallback
from pipeline.provenance.take_signing import UnsignedWarnings, sign_returned_take
from pipeline.queue.task import BackendSpec, RenderTask, TaskOutcome, TaskResult
from studio.errors import StudioError

log = logging.getLogger(__name__)

POLL_S = 0.05
FARM_RETRIES = 2  # a job runs on at most three workers before it fails with the last error
INSTALL_HINT = "the render farm needs Ray: pip install 'storyboard-studio[farm]' (or pip install 'ray[client]')"


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise StudioError(INSTALL_HINT) from None
    return ray


@dataclass
class _Worker:
    handle: Any
    spec: BackendSpec
    pid: int
    node: str


@dataclass(frozen=True)
class JobTiming:
    """One job as the app saw it and as the worker spent it. What is neither rendering on the
    worker nor storing the take here (which a local render pays too, in its worker) is the farm's
    scheduling overhead: sending the job and its inputs, progress, bringing the files back."""

    label: str
    started: float  # time.perf_counter() in the app when the job was handed to a worker
    ended: float  # ... and when its take was stored in the project
    render_s: float  # on the worker
    store_s: float  # writing the take's files into the project's store and signing it, here
    node: str

    @property
    def wall_s(self) -> float:
        return self.ended - self.started

    @property
    def overhead_s(self) -> float:
        return self.wall_s - self.render_s - self.store_s


class RayRunner:
    def __init__(
        self,
        address: FarmAddress,
        workers: int | None = None,
        factories: Mapping[str, str] | None = None,
        cancel_grace_s: float = 30.0,
        node_root: Path | None = None,
    ) -> None:
        """workers: how many jobs run at once (default: the cluster's GPUs, or its CPUs when it has
        none). factories: backend name -> "module:function" importable on every node, for backends
        outside the registry. node_root: where nodes keep inputs and caches (default: their temp folder)."""
        self.address, self._workers, self._factories = address, workers, dict(factories or {})
        self.cancel_grace_s, self._node_root = cancel_grace_s, str(node_root) if node_root else None
        self.slots = workers or 1
        self.timings: list[JobTiming] = []
        self.embeddings_computed = 0  # embeddings the farm's encoders computed (two workers may compute the same one)
        self.embeddings_received = 0  # ... of which new to the project's cache, and stored there
        self._ray: Any = None
        self._owns_ray = False
        self._gpus_in_cluster = 0.0
        self._actor_class: Any = None
        self._shipper: InputShipper | None = None
        self._pool: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._changed = threading.Condition()
        self._unsigned = UnsignedWarnings()
        self._warned_no_gpu: set[str] = set()
        self._busy: dict[str, int] = {}  # job label -> pid of the worker rendering it

    # --- Runner ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._ray is not None:
            return
        ray = import_ray()
        if not ray.is_initialized():
            self._connect(ray)
            self._owns_ray = True
        resources = ray.cluster_resources()
        self._gpus_in_cluster = float(resources.get("GPU", 0))
        self.slots = self._workers or max(1, int(self._gpus_in_cluster or resources.get("CPU", 1)))
        # max_concurrency 2: `cancel` runs beside `render`; restarts are the queue's business.
        self._actor_class = ray.remote(max_concurrency=2, max_restarts=0)(FarmWorker)
        self._shipper = InputShipper(ray.put)
        self._ray = ray

    def run(self, task: RenderTask, progress: ProgressCallback, cancel: CancelToken) -> TaskResult:
        try:
            self.start()
            worker = self._acquire(task.backend, task.label, cancel)
        except StudioError as exc:
            return TaskResult(TaskOutcome.FAILED, message=str(exc))
        if worker is None:
            return TaskResult(TaskOutcome.CANCELLED)
        started = time.perf_counter()
        self._busy[task.label] = worker.pid
        try:
            outcome = self._render_on(worker, task, progress, cancel)
        except self._ray.exceptions.RayActorError:
            outcome = None
        except self._ray.exceptions.RayTaskError as exc:  # raised inside the worker outside any render: a bug, not a lost node
            self._discard(worker)
            return TaskResult(TaskOutcome.FAILED, message=f"{task.label}: the farm worker failed ({exc.cause!r})", detail=str(exc))
        except self._ray.exceptions.RayError as exc:  # the farm itself failed (lost object, node gone)
            self._discard(worker)
            return TaskResult(TaskOutcome.WORKER_LOST, message=f"{task.label}: the render farm lost the job ({type(exc).__name__})")
        finally:
            self._busy.pop(task.label, None)
        if outcome is None:
            self._discard(worker)
            return TaskResult(
                TaskOutcome.WORKER_LOST,
                message=f"the farm worker (pid {worker.pid} on node {worker.node[:8]}) died while rendering {task.label}; "
                "its node may have gone down or run out of memory",
            )
        if isinstance(outcome, TaskResult):  # cancelled and stopped by force
            return outcome
        self._release(worker)
        back = time.perf_counter()
        received = self._received(task, outcome)
        ended = time.perf_counter()
        self.timings.append(JobTiming(task.label, started, ended, outcome.render_s, ended - back, outcome.node))
        return received

    def close(self) -> None:
        if self._ray is None:
            return
        with self._changed:
            for worker in self._pool:
                self._ray.kill(worker.handle)
            self._pool.clear()
            self._idle.clear()
        if self._owns_ray:
            self._ray.shutdown()
        self._ray = None

    # --- pieces ----------------------------------------------------------------------------

    def busy_pid(self, label: str) -> int | None:
        """The process id of the worker rendering the job `label` ("shot 12A"), if one is."""
        return self._busy.get(label)

    @property
    def files_shipped(self) -> int:
        return self._shipper.files_put if self._shipper is not None else 0

    def _connect(self, ray: Any) -> None:
        quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR, "configure_logging": False}
        if self.address.embedded:
            ray.init(num_cpus=self._workers or os.cpu_count() or 1, **quiet)
            return
        url = self.address.client_url
        assert url is not None
        host, _, port = url.removeprefix("ray://").rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
        except OSError as exc:
            raise StudioError(
                f"cannot reach the render farm at {url} ({exc.strerror or exc}); start its head with "
                "'ray start --head --ray-client-server-port=10001' and check that this machine can reach that port"
            ) from None
        try:
            ray.init(address=url, logging_level=logging.ERROR)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise StudioError(f"cannot connect to the render farm at {url}: {exc}") from None

    def _acquire(self, spec: BackendSpec, label: str, cancel: CancelToken) -> _Worker | None:
        """An idle worker for `spec`, or a new one while the farm has a free slot; otherwise an
        idle worker of another backend makes way (it holds resources a new one may need). Jobs
        prepared ahead wait here for a worker; None when cancelled while waiting."""
        with self._changed:
            while True:
                for worker in self._idle:
                    if worker.spec == spec:
                        self._idle.remove(worker)
                        return worker
                if len(self._pool) >= self.slots and self._idle:
                    other = self._idle.pop(0)
                    self._pool.remove(other)
                    self._ray.kill(other.handle)
                if len(self._pool) < self.slots:
                    placeholder = _Worker(None, spec, 0, "")
                    self._pool.append(placeholder)  # holds the slot while the worker starts
                    break
                if cancel.cancelled:
                    return None
                self._changed.wait(POLL_S)
        try:
            worker = self._start_worker(spec, label)
        except BaseException:
            with self._changed:
                self._pool.remove(placeholder)
                self._changed.notify_all()
            raise
        with self._changed:
            self._pool[self._pool.index(placeholder)] = worker
        return worker

    def _start_worker(self, spec: BackendSpec, label: str) -> _Worker:
        gpus = gpus_for(spec.name)
        if gpus and self._gpus_in_cluster < gpus:
            if spec.name not in self._warned_no_gpu:
                log.warning("the render farm has no GPU for the %s backend; its workers render on CPUs", spec.name)
                self._warned_no_gpu.add(spec.name)
            gpus = 0
        handle = self._actor_class.options(num_cpus=1, num_gpus=gpus).remote(self._factories, self._node_root)
        try:
            info = self._ray.get(handle.ready.remote())
        except self._ray.exceptions.RayError as exc:
            raise StudioError(f"{label}: a farm worker for the {spec.name} backend could not start ({exc}); check the farm's nodes") from None
        local = app_version()
        if info["version"] != local:
            self._ray.kill(handle)
            raise StudioError(
                f"{label}: farm node {info['node'][:8]} runs Storyboard Studio {info['version']}, this app is {local}; install the same version on every node"
            )
        return _Worker(handle, spec, int(info["pid"]), str(info["node"]))

    def _release(self, worker: _Worker) -> None:
        with self._changed:
            self._idle.append(worker)
            self._changed.notify_all()

    def _discard(self, worker: _Worker) -> None:
        with self._changed:
            if worker in self._pool:
                self._pool.remove(worker)
            self._changed.notify_all()
        try:
            self._ray.kill(worker.handle)
        except Exception:  # noqa: BLE001 - it is gone already
            pass

    def _render_on(self, worker: _Worker, task: RenderTask, progress: ProgressCallback, cancel: CancelToken) -> FarmResult | TaskResult | None:
        """The worker's result; a TaskResult when a cancelled render had to be stopped by force;
        raises RayActorError when the worker dies."""
        ray = self._ray
        assert self._shipper is not None
        shipped = self._shipper.ship(task.request)
        farm_task = FarmTask(dataclasses.replace(task, folder=Path()), shipped, _project_key(task))
        job_key = uuid.uuid4().hex
        stream = worker.handle.render.options(num_returns="streaming").remote(farm_task, job_key)
        cancelled_at: float | None = None
        while True:
            if cancel.cancelled and cancelled_at is None:
                worker.handle.cancel.remote(job_key)
                cancelled_at = time.monotonic()
            if cancelled_at is not None and time.monotonic() - cancelled_at > self.cancel_grace_s:
                self._discard(worker)
                return TaskResult(TaskOutcome.CANCELLED)
            ready, _ = ray.wait([stream], timeout=POLL_S)
            if not ready:
                continue
            try:
                kind, payload = ray.get(next(stream))
            except StopIteration:
                return None  # ended without a result: only a dying worker does that
            if kind == PROGRESS:
                progress(payload)
            else:
                return payload

    def _received(self, task: RenderTask, outcome: FarmResult) -> TaskResult:
        """The take's files into the project's store, its master signed here, as a local render does;
        embeddings the worker computed into the project's cache, even when the render then failed."""
        result = outcome.result
        try:
            stored = store_embeddings(outcome.embeddings, task.request.cache_dir or task.folder / "cache")
        except OSError as exc:
            log.warning("%s: embeddings from the farm were not cached (%s); they are computed again when needed", task.label, exc)
            stored = 0
        with self._changed:
            self.embeddings_computed += len(outcome.embeddings)
            self.embeddings_received += stored
        if result.take is None:
            return result
        try:
            unpack_take_media(result.take, outcome.files, task.folder)
            name = f"{task.request.shot.number}_T{task.take_number}"
            take, signing = sign_returned_take(result.take, task.folder, name, {c.id: c.name for c in task.request.characters})
        except (StudioError, OSError) as exc:
            return TaskResult(TaskOutcome.FAILED, message=f"{task.label}: {exc}")
        warnings = (*result.warnings, *self._unsigned.warnings(self, name, signing))
        return dataclasses.replace(result, take=take, warnings=warnings)


def _project_key(task: RenderTask) -> str:
    return task.request.project_id or hashlib.sha256(str(task.folder).encode()).hexdigest()[:32]
