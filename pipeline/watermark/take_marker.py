"""What TakeRecorder does to each frame of a take: the visible mark on generated takes (on drafts only
when asked) and, when installed and asked for, the invisible mark carrying the take id."""

from __future__ import annotations

import numpy as np

from pipeline.watermark.invisible import MIN_PIXELS, embed_take_mark, invisible_watermark_available
from pipeline.watermark.visible import WatermarkSettings, apply_visible_watermark


class TakeMarker:
    def __init__(self, take_id: str, generated: bool, width: int, height: int, settings: WatermarkSettings | None = None) -> None:
        self.take_id, self.generated = take_id, generated
        self.settings = WatermarkSettings.from_environment() if settings is None else settings
        self.visible = self.settings.marks_visibly(generated)
        self.invisible = self.settings.invisible and (generated or self.settings.on_drafts) and width * height >= MIN_PIXELS and invisible_watermark_available()

    def mark(self, frame: np.ndarray) -> np.ndarray:
        if self.invisible:  # first: the visible label then covers only a few of the coefficients carrying it
            frame = embed_take_mark(frame, self.take_id)
        if self.visible:
            frame = apply_visible_watermark(frame, self.settings.corner, self.settings.opacity)
        return frame

    def provenance(self) -> dict[str, str]:
        """The take's `watermark` provenance entry: visible, invisible, visible+invisible or none (generated takes only)."""
        kinds = [name for name, on in (("visible", self.visible), ("invisible", self.invisible)) if on]
        if not kinds and not self.generated:
            return {}
        return {"watermark": "+".join(kinds) or "none"}
