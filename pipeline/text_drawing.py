"""Text on frames with OpenCV's built-in vector font (no font files to ship or find)."""

from __future__ import annotations

import cv2
import numpy as np

FONT = cv2.FONT_HERSHEY_DUPLEX


def wrap_text(text: str, max_width: int, scale: float, thickness: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if cv2.getTextSize(candidate, FONT, scale, thickness)[0][0] <= max_width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


def draw_wrapped_text(
    image: np.ndarray, text: str, origin: tuple[int, int], max_width: int, scale: float, color: tuple[int, int, int], thickness: int, max_lines: int = 6
) -> int:
    """Draws `text` wrapped to `max_width` from the baseline at `origin`; returns the y below the last line."""
    x, y = origin
    line_height = int(cv2.getTextSize("Ag", FONT, scale, thickness)[0][1] * 1.8) + 2
    lines = wrap_text(_printable(text), max_width, scale, thickness)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [lines[max_lines - 1] + " ..."]
    for line in lines:
        cv2.putText(image, line, (x, y), FONT, scale, color, thickness, cv2.LINE_AA)
        y += line_height
    return y


def draw_label(
    image: np.ndarray, text: str, origin: tuple[int, int], scale: float, color=(255, 255, 255), background=(0, 0, 0), alpha: float = 0.6, pad: int = 6
) -> tuple[int, int]:
    """A text label on a translucent box with its top-left corner at `origin`; returns the box size."""
    text = _printable(text)
    (w, h), base = cv2.getTextSize(text, FONT, scale, 1)
    x, y = origin
    x1, y1 = min(image.shape[1], x + w + 2 * pad), min(image.shape[0], y + h + base + 2 * pad)
    if x1 > x and y1 > y:
        region = image[y:y1, x:x1]
        region[:] = (region * (1 - alpha) + np.array(background) * alpha).astype(np.uint8)
    cv2.putText(image, text, (x + pad, y + pad + h), FONT, scale, color, 1, cv2.LINE_AA)
    return x1 - x, y1 - y


def _printable(text: str) -> str:
    # The Hershey fonts only have ASCII; typographic quotes and dashes are common in scripts.
    table = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-", "\u2026": "..."}
    text = "".join(table.get(ch, ch) for ch in text)
    return text.encode("ascii", "replace").decode("ascii")
