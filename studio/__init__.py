"""Storyboard Studio's document: the film as data. Pure Python; never imports Qt, torch or diffusers."""

__version__ = "0.1.0"
