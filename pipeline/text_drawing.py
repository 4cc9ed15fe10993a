"""Text on frames with OpenCV's built-in vector font (no font files to ship or find)."""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np

FONT = cv2.FONT_HERSHEY_DUPLEX


def ascii_text(text: str) -> str:
    """Hershey fonts draw ASCII only: fold accents and typographic punctuation instead of '?'."""
    for fancy, plain in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-"), ("\u2026", "...")):
        text = text.replace(fancy, plain)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())


def wrap_text(text: str, max_width: float, scale: float, weight: int, max_lines: int | None = None, font: int = FONT) -> list[str]:
    """Greedy word wrap measured in pixels; what does not fit in max_lines ends with '...'."""
    lines: list[str] = []
    words = ascii_text(text).split()
    current = ""
    for index, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if cv2.getTextSize(trial, font, scale, weight)[0][0] <= max_width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if max_lines is not None and len(lines) == max_lines:
            current = ""
            lines[-1] = _with_ellipsis(" ".join([lines[-1], *words[index:]]), max_width, scale, weight, font)
            break
    if current:
        lines.append(current)
    return lines


def _with_ellipsis(text: str, max_width: float, scale: float, weight: int, font: int) -> str:
    words = text.split()
    while len(words) > 1 and cv2.getTextSize(" ".join(words) + "...", font, scale, weight)[0][0] > max_width:
        words.pop()
    return " ".join(words) + "..."


def draw_wrapped_text(
    image: np.ndarray, text: str, origin: tuple[int, int], max_width: int, scale: float, color: tuple[int, int, int], thickness: int, max_lines: int = 6
) -> int:
    """Draws `text` wrapped to `max_width` from the baseline at `origin`; returns the y below the last line."""
    x, y = origin
    line_height = int(cv2.getTextSize("Ag", FONT, scale, thickness)[0][1] * 1.8) + 2
    lines = wrap_text(text, max_width, scale, thickness, max_lines)
    for line in lines:
        cv2.putText(image, line, (x, y), FONT, scale, color, thickness, cv2.LINE_AA)
        y += line_height
    return y


def draw_label(
    image: np.ndarray, text: str, origin: tuple[int, int], scale: float, color=(255, 255, 255), background=(0, 0, 0), alpha: float = 0.6, pad: int = 6
) -> tuple[int, int]:
    """A text label on a translucent box with its top-left corner at `origin`; returns the box size."""
    text = ascii_text(text)
    (w, h), base = cv2.getTextSize(text, FONT, scale, 1)
    x, y = origin
    x1, y1 = min(image.shape[1], x + w + 2 * pad), min(image.shape[0], y + h + base + 2 * pad)
    if x1 > x and y1 > y:
        region = image[y:y1, x:x1]
        region[:] = (region * (1 - alpha) + np.array(background) * alpha).astype(np.uint8)
    cv2.putText(image, text, (x + pad, y + pad + h), FONT, scale, color, 1, cv2.LINE_AA)
    return x1 - x, y1 - y
