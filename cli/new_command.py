"""`studio new`: create a project folder, empty or with the demo film."""

from __future__ import annotations

import argparse
import re
import shutil

from studio.errors import StudioError
from studio.frame_rate import MAX_FPS, MIN_FPS, FrameRate
from studio.ids import new_id
from studio.project import Project, Sequence, VideoFormat
from studio.project_file import PROJECT_FILE, new_project_folder_path, save_project


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)[xX](\d+)", text.strip())
    if not match:
        raise StudioError(f"frame size {text!r} is not WxH, for example 1920x1080")
    width, height = int(match.group(1)), int(match.group(2))
    if not (16 <= width <= 8192 and 16 <= height <= 8192) or width % 2 or height % 2:
        raise StudioError(f"frame size {text}: width and height must be even numbers between 16 and 8192")
    return width, height


def parse_rate(text: str) -> FrameRate:
    try:
        rate = FrameRate.parse(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise StudioError(f"frame rate {text!r}: {exc}") from None
    if not MIN_FPS <= rate.fraction <= MAX_FPS:  # exact: rate.fps overflows for a rate like 1e400
        raise StudioError(f"frame rate {text}: must be between {MIN_FPS} and {MAX_FPS} frames per second")
    return rate


def run_new(args: argparse.Namespace) -> int:
    folder = new_project_folder_path(args.path)
    width, height = parse_size(args.size)
    rate = parse_rate(args.fps)
    if folder.exists() and not folder.is_dir():
        raise StudioError(f"{folder}: a file is already there, not a project folder; choose another path")
    from_script = getattr(args, "from_script", None)
    if from_script and args.demo:
        raise StudioError("choose either --demo or --from-script, not both")
    if from_script:  # read the whole script before anything on disk changes
        from studio.script import new_project_from_script

        fallback = folder.name.removesuffix(".storyboard")
        script_project, report = new_project_from_script(from_script, VideoFormat(width, height, rate), title=args.title, fallback_title=fallback)
    if (folder / PROJECT_FILE).exists() or (folder.exists() and any(folder.iterdir())):
        if not args.force:
            raise StudioError(f"{folder}: a project or other files are already there; choose another path or pass --force to replace it")
        if (folder / PROJECT_FILE).exists():
            shutil.rmtree(folder)
        else:
            raise StudioError(f"{folder}: the folder holds other files, not a project; --force only replaces projects")
    if from_script:
        project = script_project
        for line in report.lines():
            print(line)
    elif args.demo:
        from studio.demo import demo_project

        project = demo_project(rate, width, height)
        if args.title:
            project.title = args.title
    else:
        title = args.title or folder.name.removesuffix(".storyboard")
        project = Project(title=title, format=VideoFormat(width, height, rate), sequences=[Sequence(id=new_id(), name="1")])
    save_project(project, folder)
    print(f"created {folder}")
    return 0
