"""A render queue's jobs: one per shot, with the job it waits for and a state from a closed set."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class JobState(StrEnum):
    QUEUED = "queued"  # ready to run
    WAITING = "waiting"  # a chained shot waiting for the take of the shot it continues from
    RUNNING = "running"
    DONE = "done"  # rendered: a new take was recorded
    CACHED = "cached"  # a take made from the same inputs was re-used
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobState.DONE, JobState.CACHED, JobState.FAILED, JobState.CANCELLED})
SUCCEEDED = frozenset({JobState.DONE, JobState.CACHED})


@dataclass(frozen=True)
class QueueSettings:
    """How every job of one queue renders."""

    backend: str | None = None  # None: each shot's own backend
    size: tuple[int, int] | None = None  # None: the project's frame size
    crash_retries: int = 1  # fresh workers tried after a worker dies on a job, before the job fails


@dataclass
class Job:
    shot_id: str
    number: str  # the shot's number when queued, for messages
    after: str | None = None  # shot id of the job whose new take this one continues from
    new_take: bool = False  # render even when a take from the same inputs exists
    new_seed: bool = False  # draw a new seed just before rendering
    state: JobState = JobState.QUEUED
    attempts: int = 0  # workers this job ran on in the current run; a lost worker is retried
    message: str = ""  # why it failed, for the user
    take_id: str | None = None  # noted before the take is recorded, so a resume can tell it was

    def to_json(self) -> dict[str, Any]:
        return {
            "shot_id": self.shot_id,
            "number": self.number,
            "after": self.after,
            "new_take": self.new_take,
            "new_seed": self.new_seed,
            "state": self.state.value,
            "attempts": self.attempts,
            "message": self.message,
            "take_id": self.take_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Job:
        return cls(
            shot_id=str(data["shot_id"]),
            number=str(data["number"]),
            after=data.get("after"),
            new_take=bool(data.get("new_take", False)),
            new_seed=bool(data.get("new_seed", False)),
            state=JobState(data["state"]),
            attempts=int(data.get("attempts", 0)),
            message=str(data.get("message", "")),
            take_id=data.get("take_id"),
        )
