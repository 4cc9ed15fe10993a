"""Entry point of the `studio` command. Sub-commands import what they need when they run, so
`studio info` starts fast and never loads Qt, torch or diffusers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from studio.errors import StudioError

EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studio", description="Storyboard Studio: multi-shot storyboards, animatics and previz.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = sub.add_parser("new", help="create a project folder (Name.storyboard)")
    new.add_argument("path", help="where to create the project; .storyboard is added if missing")
    new.add_argument("--demo", action="store_true", help="fill it with the demo film")
    new.add_argument("--fps", default="24", help="frame rate: 24, 25, 30, 23.976 or N/D (default 24)")
    new.add_argument("--size", default="1280x720", help="frame size WxH (default 1280x720)")
    new.add_argument("--title", help="project title (default: the folder name)")
    new.add_argument("--force", action="store_true", help="replace an existing project at PATH")
    new.add_argument("--from-script", metavar="FILE", help="build the storyboard from a screenplay (.fountain, .spmd, .fdx) or shot list (.csv)")

    info = sub.add_parser("info", help="summarise a project: shots, duration, cast, takes, stale shots")
    info.add_argument("path")
    info.add_argument("--json", action="store_true", help="machine-readable output")

    imp = sub.add_parser("import", help="import a screenplay or shot list into a project (re-import updates it)")
    imp.add_argument("path")
    imp.add_argument("file", help=".fountain, .spmd, .fdx or .csv")

    render = sub.add_parser("render", help="render the project's shots and assemble the animatic")
    render.add_argument("path")
    render.add_argument("--backend", help="renderer for every shot (default: each shot's own, normally draft)")
    render.add_argument("--shots", help="only these shot numbers, e.g. 3,5-7 or 12A")
    render.add_argument("--out", help="sequence file to write (default: PROJECT/renders/<title>.mp4)")
    render.add_argument("--size", help="render size WxH (default: the project's)")
    render.add_argument("--no-overlays", action="store_true", help="no burnt-in shot numbers, timecode, subtitles or move arrows")
    render.add_argument("--prores", action="store_true", help="write the sequence as ProRes 422 .mov instead of H.264 .mp4")
    render.add_argument("--new-take", action="store_true", help="render the chosen shots again even if nothing changed")

    open_ = sub.add_parser("open", help="open a project in the desktop app")
    open_.add_argument("path", nargs="?")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None or args.command == "open":
            from ui.app import run_app

            return run_app(getattr(args, "path", None))
        if args.command == "new":
            from cli.new_command import run_new

            return run_new(args)
        if args.command == "import":
            from cli.import_command import run_import

            return run_import(args)
        if args.command == "render":
            from cli.render_command import run_render

            return run_render(args)
        if args.command == "info":
            from cli.info_command import run_info

            return run_info(args)
    except StudioError as exc:
        print(f"studio: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("studio: cancelled", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
