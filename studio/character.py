"""Characters: who appears in shots, how they look and how they sound."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from studio.consent import ConsentRecord


class VoiceEngine(StrEnum):
    """Which synthesizer speaks a character's lines."""

    ESPEAK = "espeak"  # the espeak-ng scratch voice: always available, robotic, a timing aid
    VITS = "vits"  # a neural VITS model run locally when its weights are on this machine


@dataclass(frozen=True)
class VoiceSettings:
    """How a character sounds. `voice` is an espeak-ng voice name such as 'en-us+m3'; `voice` and
    `pitch` shape the espeak-ng scratch voice, which a VITS character also falls back to when its
    model is missing, so both stay meaningful whichever engine is chosen."""

    voice: str = "en-us"
    pitch: int = 50  # espeak-ng 0..99
    words_per_minute: int = 160  # both engines: VITS reads 160 as its natural pace
    engine: VoiceEngine = VoiceEngine.ESPEAK
    model: str | None = None  # VITS: a voice model key ("vits-ljs") or a model folder; None is the default model
    speaker: int = 0  # VITS: which voice of a multi-speaker model (vits-vctk has 109); single-speaker models have only 0


@dataclass
class Character:
    id: str
    name: str
    description: str = ""
    reference_images: list[str] = field(default_factory=list)  # project media paths
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    color: str = "#8899aa"  # silhouette colour in draft panels, so characters read apart
    # Embeddings cached per (model, input hash) key -> media path; filled by the generation engine.
    embeddings: dict[str, str] = field(default_factory=dict)
    # The consent of the person whose likeness the reference images carry (studio.consent); None: none recorded.
    likeness_consent: ConsentRecord | None = None
    # The cameo clip's voice (WAV, project media path), kept for a voice-cloning engine; scratch and VITS voices ignore it.
    voice_sample: str | None = None
