"""Errors of content credentials (C2PA): each names the file and the fix."""

from studio.errors import StudioError


class ProvenanceError(StudioError):
    """A file that cannot be signed or whose content credentials cannot be read."""


class CertificateError(ProvenanceError):
    """A signing certificate or key that is missing, unreadable, expired or not usable for C2PA."""
