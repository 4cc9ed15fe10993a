"""The renderers the app knows, by name. Backends are created on demand, so an unused one costs nothing."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.backends.base import ShotRenderer
from studio.errors import StudioError

DEFAULT_BACKEND = "draft"


def _draft() -> ShotRenderer:
    from pipeline.backends.draft.renderer import DraftRenderer

    return DraftRenderer()


_FACTORIES: dict[str, Callable[[], ShotRenderer]] = {"draft": _draft}


def register_backend(name: str, factory: Callable[[], ShotRenderer]) -> None:
    _FACTORIES[name] = factory


def backend_names() -> list[str]:
    return sorted(_FACTORIES)


def create_backend(name: str) -> ShotRenderer:
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise StudioError(f"unknown backend {name!r}; choose one of: {', '.join(backend_names())}") from None
    return factory()
