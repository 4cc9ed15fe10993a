"""Errors an export or a cut import can raise; each names the file or shot and the fix."""

from studio.errors import StudioError


class ExportError(StudioError):
    """An export that cannot be written as asked (bad destination, unsupported rate, failed adapter)."""


class CutImportError(StudioError):
    """An edited timeline that cannot be read or applied to the project."""
