"""The frozen app's entry point: the `studio` command, exactly as `cli.main:main` runs it from a venv.

`freeze_support` must run first: generation renders in a spawned worker process, and in a frozen
app that worker is this same executable started again with multiprocessing's arguments.

A desktop that opens a project by handing the program its path alone (macOS document events with
argv emulation, a bare file association) means `studio open PATH`.
"""

import multiprocessing
import sys
from pathlib import Path


def command_line(argv: list[str]) -> list[str]:
    if len(argv) == 1 and not argv[0].startswith("-"):
        path = Path(argv[0])
        if path.suffix == ".storyboard" or path.name == "project.json":
            return ["open", argv[0]]
    return argv


if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cli.main import main

    sys.exit(main(command_line(sys.argv[1:])))
