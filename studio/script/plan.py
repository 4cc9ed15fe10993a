"""What an import wants the project to hold: scenes of shots, each with an id computed from its source.

An imported shot's id is a hash of the scene heading it belongs to and the script content it covers
(the speaker and words of a speech, the text of an action line), with a count for repeats. The same
script line therefore gives the same id on every import, whatever the user has since done to the
shot: re-importing matches shots by id, keeps the ones whose source is still there, adds new ones and
removes those whose source is gone. Ids start with 'scr', which ids made by `studio.ids.new_id` (hex
digits only) never do, so shots the user added by hand are never taken for imported ones.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from studio.script.casting import Casting
from studio.shot import Shot

SCRIPT_ID_PREFIX = "scr"
_SCRIPT_ID = re.compile(r"^scr[0-9a-f]{12}$")


def is_script_id(identifier: str) -> bool:
    """Whether an id was made by a script import (and so may be removed when its source is gone)."""
    return bool(_SCRIPT_ID.match(identifier))


def seed_for(identifier: str) -> int:
    """A render seed that follows the shot's source, so a re-import keeps the look of a new shot stable."""
    return int(hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:8], 16) % 1_000_000


class SourceKeys:
    """Makes ids from source keys; the n-th repeat of one key gets its own id."""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()

    def id_for(self, *parts: str) -> str:
        base = "\x1f".join(parts)
        occurrence = self._seen[base]
        self._seen[base] += 1
        digest = hashlib.sha256(f"{base}\x1e{occurrence}".encode()).hexdigest()
        return SCRIPT_ID_PREFIX + digest[:12]


@dataclass
class ShotPlan:
    shot: Shot  # number left empty; the update gives it one that fits its neighbours
    preferred_number: str | None = None  # a shot list's own number, used when free


@dataclass
class ScenePlan:
    id: str
    number: str
    heading: str  # "INT. DINER - NIGHT"; "" for text before the first heading
    shots: list[ShotPlan] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.number} {self.heading or '(no scene heading)'}"


@dataclass
class ScriptPlan:
    source: str
    title: str | None
    scenes: list[ScenePlan]
    casting: Casting
    warnings: list[str] = field(default_factory=list)

    def shots(self) -> list[Shot]:
        return [p.shot for scene in self.scenes for p in scene.shots]
