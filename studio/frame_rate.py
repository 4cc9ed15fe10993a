"""Frame rates and timecode. Timeline time is always an integer frame count at the project rate."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# Rates editors know by their rounded names; 23.976 is really 24000/1001.
_NTSC_NAMES = {"23.976": (24000, 1001), "29.97": (30000, 1001), "59.94": (60000, 1001), "47.952": (48000, 1001)}
# The rates a project may have: timecode needs at least one frame a second.
MIN_FPS = 1
MAX_FPS = 240


@dataclass(frozen=True)
class FrameRate:
    numerator: int
    denominator: int = 1

    def __post_init__(self) -> None:
        if self.numerator <= 0 or self.denominator <= 0:
            raise ValueError(f"frame rate must be positive, got {self.numerator}/{self.denominator}")

    @classmethod
    def parse(cls, text: str) -> FrameRate:
        """Reads '24', '25', '23.976' or '24000/1001'."""
        text = text.strip()
        if text in _NTSC_NAMES:
            return cls(*_NTSC_NAMES[text])
        if "/" in text:
            num, den = text.split("/", 1)
            return cls(int(num), int(den))
        value = Fraction(text)
        if value.denominator != 1:
            raise ValueError(f"unsupported frame rate {text!r}: use an integer, 23.976, 29.97, 59.94 or N/D")
        return cls(int(value))

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def fps(self) -> float:
        return self.numerator / self.denominator

    @property
    def timecode_base(self) -> int:
        """Frames per timecode second (24 for 23.976): timecode counts whole frames."""
        return round(self.fps)

    def frames_to_seconds(self, frames: int) -> float:
        return frames * self.denominator / self.numerator

    def seconds_to_frames(self, seconds: float) -> int:
        return round(seconds * self.numerator / self.denominator)

    def timecode(self, frames: int) -> str:
        """Non-drop-frame timecode HH:MM:SS:FF."""
        base = self.timecode_base
        sign = "-" if frames < 0 else ""
        frames = abs(frames)
        ff = frames % base
        total_seconds = frames // base
        return f"{sign}{total_seconds // 3600:02d}:{total_seconds // 60 % 60:02d}:{total_seconds % 60:02d}:{ff:02d}"

    def __str__(self) -> str:
        return str(self.numerator) if self.denominator == 1 else f"{self.numerator}/{self.denominator}"
