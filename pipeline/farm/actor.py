"""The farm worker: one per Ray actor, keeping its backends loaded between jobs like the local
worker process. `render` is a generator: Ray streams its progress events back as they happen and
the result last. `cancel` runs on the actor's second thread, so it reaches a render in progress.

A plain class: the farm runner makes it a Ray actor when Ray is there, so this module imports no Ray.
"""

from __future__ import annotations

import dataclasses
import os
import queue
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pipeline.diagnostics import app_version
from pipeline.farm.returned_media import pack_take_media
from pipeline.farm.shipping import NodeInputs, ShippedRequest, embedding_files
from pipeline.progress import CancelToken, ProgressEvent
from pipeline.queue.perform import perform_task
from pipeline.queue.resident import ResidentBackends
from pipeline.queue.task import RenderTask, TaskOutcome, TaskResult
from pipeline.render.cpu_share import assign_render_cpus
from studio.media_store import MediaStore

PROGRESS, RESULT = "progress", "result"
PROGRESS_EVERY_S = 0.1  # a frame-by-frame draft render would otherwise send hundreds of events a second


@dataclasses.dataclass(frozen=True)
class FarmTask:
    task: RenderTask  # its request is the shipped one's; folder and cache are the node's
    shipped: ShippedRequest
    project_key: str  # names the node's folder for this project


@dataclasses.dataclass(frozen=True)
class FarmResult:
    result: TaskResult
    files: dict[str, bytes]  # the new take's files by media reference
    embeddings: dict[str, bytes]  # embeddings computed for this job, by their path in the embeddings folder
    render_s: float  # time spent in the render on the node, to tell it apart from scheduling
    node: str


class FarmWorker:
    def __init__(self, factories: Mapping[str, str], node_root: str | None = None) -> None:
        import ray

        self._backends = ResidentBackends(factories)
        self._tokens: dict[str, CancelToken] = {}  # job key -> its cancel token, while it renders
        self._cancelled_early: set[str] = set()  # cancels that arrived on the other thread before their render began
        self._lock = threading.Lock()
        root = Path(node_root) if node_root else Path(tempfile.gettempdir()) / "storyboard-farm"
        self._inputs = NodeInputs(root / "inputs", lambda ref: ray.get(ref))
        self._root = root
        self._node = ray.get_runtime_context().get_node_id()
        _use_assigned_cpus(ray)
        MediaStore.durable = False  # this process's stores are scratch: takes are sent home, then deleted here

    def ready(self) -> dict[str, Any]:
        """Who this worker is: the app checks the node runs the same Storyboard Studio."""
        return {"pid": os.getpid(), "node": self._node, "version": app_version()}

    def cancel(self, job_key: str) -> None:
        with self._lock:
            token = self._tokens.get(job_key)
            if token is None:
                self._cancelled_early.add(job_key)
            else:
                token.cancel()

    def render(self, farm_task: FarmTask, job_key: str) -> Iterator[tuple[str, Any]]:
        token = CancelToken()
        with self._lock:
            self._tokens[job_key] = token
            if job_key in self._cancelled_early:
                self._cancelled_early.discard(job_key)
                token.cancel()
        try:
            yield from self._render(farm_task, token)
        finally:
            with self._lock:
                self._tokens.pop(job_key, None)

    def _render(self, farm_task: FarmTask, token: CancelToken) -> Iterator[tuple[str, Any]]:
        started = time.perf_counter()
        # One folder per worker: takes land in its store before they are sent, caches (voices,
        # embeddings) stay for the next job; another worker on this node has its own.
        folder = self._root / farm_task.project_key / f"worker-{os.getpid()}"
        request = self._inputs.materialise(farm_task.shipped, folder / "cache")
        cached_before = set(embedding_files(folder / "cache"))
        task = dataclasses.replace(farm_task.task, request=request, folder=folder, sign_takes=False)
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        last_sent = [0.0]

        def progress(event: ProgressEvent) -> None:
            now = time.monotonic()
            if event.done >= event.total or event.preview is not None or now - last_sent[0] >= PROGRESS_EVERY_S:
                last_sent[0] = now
                events.put((PROGRESS, event))

        def work() -> None:
            try:
                events.put((RESULT, perform_task(task, self._backends, progress, token)))
            except BaseException as exc:  # noqa: BLE001 - perform_task turns errors into results; this is the last guard
                events.put((RESULT, TaskResult(TaskOutcome.FAILED, message=f"{task.label}: the farm worker failed ({exc})")))

        thread = threading.Thread(target=work, name="farm-render", daemon=True)
        thread.start()
        while True:
            kind, payload = events.get()
            if kind == PROGRESS:
                yield kind, payload
                continue
            thread.join()
            files = pack_take_media(payload.take, folder) if payload.take is not None else {}
            computed = self._computed_embeddings(folder / "cache", cached_before)
            yield RESULT, FarmResult(payload, files, computed, time.perf_counter() - started, self._node)
            return

    def _computed_embeddings(self, cache_dir: Path, cached_before: set[str]) -> dict[str, bytes]:
        """Embeddings an encoder computed during this job (they were not in the cache before it)."""
        return {name: path.read_bytes() for name, path in embedding_files(cache_dir).items() if name not in cached_before}


def _use_assigned_cpus(ray: Any) -> None:
    """Ray limits a worker's OpenMP threads to the CPUs it was given, not OpenCV's own pool, which
    would start a thread per core in every worker of the node and have them fight over the cores;
    nor does it tell the render, which overlaps drawing and encoding only with a CPU to spare."""
    import cv2

    cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 1)
    cv2.setNumThreads(max(1, int(cpus)))
    assign_render_cpus(int(cpus))
