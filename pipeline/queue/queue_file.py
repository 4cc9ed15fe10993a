"""The queue kept in the project folder (queue.json), so a render survives the app stopping:
written whole and atomically after every change of state, never half."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.queue.job import Job, QueueSettings
from studio.atomic_file import write_bytes_atomically
from studio.errors import StudioError

QUEUE_FILE = "queue.json"
SCHEMA = "RenderQueue.1"


class QueueFileError(StudioError):
    """A queue file that cannot be read or written."""


def queue_path(folder: Path) -> Path:
    return folder / QUEUE_FILE


def write_queue(folder: Path, settings: QueueSettings, jobs: list[Job]) -> None:
    data = {
        "schema": SCHEMA,
        "backend": settings.backend,
        "size": list(settings.size) if settings.size else None,
        "crash_retries": settings.crash_retries,
        "jobs": [job.to_json() for job in jobs],
    }
    payload = json.dumps(data, indent=1).encode("utf-8")
    target = queue_path(folder)
    try:
        write_bytes_atomically(target, payload, durable=True)
    except OSError as exc:
        raise QueueFileError(f"{target}: could not save the render queue ({exc.strerror or exc}); check the project folder is writable") from None


def read_queue(folder: Path) -> tuple[QueueSettings, list[Job]]:
    path = queue_path(folder)
    if not path.is_file():
        raise QueueFileError(f"{path}: no render queue to resume; start a render instead")
    try:
        data: dict[str, Any] = json.loads(path.read_bytes())
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r}, expected {SCHEMA}")
        size = data.get("size")
        settings = QueueSettings(backend=data.get("backend"), size=(int(size[0]), int(size[1])) if size else None, crash_retries=int(data["crash_retries"]))
        jobs = [Job.from_json(item) for item in data["jobs"]]
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise QueueFileError(f"{path}: the render queue is damaged ({exc}); delete the file and start the render again") from None
    return settings, jobs
