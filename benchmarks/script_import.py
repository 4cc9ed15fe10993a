"""How long a feature-length screenplay takes to become a storyboard, stage by stage.

    .venv/bin/python benchmarks/script_import.py [PAGES ...]

Prints the time of each stage for scripts of the given lengths (default 120 and 240 pages) and the
ratio of the whole import to the 2-second budget a user can wait without noticing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "script_import"))

from script_samples import feature_script  # noqa: E402

from studio.project import Project, VideoFormat  # noqa: E402
from studio.project_file import load_project, save_project  # noqa: E402
from studio.script import import_script, read_screenplay  # noqa: E402
from studio.script.breakdown import break_down  # noqa: E402
from studio.script.coverage import CoverageRules  # noqa: E402
from studio.script.update import plan_update  # noqa: E402

BUDGET_S = 2.0


def measure(pages: int, folder: Path) -> None:
    text, real_pages, scenes = feature_script(min_pages=pages)
    path = folder / f"feature_{pages}.fountain"
    path.write_text(text, encoding="utf-8")
    times: dict[str, float] = {}

    def lap(name: str, start: float) -> float:
        now = time.perf_counter()
        times[name] = now - start
        return now

    t = time.perf_counter()
    screenplay = read_screenplay(path)
    t = lap("read + parse", t)
    project = Project(title="bench", format=VideoFormat())
    plan = break_down(screenplay, project, CoverageRules(), path.name)
    t = lap("coverage", t)
    command, report = plan_update(project, plan)
    command.do(project)
    t = lap("apply edit", t)
    save_project(project, folder / f"feature_{pages}.storyboard")
    lap("save", t)
    total = sum(times.values())

    path.write_text(text.replace("Coffee?", "Tea?"), encoding="utf-8")
    t = time.perf_counter()
    again = load_project(folder / f"feature_{pages}.storyboard")
    command, again_report = import_script(again, path)
    command.do(again)
    save_project(again, folder / f"feature_{pages}.storyboard")
    reimport = time.perf_counter() - t

    shots = len(list(project.shots()))
    print(f"{real_pages} pages, {len(text) // 1024} KB, {scenes} scenes, {shots} shots, {len(project.characters)} characters")
    for name, seconds in times.items():
        print(f"  {name:<14} {seconds * 1000:8.1f} ms")
    print(f"  {'import total':<14} {total * 1000:8.1f} ms   ({total / BUDGET_S:.2f} of the {BUDGET_S:.0f} s budget)")
    print(
        f"  {'re-import':<14} {reimport * 1000:8.1f} ms   ({len(again_report.added)} added, {len(again_report.removed)} removed; {reimport / BUDGET_S:.2f} of budget)"
    )


def main(argv: list[str]) -> None:
    lengths = [int(a) for a in argv] or [120, 240]
    with tempfile.TemporaryDirectory() as tmp:
        for pages in lengths:
            measure(pages, Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
