"""What comes back from a farm node: a take's files are stored under the names they came with only
when their content matches; embeddings land in the project's cache, never outside it."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.farm.returned_media import store_embeddings, unpack_take_media
from studio.errors import StudioError
from studio.media_store import MediaStore
from studio.take import Take


def ref_for(data: bytes, suffix: str) -> str:
    return f"media/{hashlib.sha256(data).hexdigest()}{suffix}"


def test_a_takes_files_are_stored_under_their_own_names(tmp_path):
    video, sound = b"moving pictures", b"sound"
    take = Take(id="t", number=1, input_hash="x", backend="draft", video=ref_for(video, ".mov"), audio=ref_for(sound, ".wav"))
    unpack_take_media(take, {take.video: video, take.audio: sound}, tmp_path)
    store = MediaStore(tmp_path)
    assert store.resolve(take.video).read_bytes() == video and store.resolve(take.audio).read_bytes() == sound


def test_a_damaged_file_is_refused_and_nothing_is_written(tmp_path):
    take = Take(id="t", number=3, input_hash="x", backend="draft", video=ref_for(b"moving pictures", ".mov"))
    with pytest.raises(StudioError, match="take 3: media/.*came back from the farm damaged"):
        unpack_take_media(take, {take.video: b"moving pictureZ"}, tmp_path)
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").iterdir())


def test_a_missing_file_is_refused_unless_the_project_has_it(tmp_path):
    data = b"thumbnail"
    take = Take(id="t", number=2, input_hash="x", backend="draft", thumbnail=ref_for(data, ".jpg"))
    with pytest.raises(StudioError, match="take 2: the farm sent back no media/"):
        unpack_take_media(take, {}, tmp_path)
    MediaStore(tmp_path).add_bytes(data, ".jpg")
    unpack_take_media(take, {}, tmp_path)  # already there: nothing to send


def test_embeddings_land_in_the_cache_and_never_outside_it(tmp_path):
    cache = tmp_path / "cache"
    written = store_embeddings({"ltx-1/prompt/abc.safetensors": b"t", "../../escape.safetensors": b"x", "/abs.safetensors": b"y"}, cache)
    assert written == 1
    assert (cache / "embeddings" / "ltx-1" / "prompt" / "abc.safetensors").read_bytes() == b"t"
    assert not (tmp_path / "escape.safetensors").exists()
    assert store_embeddings({"ltx-1/prompt/abc.safetensors": b"t"}, cache) == 0  # already cached
