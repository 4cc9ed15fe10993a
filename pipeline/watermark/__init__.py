"""Marks on AI-generated takes: a visible corner label and an optional invisible mark carrying the take id."""

from pipeline.watermark.invisible import InvisibleWatermarkMissing, embed_take_mark, invisible_watermark_available, read_take_mark, take_mark
from pipeline.watermark.visible import Corner, WatermarkSettings, apply_visible_watermark, watermark_box

__all__ = [
    "Corner",
    "InvisibleWatermarkMissing",
    "WatermarkSettings",
    "apply_visible_watermark",
    "embed_take_mark",
    "invisible_watermark_available",
    "read_take_mark",
    "take_mark",
    "watermark_box",
]
