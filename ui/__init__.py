"""The desktop app: PySide6 views and controllers over studio/ and pipeline/."""
