"""Characters: who appears in shots, how they look and how they sound."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class VoiceSettings:
    """Scratch-voice settings; `voice` is an espeak-ng voice name such as 'en-us+m3'."""

    voice: str = "en-us"
    pitch: int = 50  # espeak-ng 0..99
    words_per_minute: int = 160


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
