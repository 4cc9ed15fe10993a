"""Cameo capture: a person's clip turned into a character's reference frames and voice sample."""

from pipeline.cameo.analysis import CameoAnalysis, CameoError, FaceCandidate, NoFaceError, ReferenceFrame, SeveralFacesError, UnreadableClipError, analyse_clip

__all__ = ["CameoAnalysis", "CameoError", "FaceCandidate", "NoFaceError", "ReferenceFrame", "SeveralFacesError", "UnreadableClipError", "analyse_clip"]
