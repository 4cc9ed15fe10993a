"""Backends created once per process and kept: a model backend loads its weights on the first
shot, and every later shot in the same process re-uses them."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path

from pipeline.backends.base import ShotRenderer
from pipeline.backends.registry import create_backend, set_model_dir
from pipeline.queue.task import BackendSpec
from studio.errors import StudioError


def load_factory(reference: str) -> Callable[[], ShotRenderer]:
    """The backend factory named "package.module:function"; importable wherever the task runs."""
    module_name, colon, attribute = reference.partition(":")
    if not colon or not module_name or not attribute:
        raise StudioError(f"backend factory {reference!r} is not of the form 'package.module:function'; fix the reference")
    try:
        target: object = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as exc:
        raise StudioError(f"backend factory {reference!r} cannot be loaded ({exc}); check that the module is installed where the render runs") from None
    if not callable(target):
        raise StudioError(f"backend factory {reference!r} is not a function")
    return target  # type: ignore[return-value]


class ResidentBackends:
    def __init__(self, factories: Mapping[str, str]) -> None:
        """factories: backend name -> "module:function", for backends outside the registry."""
        self._factories = dict(factories)
        self._backends: dict[tuple[str, Path | None], ShotRenderer] = {}

    def get(self, spec: BackendSpec) -> ShotRenderer:
        key = (spec.name, spec.model_dir)
        if key not in self._backends:
            self._backends[key] = self._create(spec)
        return self._backends[key]

    def clear(self) -> None:
        self._backends.clear()

    def _create(self, spec: BackendSpec) -> ShotRenderer:
        if spec.name in self._factories:
            return load_factory(self._factories[spec.name])()
        if spec.model_dir is not None:
            set_model_dir(spec.model_dir, spec.name)
        return create_backend(spec.name)
