"""Fixtures shared by the test suites: the demo project, a saved project folder, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

REPO_ROOT = Path(__file__).resolve().parent.parent
# pytest puts tests/ first on sys.path to import this file, and tests/studio/ and tests/cli/ (folders
# without __init__.py) would then shadow the real packages as namespace packages whenever the repo
# root is not also on the path (plain `pytest` rather than `python -m pytest`). The real ones win:
if sys.path[:1] != [str(REPO_ROOT)]:
    sys.path.insert(0, str(REPO_ROOT))

from studio.demo import demo_project as build_demo_project  # noqa: E402
from studio.project import Project  # noqa: E402
from studio.project_file import save_project  # noqa: E402

# Property tests run on shared CI machines: no per-example deadline, the example counts stay as written.
settings.register_profile("studio", deadline=None)
settings.load_profile("studio")


@pytest.fixture(autouse=True, scope="session")
def _signing_certificates_in_a_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Exports of generated takes create a local signing certificate on first use: tests keep theirs
    out of the real user data folder (subprocesses inherit the variable)."""
    os.environ.setdefault("STORYBOARD_PROVENANCE_DIR", str(tmp_path_factory.mktemp("provenance")))


@pytest.fixture
def demo_project() -> Project:
    """A fresh copy of the demo film ("Last Order") that a test may change freely."""
    return build_demo_project()


@pytest.fixture
def tmp_project_folder(tmp_path: Path, demo_project: Project) -> Path:
    """The demo project saved to tmp_path/Demo.storyboard."""
    return save_project(demo_project, tmp_path / "Demo.storyboard")


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 60) -> CliResult:
    """Runs the installed `studio` command as a user would, in a separate process."""
    script = Path(sys.executable).with_name("studio")
    entry = [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]
    command = [*entry, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd or REPO_ROOT, timeout=timeout)
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture(name="run_cli")
def run_cli_fixture() -> Callable[..., CliResult]:
    """The CLI runner, as a fixture: test folders have conftest.py files of their own, so tests
    cannot import this module by name. Call as run_cli("info", path, "--json")."""
    return run_cli
