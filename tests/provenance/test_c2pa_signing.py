"""Content credentials on one file: the local certificate chain, signing an mp4, reading it back, tampering."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import av
import numpy as np
import pytest

from cli.main import main
from pipeline.provenance.certificates import CA_CERT, CA_KEY, CERT_ENV, DIR_ENV, KEY_ENV, LEAF_CERT, LEAF_KEY, create_local_chain, load_signing_chain
from pipeline.provenance.errors import CertificateError, ProvenanceError
from pipeline.provenance.manifest import GeneratedTake, manifest_for
from pipeline.provenance.signing import sign_file
from pipeline.provenance.verification import verify_file
from studio.take import Take

MODEL = "Wan-AI/Wan2.1-VACE-1.3B-diffusers"


@pytest.fixture(autouse=True)
def provenance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "provenance"
    monkeypatch.setenv(DIR_ENV, str(folder))
    monkeypatch.delenv(CERT_ENV, raising=False)
    monkeypatch.delenv(KEY_ENV, raising=False)
    return folder


def tiny_mp4(path: Path, frames: int = 12) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            picture = np.zeros((48, 64, 3), np.uint8)
            picture[:, : 4 + 5 * i] = (200, 40 + 10 * i, 90)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def generated_take() -> Take:
    provenance = {
        "generator": "Storyboard Studio wan backend",
        "model_id": MODEL,
        "model_fingerprint": "f00dfeed",
        "pipeline_class": "WanVACEPipeline",
        "seed": "1234",
        "steps": "30",
        "input:prompt": "aa11",
        "input:character:mara": "bb22cc33dd44ee55ff66",
        "input:location_plate": "cc33",
    }
    return Take(id="t1", number=3, input_hash="in-1", backend="wan", model_id=MODEL, seed=1234, provenance=provenance)


def signed_mp4(tmp_path: Path) -> Path:
    path = tiny_mp4(tmp_path / "12A_T3.mp4")
    manifest = manifest_for(path.name, path.suffix, [GeneratedTake("12A_T3", generated_take())], {"mara": "Mara"}, composite=False)
    sign_file(path, manifest, load_signing_chain())
    return path


def test_first_use_creates_a_ca_and_leaf_readable_by_the_owner_only(provenance_dir: Path) -> None:
    chain = load_signing_chain()
    assert stat.S_IMODE(provenance_dir.stat().st_mode) == 0o700
    for name in (CA_CERT, CA_KEY, LEAF_CERT, LEAF_KEY):
        assert stat.S_IMODE((provenance_dir / name).stat().st_mode) == 0o600, name
    assert chain.chain_pem.count(b"BEGIN CERTIFICATE") == 2  # leaf + CA: a self-signed leaf is refused by C2PA
    again = load_signing_chain()
    assert again.chain_pem == chain.chain_pem  # created once, reused after


def test_signed_mp4_verifies_with_signer_model_and_ingredients(tmp_path: Path) -> None:
    result = verify_file(signed_mp4(tmp_path))
    assert result.ok and result.state == "Trusted"  # the local CA is the trust anchor
    assert result.signer.startswith("Storyboard Studio signer")
    assert result.digital_source_types == ["trainedAlgorithmicMedia"]
    assert "Storyboard Studio" in result.software_agents
    assert result.models == [MODEL]
    assert result.takes[0]["generation"]["pipeline_class"] == "WanVACEPipeline"
    assert result.takes[0]["seed"] == 1234
    assert sorted(result.ingredients) == ["location plate (cc33)", "reference images of Mara (bb22cc33dd44ee55)"]
    assert result.problems == []


def test_without_the_local_ca_the_signature_is_valid_but_untrusted(tmp_path: Path, provenance_dir: Path) -> None:
    path = signed_mp4(tmp_path)
    (provenance_dir / CA_CERT).unlink()
    result = verify_file(path)
    assert result.state == "Valid" and result.ok


def test_two_flipped_bytes_in_the_media_make_verification_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = signed_mp4(tmp_path)
    data = bytearray(path.read_bytes())
    mdat = data.find(b"mdat") + 64
    data[mdat] ^= 0xFF
    data[mdat + 1] ^= 0xFF
    path.write_bytes(bytes(data))
    result = verify_file(path)
    assert result.state == "Invalid" and not result.ok
    assert any("bmffHash.mismatch" in p for p in result.problems)
    assert main(["verify", str(path)]) == 2
    out = capsys.readouterr()
    assert "Invalid" in out.out and "changed after it was signed" in out.out


def test_studio_verify_prints_the_manifest_and_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = signed_mp4(tmp_path)
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Trusted" in out and MODEL in out and "reference images of Mara" in out and "trainedAlgorithmicMedia" in out


def test_an_unsigned_file_is_reported_as_unsigned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tiny_mp4(tmp_path / "plain.mp4")
    assert verify_file(path).state == "Unsigned"
    assert main(["verify", str(path)]) == 2
    assert "Unsigned" in capsys.readouterr().out


def test_verify_names_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(tmp_path / "nope.mp4")]) == 2
    assert "nope.mp4: no such file" in capsys.readouterr().err


def test_an_expired_certificate_is_refused_with_the_date_and_the_fix(provenance_dir: Path) -> None:
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    create_local_chain(provenance_dir, not_before=past, not_after=past + dt.timedelta(days=30))
    with pytest.raises(CertificateError, match=r"signer\.pem: the signing certificate expired on 2020-01-31; delete the folder"):
        load_signing_chain()


def test_a_users_own_certificate_is_used_and_a_half_configured_one_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "own"
    create_local_chain(own)
    monkeypatch.setenv(CERT_ENV, str(own / LEAF_CERT))
    with pytest.raises(CertificateError, match="set both"):
        load_signing_chain()
    monkeypatch.setenv(KEY_ENV, str(own / LEAF_KEY))
    assert load_signing_chain().source == str(own / LEAF_CERT)
    monkeypatch.setenv(KEY_ENV, str(own / "missing.key"))
    with pytest.raises(CertificateError, match="missing.key: the signing key is missing"):
        load_signing_chain()


def test_signing_refuses_a_format_without_content_credentials(tmp_path: Path) -> None:
    path = tmp_path / "cut.otio"
    path.write_text("{}")
    with pytest.raises(ProvenanceError, match="cut.otio: content credentials can be embedded in"):
        sign_file(path, {}, load_signing_chain())
