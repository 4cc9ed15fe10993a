"""Assembling the active takes into one sequence file: transitions, burnt-in overlays, sound."""
