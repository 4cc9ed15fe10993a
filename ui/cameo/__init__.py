"""Cameo capture: record or import a clip, keep the person's likeness, record their consent."""

from ui.cameo.dialog import CameoDialog

__all__ = ["CameoDialog"]
