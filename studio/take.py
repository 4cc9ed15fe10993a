"""Takes: the result of one render of one shot."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Take:
    id: str
    number: int  # T1, T2 ... per shot, never reused so names like 12A_T3 stay stable
    input_hash: str  # hash of the document inputs the take was rendered from (see studio.render_inputs)
    backend: str
    settings: dict[str, str] = field(default_factory=dict)  # render settings that change the pixels: size, overlays
    video: str | None = None  # project media paths, content-addressed
    audio: str | None = None  # the shot's mix
    stems: dict[str, str] = field(default_factory=dict)  # "dialogue"/"effects"/"music" -> media path; their sum is the mix before its limiter
    lip_sync: str | None = None  # project media path of the dialogue's word and phoneme timings (JSON), for a lip-sync pass
    last_frame: str | None = None
    thumbnail: str | None = None
    model_id: str | None = None
    seed: int = 0
    created: str = ""  # ISO 8601, UTC
    timings: dict[str, float] = field(default_factory=dict)  # seconds spent per stage, for reports
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def media_paths(self) -> list[str]:
        return [p for p in (self.video, self.audio, *self.stems.values(), self.last_frame, self.thumbnail, self.lip_sync) if p]
