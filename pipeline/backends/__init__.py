"""Renderers behind one interface; heavy libraries are imported inside each backend, lazily."""
