"""The render queue: jobs per shot with dependencies, a content-hash cache, takes, cancel and retry,
rendered through a runner (this process, or a worker process that keeps backends loaded)."""

from pipeline.queue.inline_runner import InlineRunner
from pipeline.queue.job import Job, JobState, QueueSettings
from pipeline.queue.plan import plan_jobs
from pipeline.queue.process_runner import WorkerProcessRunner
from pipeline.queue.render_queue import RenderQueue
from pipeline.queue.runner import Runner
from pipeline.queue.task import BackendSpec, RenderTask, TaskOutcome, TaskResult

__all__ = [
    "BackendSpec",
    "InlineRunner",
    "Job",
    "JobState",
    "QueueSettings",
    "RenderQueue",
    "RenderTask",
    "Runner",
    "TaskOutcome",
    "TaskResult",
    "WorkerProcessRunner",
    "plan_jobs",
]
