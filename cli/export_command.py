"""`studio export`: timelines for editorial (OTIO, FCP7 XML, FCPXML, EDL, AAF, Kdenlive), shot media,
the PDF storyboard and the shot list CSV."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cli.interrupt import cancel_on_ctrl_c
from cli.progress_bar import TerminalProgress
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ALL_FORMATS, ExportFormat, MediaEncoding
from pipeline.export.storyboard_pdf import StoryboardLayout
from pipeline.progress import CancelToken, RenderCancelled
from studio.project_file import load_project, project_folder_for


def export_options(args: argparse.Namespace) -> ExportOptions:
    formats = ALL_FORMATS if "all" in args.format else tuple(ExportFormat(f) for f in args.format)
    return ExportOptions(
        formats=formats,
        media=MediaEncoding(args.media) if args.media else None,
        handles=args.handles,
        storyboard=StoryboardLayout(args.panels_per_page, args.page_size),
        sequence_media=not args.no_animatic,
    )


def run_export(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    folder = project_folder_for(args.path)
    project = load_project(folder)
    options = export_options(args)
    cancel = CancelToken()
    progress = TerminalProgress()
    try:
        with cancel_on_ctrl_c(cancel, "the export"):
            report = export_project(project, folder, Path(args.out), options, progress, cancel)
    except RenderCancelled:
        progress.close()
        print("studio: export cancelled; nothing was written", file=sys.stderr)
        return 130
    progress.close()
    for warning in report.warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    for path in report.files:
        print(f"wrote {path}{'/' if path.is_dir() else ''}")
    print(f"exported {len(list(project.shots()))} shots in {time.perf_counter() - started:.1f} s")
    return 0
