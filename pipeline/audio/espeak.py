"""espeak-ng, the scratch-voice synthesizer: where it is, which version it is, and running it safely.

Text reaches espeak-ng on stdin (`--stdin`), never through a shell nor as an argument, so a line that
starts with '-' or holds quotes is spoken rather than interpreted. The audio comes back on stdout, so no
temporary files are involved. The process runner is injected so that tests can count or replace calls
without a mock library, and the binary path is a setting so a user can point at their own install.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline.audio.pcm import SoundError

ESPEAK_RATE = 22_050  # what espeak-ng's own voices produce; the WAV header says so too and is what we trust
_TIMEOUT_S = 60.0
# Control characters can switch espeak-ng into its embedded-command mode; a line must only ever be spoken.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CommandRunner(Protocol):
    def __call__(self, argv: Sequence[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]: ...


def run_command(argv: Sequence[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    """Runs a program without a shell, feeding `stdin` and capturing both outputs."""
    return subprocess.run(list(argv), input=stdin, capture_output=True, check=False, timeout=_TIMEOUT_S)


@dataclass(frozen=True)
class EspeakArgs:
    """Everything espeak-ng is told about how to say a line, clamped to the ranges it accepts."""

    voice: str  # "en-us", "en-us+f3", "en-us+whisper"
    pitch: int  # 0..99
    words_per_minute: int  # 80..450
    amplitude: int  # 0..200, 100 is espeak-ng's normal level

    def options(self) -> list[str]:
        return [
            "-v",
            self.voice,
            "-p",
            str(min(99, max(0, self.pitch))),
            "-s",
            str(min(450, max(80, self.words_per_minute))),
            "-a",
            str(min(200, max(0, self.amplitude))),
            "--stdin",
            "--stdout",
        ]


def install_hint(platform: str = sys.platform) -> str:
    if platform == "darwin":
        return "install it with `brew install espeak-ng`"
    if platform.startswith("win"):
        return "install it from https://github.com/espeak-ng/espeak-ng/releases (the .msi) and add it to PATH"
    return "install it with `sudo apt-get install espeak-ng` (Fedora: `sudo dnf install espeak-ng`, Arch: `sudo pacman -S espeak-ng`)"


def speakable_text(text: str) -> str:
    """The text as espeak-ng should read it: one paragraph, no control codes, and no "[[", which would
    switch espeak-ng to phoneme input and turn a line of dialogue into gibberish."""
    text = _UNSAFE.sub(" ", text.replace("\r", " ").replace("\n", " "))
    return text.replace("[[", "[ [").replace("]]", "] ]").strip()


class EspeakNg:
    """One espeak-ng install. Thread-safe: each synthesis is its own process."""

    def __init__(self, binary: str | Path = "espeak-ng", runner: CommandRunner = run_command) -> None:
        self.binary = str(binary)
        self._runner = runner
        self._version: str | None = None
        self._lock = threading.Lock()

    def version(self) -> str:
        """espeak-ng's self-description (version and data folder): part of every cache key, since another
        version or voice data says the same line differently. Asked once per instance."""
        with self._lock:
            if self._version is None:
                result = self._run(["--version"], b"")
                self._version = result.stdout.decode("utf-8", "replace").strip() or "unknown"
            return self._version

    def synthesize(self, text: str, args: EspeakArgs) -> np.ndarray:
        """Speaks `text` (already passed through `speakable_text`) and returns mono float32 at ESPEAK_RATE."""
        result = self._run(args.options(), text.encode("utf-8"))
        samples, rate = parse_wav(result.stdout)
        if rate != ESPEAK_RATE:
            raise SoundError(f"espeak-ng at {self.binary} wrote {rate} Hz audio, expected {ESPEAK_RATE} Hz; is it an MBROLA voice? use an espeak-ng voice")
        return samples

    def _run(self, args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
        try:
            result = self._runner([self.binary, *args], stdin)
        except (FileNotFoundError, PermissionError, NotADirectoryError) as error:
            raise SoundError(
                f"espeak-ng was not found at {self.binary!r} ({error.strerror}); scratch voices need it: {install_hint()}, or set the espeak-ng path in Settings"
            ) from error
        except subprocess.TimeoutExpired as error:
            raise SoundError(f"espeak-ng at {self.binary} did not finish within {_TIMEOUT_S:.0f} s; check that it runs from a terminal") from error
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
            raise SoundError(f"espeak-ng failed: {detail}")
        return result


def parse_wav(data: bytes) -> tuple[np.ndarray, int]:
    """Reads the 16-bit mono WAV espeak-ng streams to stdout. Its header's sizes are placeholders (it cannot
    seek back on a pipe), so the data chunk is taken to run to the end of the stream."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SoundError("espeak-ng did not return WAV audio; check that the configured program really is espeak-ng")
    offset = 12
    rate = channels = bits = 0
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        size = struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        body = offset + 8
        if chunk_id == b"fmt ":
            _format, channels, rate, _byte_rate, _align, bits = struct.unpack("<HHIIHH", data[body : body + 16])
        elif chunk_id == b"data":
            if channels != 1 or bits != 16:
                raise SoundError(f"espeak-ng returned {channels}-channel {bits}-bit audio; expected mono 16-bit")
            pcm = data[body:]
            pcm = pcm[: len(pcm) - len(pcm) % 2]
            return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0, rate
        offset = body + size + (size & 1)
    raise SoundError("espeak-ng's WAV output had no audio data")
