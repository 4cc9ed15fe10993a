"""The optional invisible mark: a short hash of the take id, embedded in the frame's wavelet/DCT
coefficients with invisible-watermark's dwtDct method, and read back by `read_take_mark`.

Best effort only: it survives H.264 on natural images but not on flat or hard-edged synthetic
frames, and never a crop. The C2PA manifest is the real record. invisible-watermark is optional:
it declares torch and the GUI OpenCV as requirements, so scripts/setup.sh installs it with
--no-deps next to PyWavelets (dwtDct needs only numpy, cv2 and pywt).
"""

from __future__ import annotations

import hashlib
import importlib.util

import cv2
import numpy as np

MARK_BYTES = 4  # 32 bits: enough to tell takes apart, few enough to survive
MIN_PIXELS = 256 * 256  # dwtDct refuses smaller frames
INSTALL_HINT = "install it with `pip install PyWavelets && pip install --no-deps invisible-watermark` (scripts/setup.sh does)"


class InvisibleWatermarkMissing(RuntimeError):
    """invisible-watermark (or PyWavelets) is not installed."""


def invisible_watermark_available() -> bool:
    return importlib.util.find_spec("imwatermark") is not None and importlib.util.find_spec("pywt") is not None


def take_mark(take_id: str) -> bytes:
    """The bytes embedded for a take: the first MARK_BYTES of the SHA-256 of its id."""
    return hashlib.sha256(take_id.encode()).digest()[:MARK_BYTES]


def can_mark(frame: np.ndarray) -> bool:
    return frame.shape[0] * frame.shape[1] >= MIN_PIXELS


def embed_take_mark(frame: np.ndarray, take_id: str) -> np.ndarray:
    """A copy of the RGB uint8 `frame` carrying take_mark(take_id); frames below 256x256 come back unchanged."""
    if not can_mark(frame):
        return frame
    encoder_type = _module().WatermarkEncoder
    encoder = encoder_type()
    encoder.set_watermark("bytes", take_mark(take_id))
    bgr = encoder.encode(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), "dwtDct")
    return cv2.cvtColor(np.clip(np.rint(bgr), 0, 255).astype(np.uint8), cv2.COLOR_BGR2RGB)


def read_take_mark(frame: np.ndarray) -> bytes | None:
    """The MARK_BYTES read from the RGB uint8 `frame` (compare with take_mark(take_id)); None if too small to carry one."""
    if not can_mark(frame):
        return None
    decoder = _module().WatermarkDecoder("bytes", MARK_BYTES * 8)
    return bytes(decoder.decode(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), "dwtDct"))


def _module():
    if not invisible_watermark_available():
        raise InvisibleWatermarkMissing(f"the invisible watermark needs invisible-watermark and PyWavelets; {INSTALL_HINT}")
    import imwatermark  # noqa: PLC0415 - optional, heavy-ish, imported on first use

    return imwatermark
