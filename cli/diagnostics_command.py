"""`studio diagnostics`: the same plain-text report as Help ▸ About, for bug reports and for
checking an install (a standalone bundle, a CUDA torch, model folders) without opening the window."""

from __future__ import annotations

import argparse


def add_diagnostics_parser(sub: argparse._SubParsersAction) -> None:
    diagnostics = sub.add_parser("diagnostics", help="print versions, the GPU and free VRAM, model folders and system tools, for bug reports")
    diagnostics.add_argument("--no-gpu", action="store_true", help="skip the GPU check (it imports torch, which takes a few seconds)")


def run_diagnostics(args: argparse.Namespace) -> int:
    from pipeline.diagnostics import collect, format_report

    report = collect(gpu_probe=None) if args.no_gpu else collect()
    print(format_report(report), end="")
    return 0
