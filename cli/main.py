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
    render.add_argument("--new-take", action="store_true", help="render the chosen shots again as new takes, each with a new seed unless its seed is pinned")
    render.add_argument(
        "--pass",
        dest="render_pass",
        choices=["preview", "final"],
        help="two-pass generation: 'preview' renders every shot fast (ltx, half size, few steps); 'final' renders only the approved shots",
    )
    render.add_argument("--plan", action="store_true", help="show what would be generated (size, length, memory mode, adjustments) and exit; loads no model")
    render.add_argument(
        "--memory-mode",
        choices=["auto", "full", "model-offload", "8bit", "group-offload"],
        help="how a model backend uses the GPU (default auto: chosen from free VRAM and RAM)",
    )
    render.add_argument("--steps", type=int, metavar="N", help="denoising steps for a model backend (default: the backend's own; previews use 8)")
    render.add_argument("--resume", action="store_true", help="carry on with the render queue a stopped or crashed render left in the project")
    render.add_argument("--downstream", action="store_true", help="also render the shots chained after the chosen ones (they continue from their last frame)")
    render.add_argument(
        "--worker",
        choices=["inline", "process"],
        help="where model backends render: a worker process that keeps the model loaded (default) or this process; draft renders in one pass unless this is given",
    )
    render.add_argument(
        "--farm",
        metavar="ADDRESS",
        help="render the shots on a Ray cluster: ray://HOST:PORT (its head's Ray Client port), or local-ray for a Ray on this machine; needs storyboard-studio[farm]",
    )
    render.add_argument("--farm-workers", type=int, metavar="N", help="jobs at once on the farm (default: its GPUs, or its CPUs when it has none)")
    render.add_argument(
        "--model-dir",
        metavar="DIR",
        help="local diffusers model folder for a model backend such as ltx (default: $STORYBOARD_LTX_MODEL_DIR, then the Hugging Face cache)",
    )

    export = sub.add_parser("export", help="export timelines (OTIO, FCP7 XML, FCPXML, EDL, AAF, Kdenlive), shot media, PDF storyboard, shot list")
    export.add_argument("path")
    export.add_argument(
        "--format",
        required=True,
        action="append",
        choices=["otio", "fcp7", "fcpxml", "edl", "aaf", "kdenlive", "pdf", "csv", "all"],
        help="repeat for several, or 'all'",
    )
    export.add_argument("--out", required=True, help="the file to write (one format) or the folder to write into (several)")
    export.add_argument(
        "--media",
        choices=["h264", "prores"],
        help="also write one media file per shot (12A_T3.mp4/.mov), the animatic, the sound mix and its dialogue/effects/music stems",
    )
    export.add_argument("--handles", type=int, default=0, metavar="N", help="frames of handle each side of every shot's media (needs --media)")
    export.add_argument("--panels-per-page", type=int, default=6, choices=[3, 4, 5, 6], help="PDF storyboard panels per page (default 6)")
    export.add_argument("--page-size", default="A4", choices=["A4", "Letter"], help="PDF storyboard paper, landscape (default A4)")
    export.add_argument("--no-animatic", action="store_true", help="with --media: skip the assembled animatic, the sound mix and its stems")

    import_cut = sub.add_parser("import-cut", help="apply an editor's recut (EDL, FCP7 XML, FCPXML, OTIO) to the project as one undoable edit")
    import_cut.add_argument("path")
    import_cut.add_argument("file", help=".edl, .xml (FCP7), .fcpxml, .otio, .aaf or .kdenlive")
    import_cut.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")

    check = sub.add_parser("check", help="check continuity: props, wardrobe, time of day, the 180° line, dialogue, chained shots")
    check.add_argument("path")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--accept", action="append", metavar="SHOT/KEY", help="accept a break as intentional (saved in the project); repeatable")
    check.add_argument("--unaccept", action="append", metavar="SHOT/KEY", help="report an accepted break again; repeatable")

    approve = sub.add_parser("approve", help="approve shots' previews for the final generation pass (studio render --pass final)")
    approve.add_argument("path")
    approve.add_argument("--shots", required=True, help="shot numbers, e.g. 3,5-7 or 12A")
    approve.add_argument("--revoke", action="store_true", help="withdraw the approval instead")

    models = sub.add_parser("models", help="the generation models: where their weights are, and getting them")
    models_sub = models.add_subparsers(dest="models_command", metavar="ACTION")
    models_sub.add_parser("list", help="every known model, its licence and size, and whether its weights are here (the default)")
    models_check = models_sub.add_parser("check", help="say what model a folder holds and which backend runs it")
    models_check.add_argument("folder")
    models_download = models_sub.add_parser("download", help="download a model's weights from the Hugging Face hub (needs the internet)")
    models_download.add_argument("model", help="a model key from `studio models list`")
    models_download.add_argument("--to", required=True, metavar="DIR", help="the folder to download into (then pass it as --model-dir)")

    verify = sub.add_parser("verify", help="read a file's content credentials (C2PA) back: signer, model, ingredients, tampering")
    verify.add_argument("file", help="an exported .mp4, .mov, .wav or .jpg")
    verify.add_argument("--json", action="store_true", help="machine-readable output")

    from cli.consent_command import add_consent_parser

    add_consent_parser(sub)

    from cli.import_character_command import add_import_character_parser

    add_import_character_parser(sub)

    from cli.diagnostics_command import add_diagnostics_parser

    add_diagnostics_parser(sub)

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
        if args.command == "export":
            from cli.export_command import run_export

            return run_export(args)
        if args.command == "import-character":
            from cli.import_character_command import run_import_character

            return run_import_character(args)
        if args.command == "import-cut":
            from cli.import_cut_command import run_import_cut

            return run_import_cut(args)
        if args.command == "check":
            from cli.check_command import run_check

            return run_check(args)
        if args.command == "approve":
            from cli.approve_command import run_approve

            return run_approve(args)
        if args.command == "models":
            from cli.models_command import run_models

            return run_models(args)
        if args.command == "verify":
            from cli.verify_command import run_verify

            return run_verify(args)
        if args.command == "consent":
            from cli.consent_command import run_consent

            return run_consent(args)
        if args.command == "diagnostics":
            from cli.diagnostics_command import run_diagnostics

            return run_diagnostics(args)
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
