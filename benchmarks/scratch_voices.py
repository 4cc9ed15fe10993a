"""Scratch-voice synthesis time: 100 distinct dialogue lines with a cold cache, then the same lines warm.

Target (issue: draft animatic sound): 100 lines in < 5 s on 2 cores with a cold cache, so a first render of
a dialogue-heavy sequence does not keep the editor waiting. Prints the best of several cold runs (each in
a fresh cache folder), the ratio to the target, and the warm (cached) time.

    python benchmarks/scratch_voices.py [--lines 100] [--runs 3] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from pipeline.audio.espeak import EspeakNg
from pipeline.audio.pcm import MIX_RATE
from pipeline.audio.scratch_voice import ScratchLine, ScratchVoices
from pipeline.progress import CancelToken
from studio.character import VoiceSettings

TARGET_S = 5.0
_CAST = (
    VoiceSettings("en-us+f3", 72, 165),
    VoiceSettings("en-us+m3", 25, 150),
    VoiceSettings("en-gb+f4", 60, 175),
    VoiceSettings("en-us+m7", 40, 185),
)
_PARENTHETICALS = ("", "", "", "whispering", "shouting", "quietly")
_OPENINGS = ("Kitchen closes at", "Table", "We still owe", "Nobody leaves before", "She said around", "Bring me", "I counted")
_ENDINGS = (
    "nine, so hurry.",
    "by the window wants the check.",
    "the supplier for last week.",
    "the soup is done.",
    "midnight, maybe later.",
    "another plate.",
    "every chair twice.",
)


def dialogue(count: int) -> list[ScratchLine]:
    """`count` distinct lines of six to ten words, spread over the cast and a few deliveries."""
    lines = []
    for index in range(count):
        text = f"{_OPENINGS[index % len(_OPENINGS)]} {index + 2} {_ENDINGS[(index // len(_OPENINGS)) % len(_ENDINGS)]}"
        lines.append(ScratchLine(text, _CAST[index % len(_CAST)], _PARENTHETICALS[index % len(_PARENTHETICALS)]))
    return lines


def synthesize(lines: list[ScratchLine], cache: Path, workers: int | None) -> tuple[float, float]:
    """Seconds to synthesize all lines, and the seconds of speech they make."""
    voices = ScratchVoices(cache, EspeakNg(), workers=workers)
    started = time.perf_counter()
    audio = voices.audio_many(lines, CancelToken())
    elapsed = time.perf_counter() - started
    return elapsed, sum(a.size for a in audio) / MIX_RATE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="espeak-ng processes at once (default: one per core, at most 8)")
    args = parser.parse_args()
    lines = dialogue(args.lines)
    assert len(set(lines)) == len(lines), "every line is distinct, so none is served from another's cache entry"

    cold: list[float] = []
    warm: list[float] = []
    speech = 0.0
    for _ in range(args.runs):
        cache = Path(tempfile.mkdtemp(prefix="scratch-voices-"))
        try:
            seconds, speech = synthesize(lines, cache, args.workers)
            cold.append(seconds)
            warm.append(synthesize(lines, cache, args.workers)[0])
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    best = min(cold)
    workers = ScratchVoices(Path(), EspeakNg(), workers=args.workers).workers
    print(f"{args.lines} lines, {speech:.1f} s of speech, {os.cpu_count()} cores, {workers} espeak-ng processes at once")
    print(f"cold cache: best {best:.2f} s of {args.runs} runs ({best / TARGET_S:.2f} of the {TARGET_S:.0f} s target), {speech / best:.0f}x real time")
    print(f"warm cache: best {min(warm):.2f} s ({min(warm) / best:.2f} of cold)")


if __name__ == "__main__":
    main()
