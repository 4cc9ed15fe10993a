"""Text to IPA phonemes for the VITS checkpoints that read phonemes, with the espeak-ng program.

transformers' tokenizer would call the `phonemizer` package (GPL-3.0, and not installed), which drives
espeak-ng's library with stress marks on and punctuation kept. We run the espeak-ng program instead,
as the scratch voice does: text on stdin, IPA on stdout. espeak-ng drops punctuation from its IPA, but the
model was trained with it (a comma is a pause), so the line is split at punctuation, each clause
phonemized, and the punctuation put back after it, as phonemizer does.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence

from pipeline.audio.espeak import EspeakNg, install_hint, run_command
from pipeline.audio.scratch_voice import is_pronounceable
from pipeline.audio.speech.base import SpeechError

# Punctuation that ends a clause for espeak-ng, i.e. where its IPA output starts a new line.
_CLAUSE_END = re.compile(r"([,.;:!?…—–]+)")
PHONEME_LANGUAGE = "en-us"  # what the LJ Speech and VCTK checkpoints were trained on (phonemizer's "en-us")


def ipa_phonemes(text: str, espeak: EspeakNg, language: str = PHONEME_LANGUAGE) -> str:
    """`text` (already through `speakable_text`) as IPA with stress marks and its punctuation:
    "Hello, world." -> "həlˈoʊ, wˈɜːld." ; an empty string when nothing is pronounceable."""
    pieces = _CLAUSE_END.split(text)
    clauses: list[str] = []
    for index in range(0, len(pieces), 2):
        words, punctuation = pieces[index].strip(), pieces[index + 1] if index + 1 < len(pieces) else ""
        if is_pronounceable(words):
            clauses.append(_espeak_ipa(words, espeak, language))
        if punctuation and clauses:
            clauses[-1] += punctuation
    return " ".join(clause for clause in clauses if clause)


def _espeak_ipa(clause: str, espeak: EspeakNg, language: str) -> str:
    argv: Sequence[str] = [espeak.binary, "-q", "--ipa", "-v", language, "--stdin"]
    try:
        result = run_command(argv, clause.encode("utf-8"))
    except (FileNotFoundError, PermissionError, NotADirectoryError) as error:
        raise SpeechError(
            f"espeak-ng was not found at {espeak.binary!r} ({error.strerror}); neural voices need it to read text as phonemes: {install_hint()}"
        ) from error
    except subprocess.TimeoutExpired as error:
        raise SpeechError(f"espeak-ng at {espeak.binary} did not finish reading a line as phonemes; check that it runs from a terminal") from error
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
        raise SpeechError(f"espeak-ng could not turn text into phonemes: {detail}")
    # One output line per clause espeak-ng found (it may split ours further, e.g. at quotes).
    return " ".join(result.stdout.decode("utf-8", "replace").split())
