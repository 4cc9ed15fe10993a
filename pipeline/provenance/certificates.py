"""The certificate chain that signs content credentials.

On first use a local certificate authority and a signing leaf issued by it are created (C2PA
refuses a self-signed leaf): ES256 on P-256, the leaf with digitalSignature and the
emailProtection extended key usage. They live in the provenance folder, by default
`platformdirs.user_data_dir("Storyboard Studio")/provenance` (override: $STORYBOARD_PROVENANCE_DIR),
the folder 0700 and every file 0600:

    ca.pem  ca.key        the local CA (its certificate is the trust anchor for `studio verify`)
    signer.pem signer.key the signing leaf

A user who has a certificate of their own points to it with $STORYBOARD_SIGNING_CERT (a PEM
chain, leaf first) and $STORYBOARD_SIGNING_KEY (its PEM private key); nothing is created then.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pipeline.provenance.errors import CertificateError

APP_NAME = "Storyboard Studio"
DIR_ENV = "STORYBOARD_PROVENANCE_DIR"
CERT_ENV = "STORYBOARD_SIGNING_CERT"
KEY_ENV = "STORYBOARD_SIGNING_KEY"
CA_CERT, CA_KEY, LEAF_CERT, LEAF_KEY = "ca.pem", "ca.key", "signer.pem", "signer.key"
CA_YEARS, LEAF_YEARS = 10, 2


@dataclass(frozen=True)
class SigningChain:
    chain_pem: bytes  # leaf first, then its issuers
    key_pem: bytes
    source: str  # where it came from, for messages: the folder or the user's certificate file
    subject: str  # the leaf's common name
    not_after: dt.datetime


def provenance_dir() -> Path:
    override = os.environ.get(DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / "provenance"


def _write_private(path: Path, data: bytes) -> None:
    """Writes `data` readable by the owner only (0600), from the first byte on."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, APP_NAME), x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def create_local_chain(folder: Path, not_before: dt.datetime | None = None, not_after: dt.datetime | None = None) -> None:
    """Creates the local CA and its signing leaf in `folder` (0700, files 0600). `not_before` and
    `not_after` bound the leaf's validity (tests make an expired one); by default it runs two years from now."""
    now = dt.datetime.now(dt.UTC)
    start = not_before or now - dt.timedelta(minutes=5)
    end = not_after or now + dt.timedelta(days=365 * LEAF_YEARS)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{APP_NAME} local CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(min(start, now - dt.timedelta(minutes=5)))
        .not_valid_after(max(end, now + dt.timedelta(days=365 * CA_YEARS)))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{APP_NAME} signer ({os.environ.get('USER', 'local')})"))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    _write_private(folder / CA_KEY, _key_pem(ca_key))
    _write_private(folder / CA_CERT, ca.public_bytes(pem))
    _write_private(folder / LEAF_KEY, _key_pem(leaf_key))
    _write_private(folder / LEAF_CERT, leaf.public_bytes(pem) + ca.public_bytes(pem))


def _load(cert_path: Path, key_path: Path, fix: str) -> SigningChain:
    for path in (cert_path, key_path):
        if not path.is_file():
            raise CertificateError(f"{path}: the signing {'key' if path == key_path else 'certificate'} is missing; {fix}")
    try:
        chain_pem = cert_path.read_bytes()
        key_pem = key_path.read_bytes()
        certificates = x509.load_pem_x509_certificates(chain_pem)
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise CertificateError(f"{cert_path}: the signing certificate or its key {key_path.name} cannot be read ({exc}); {fix}") from None
    leaf = certificates[0]
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise CertificateError(f"{key_path}: the signing key must be an EC P-256 key (ES256) for content credentials; {fix}")
    if leaf.public_key() != key.public_key():
        raise CertificateError(f"{key_path}: this key does not belong to the certificate {cert_path.name}; {fix}")
    now = dt.datetime.now(dt.UTC)
    if leaf.not_valid_after_utc < now:
        raise CertificateError(f"{cert_path}: the signing certificate expired on {leaf.not_valid_after_utc:%Y-%m-%d}; {fix}")
    if leaf.not_valid_before_utc > now:
        raise CertificateError(f"{cert_path}: the signing certificate is not valid before {leaf.not_valid_before_utc:%Y-%m-%d}; {fix}")
    names = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    subject = str(names[0].value) if names else leaf.subject.rfc4514_string()
    return SigningChain(chain_pem, key_pem, str(cert_path), subject, leaf.not_valid_after_utc)


def load_signing_chain(create: bool = True) -> SigningChain:
    """The chain to sign with: the user's own ($STORYBOARD_SIGNING_CERT and $STORYBOARD_SIGNING_KEY)
    or the local one, created on first use when `create`. Raises CertificateError (missing,
    unreadable, expired) with the fix."""
    cert_env, key_env = os.environ.get(CERT_ENV), os.environ.get(KEY_ENV)
    if cert_env or key_env:
        if not (cert_env and key_env):
            raise CertificateError(
                f"set both ${CERT_ENV} (PEM certificate chain) and ${KEY_ENV} (its PEM private key), or neither to use the local certificate"
            )
        return _load(Path(cert_env), Path(key_env), f"point ${CERT_ENV} and ${KEY_ENV} at a valid certificate and key, or unset them to use the local one")
    folder = provenance_dir()
    if create and not (folder / LEAF_CERT).exists() and not (folder / LEAF_KEY).exists():
        create_local_chain(folder)
    fix = f"delete the folder {folder} to have a new local certificate made, or set ${CERT_ENV} and ${KEY_ENV}"
    return _load(folder / LEAF_CERT, folder / LEAF_KEY, fix)


def local_trust_anchor() -> bytes | None:
    """The local CA's certificate (PEM), when there is one: what `studio verify` trusts."""
    path = provenance_dir() / CA_CERT
    return path.read_bytes() if path.is_file() else None
