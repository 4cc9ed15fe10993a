"""Scene headings read as places and times: 'INT. ROSIE'S DINER - NIGHT' -> inside, Rosie's Diner, night.

CONTINUOUS, SAME, LATER and the like keep the time of the scene before; a heading without a time
(INT. DINER - KITCHEN) does too. The place is everything between the INT/EXT prefix and the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.location import TimeOfDay
from studio.script.text import capwords, squash

_PREFIX = re.compile(r"^(INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INT/EXT|I/E|E/I|INT|EXT|EST)\b\.?\s*", re.IGNORECASE)
_DASHES = re.compile(r"\s+[-\u2013\u2014]+\s+")

TIME_WORDS: dict[str, TimeOfDay] = {
    "DAWN": TimeOfDay.DAWN,
    "SUNRISE": TimeOfDay.DAWN,
    "FIRST LIGHT": TimeOfDay.DAWN,
    "MORNING": TimeOfDay.MORNING,
    "EARLY MORNING": TimeOfDay.MORNING,
    "LATE MORNING": TimeOfDay.MORNING,
    "DAY": TimeOfDay.DAY,
    "DAYTIME": TimeOfDay.DAY,
    "NOON": TimeOfDay.DAY,
    "MIDDAY": TimeOfDay.DAY,
    "AFTERNOON": TimeOfDay.AFTERNOON,
    "LATE AFTERNOON": TimeOfDay.AFTERNOON,
    "DUSK": TimeOfDay.DUSK,
    "SUNSET": TimeOfDay.DUSK,
    "TWILIGHT": TimeOfDay.DUSK,
    "MAGIC HOUR": TimeOfDay.DUSK,
    "EVENING": TimeOfDay.EVENING,
    "NIGHT": TimeOfDay.NIGHT,
    "LATE NIGHT": TimeOfDay.NIGHT,
    "NIGHTTIME": TimeOfDay.NIGHT,
    "MIDNIGHT": TimeOfDay.NIGHT,
}
# Times that mean "as in the scene before".
SAME_TIME_WORDS = frozenset(
    {"CONTINUOUS", "CONTINUING", "SAME", "SAME TIME", "LATER", "MOMENTS LATER", "A MOMENT LATER", "MOMENTS BEFORE", "SIMULTANEOUS", "CONT'D", "CONT"}
)


@dataclass(frozen=True)
class Slugline:
    interior: bool
    place: str  # as written, upper case: "ROSIE'S DINER"
    time: TimeOfDay | None  # None: the time of the scene before

    @property
    def location_key(self) -> tuple[bool, str]:
        return (self.interior, self.place)

    @property
    def location_name(self) -> str:
        return capwords(self.place)


def _time_word(segment: str) -> str:
    segment = re.sub(r"\([^)]*\)", " ", segment.upper())
    return squash(re.sub(r"[^A-Z' ]", " ", segment))


def parse_slugline(heading: str) -> Slugline:
    text = squash(heading).upper()
    match = _PREFIX.match(text)
    interior = True
    if match:
        interior = not match.group(1).upper().startswith(("EXT", "EST", "E/I"))
        text = text[match.end() :]
    segments = [s for s in _DASHES.split(text) if s.strip()] or [text]
    time: TimeOfDay | None = None
    if len(segments) > 1:
        word = _time_word(segments[-1])
        if word in TIME_WORDS:
            time = TIME_WORDS[word]
            segments.pop()
        elif word in SAME_TIME_WORDS:
            segments.pop()
    place = squash(" - ".join(segments)).strip(" .-") or "UNNAMED PLACE"
    return Slugline(interior, place, time)
