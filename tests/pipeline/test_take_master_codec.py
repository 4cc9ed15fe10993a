"""Take masters: Motion JPEG at a fixed quantiser of 3, so near lossless, and written on one encoder
thread, so their bytes do not depend on how many cores the machine that rendered them has."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.encode.codecs import TAKE_MASTER
from pipeline.encode.video_writer import VideoWriter, read_video_frames
from studio.frame_rate import FrameRate

FIXTURE = Path(__file__).parents[1] / "fixtures" / "faces" / "astronaut.jpg"


def photo(width: int, height: int) -> np.ndarray:
    return np.ascontiguousarray(cv2.resize(cv2.imread(str(FIXTURE)), (width, height), interpolation=cv2.INTER_AREA)[:, :, ::-1])


def master_of(path: Path, frame: np.ndarray, codec=TAKE_MASTER) -> np.ndarray:
    with VideoWriter(path, frame.shape[1], frame.shape[0], FrameRate(24), codec) as writer:
        for _ in range(3):
            writer.write(frame)
    return list(read_video_frames(path))[-1]


def test_a_master_is_near_lossless_and_its_quantiser_is_the_one_asked_for(tmp_path):
    source = photo(640, 360)
    fine = master_of(tmp_path / "q3.mov", source)
    coarse = master_of(tmp_path / "q12.mov", source, dataclasses.replace(TAKE_MASTER, quantiser=12))

    assert cv2.PSNR(source, fine) > 39  # FFmpeg's default rate control, which an ignored "-q:v" left it to, gave 32
    assert cv2.PSNR(source, coarse) < cv2.PSNR(source, fine) - 2
    assert (tmp_path / "q12.mov").stat().st_size < (tmp_path / "q3.mov").stat().st_size * 0.7


WRITE_A_MASTER = """
import os, sys
import numpy as np
from pipeline.encode.codecs import TAKE_MASTER
from pipeline.encode.video_writer import VideoWriter
from studio.frame_rate import FrameRate
os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[: int(sys.argv[2])]))
rng = np.random.default_rng(7)
with VideoWriter(sys.argv[1], 160, 90, FrameRate(24), TAKE_MASTER) as writer:
    for _ in range(4):
        writer.write(rng.integers(0, 255, (90, 160, 3), dtype=np.uint8))
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs to compare with one")
def test_a_take_masters_bytes_do_not_depend_on_the_cores_it_was_encoded_on(tmp_path):
    # FFmpeg's Motion JPEG encoder writes other Huffman tables with one thread than with several,
    # and by default it starts a thread per core it may run on.
    root = Path(__file__).parents[2]
    for cores in (1, 2):
        subprocess.run([sys.executable, "-c", WRITE_A_MASTER, str(tmp_path / f"{cores}.mov"), str(cores)], check=True, cwd=root, timeout=60)
    assert (tmp_path / "1.mov").read_bytes() == (tmp_path / "2.mov").read_bytes()
