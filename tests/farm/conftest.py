"""One embedded Ray for all farm tests (starting one takes seconds): two CPUs, as the issue asks.
Its workers render the tiny generation models in one step, like the local renders they are compared with."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "generation"))  # the tiny model builders

sys.path.insert(0, str(Path(__file__).parent))
from farm_helpers import TINY_STEPS  # noqa: E402


@pytest.fixture(scope="session")
def ray_session() -> Iterator[None]:
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.ERROR,
        configure_logging=False,
        runtime_env={"env_vars": TINY_STEPS},
    )
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="session")
def tiny_ltx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_ltx import build_tiny_ltx

    return build_tiny_ltx(tmp_path_factory.mktemp("models") / "tiny-ltx")
