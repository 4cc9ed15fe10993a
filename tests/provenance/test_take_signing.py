"""Issue #9: every generated take carries content credentials (C2PA) from the moment it is rendered;
draft takes are not signed; without a usable certificate the take is still recorded, unsigned, with one warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from watermark_helpers import FakeGenerator, shot_request, video_frames

from pipeline.backends.registry import create_backend
from pipeline.progress import CancelToken, no_progress
from pipeline.provenance.certificates import CERT_ENV, DIR_ENV, KEY_ENV, create_local_chain
from pipeline.provenance.verification import verify_file
from pipeline.render.shot_render import render_shot
from pipeline.watermark import WatermarkSettings
from studio.media_store import MediaStore

PLAIN = WatermarkSettings(visible=False, invisible=False)


@pytest.fixture(autouse=True)
def provenance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "provenance"
    monkeypatch.setenv(DIR_ENV, str(folder))
    monkeypatch.delenv(CERT_ENV, raising=False)
    monkeypatch.delenv(KEY_ENV, raising=False)
    return folder


def master(folder: Path, take) -> Path:
    assert take.video
    return MediaStore(folder).resolve(take.video)


def test_a_generated_take_master_is_signed_with_its_model_and_still_decodes(tmp_path: Path) -> None:
    request = shot_request(duration=6)
    rendered = render_shot(request, FakeGenerator(), tmp_path, 2, no_progress, CancelToken(), watermark=PLAIN)
    take = rendered.take
    assert master(tmp_path, take).suffix == ".mov"
    result = verify_file(master(tmp_path, take))
    assert result.state == "Trusted", result.problems  # the local CA is the trust anchor
    assert "fake/model" in result.models
    assert result.title == "1_T2"
    assert result.digital_source_types == ["trainedAlgorithmicMedia"]
    assert result.takes[0]["seed"] == 7
    assert take.provenance["content_credentials"] == "signed"
    assert not [w for w in rendered.warnings if w.startswith("unsigned")]
    frames = video_frames(tmp_path, take)
    assert len(frames) == request.frame_count and frames[0].shape == (180, 320, 3)


def test_a_draft_take_is_not_signed(tmp_path: Path) -> None:
    rendered = render_shot(shot_request(duration=3), create_backend("draft"), tmp_path, 1, no_progress, CancelToken(), watermark=PLAIN)
    assert verify_file(master(tmp_path, rendered.take)).state == "Unsigned"
    assert "content_credentials" not in rendered.take.provenance
    assert not [w for w in rendered.warnings if w.startswith("unsigned")]


def test_an_expired_certificate_records_the_take_unsigned_with_one_warning_per_render(tmp_path: Path, provenance_dir: Path) -> None:
    past = dt.datetime(2021, 3, 1, tzinfo=dt.UTC)
    create_local_chain(provenance_dir, not_before=past, not_after=past + dt.timedelta(days=10))
    renderer = FakeGenerator()
    first = render_shot(shot_request(duration=3), renderer, tmp_path, 1, no_progress, CancelToken(), watermark=PLAIN)
    second = render_shot(shot_request(duration=3), renderer, tmp_path, 2, no_progress, CancelToken(), watermark=PLAIN)
    for rendered in (first, second):
        assert rendered.take.provenance["content_credentials"] == "unsigned"
        assert verify_file(master(tmp_path, rendered.take)).state == "Unsigned"
        assert len(video_frames(tmp_path, rendered.take)) == 3
    unsigned = [w for w in first.warnings if w.startswith("unsigned: ")]
    assert len(unsigned) == 1
    assert "expired on 2021-03-11" in unsigned[0] and "delete the folder" in unsigned[0] and "1_T1" in unsigned[0]
    assert not [w for w in second.warnings if w.startswith("unsigned")]  # said once for the render, not per shot
