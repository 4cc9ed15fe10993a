"""The document and the CLI start light: no Qt, torch or diffusers, and `studio info` is quick."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "diffusers", "transformers", "PySide6", "cv2", "av")

CHECK_IMPORTS = f"""
import sys
import studio, studio.project_file, studio.commands, studio.demo, studio.render_inputs, cli.main
heavy = {HEAVY!r}
print(sorted({{name.split(".")[0] for name in sys.modules}} & set(heavy)))
"""

CHECK_INFO = f"""
import sys
from cli.main import main
code = main(["info", sys.argv[1], "--json"])
heavy = {HEAVY!r}
print(sorted({{name.split(".")[0] for name in sys.modules}} & set(heavy)), file=sys.stderr)
sys.exit(code)
"""


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)


def test_importing_the_document_and_the_cli_loads_no_heavy_library() -> None:
    done = _python(CHECK_IMPORTS)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_running_studio_info_loads_no_heavy_library(tmp_project_folder: Path) -> None:
    done = _python(CHECK_INFO, str(tmp_project_folder))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["shots"] == 11
    assert done.stderr.strip() == "[]"


def test_the_import_check_would_see_a_heavy_import() -> None:
    """The checks above can fail: a module that is imported does show up in sys.modules."""
    done = _python(CHECK_IMPORTS.replace("import studio,", "import json.decoder as torch_stand_in, studio,").replace(repr(HEAVY), repr(("json",))))
    assert done.stdout.strip() == "['json']"


def test_studio_info_on_the_demo_answers_within_half_a_second(tmp_project_folder: Path, run_cli: Callable[..., Any]) -> None:
    timings = []
    for _ in range(3):  # best of three: the first run may pay for a cold disk cache
        started = time.perf_counter()
        result = run_cli("info", tmp_project_folder)
        timings.append(time.perf_counter() - started)
        assert result.returncode == 0, result.stderr
    assert min(timings) < 0.5, f"studio info took {min(timings):.3f} s at best"
