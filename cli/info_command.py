"""`studio info`: what a project holds, and what is stale or missing."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from studio.consent import tampered_consents
from studio.project import Project
from studio.project_file import load_project, missing_media, project_folder_for
from studio.render_inputs import ShotStatus, shot_status


def project_summary(project: Project, folder: Path) -> dict:
    rate = project.format.frame_rate
    statuses = {shot.id: shot_status(project, shot) for shot in project.shots()}
    return {
        "title": project.title,
        "format": {"width": project.format.width, "height": project.format.height, "fps": str(rate), "aspect": project.format.aspect},
        "style": project.style.value,
        "duration_frames": project.duration,
        "duration_seconds": round(rate.frames_to_seconds(project.duration), 3),
        "duration_timecode": rate.timecode(project.duration),
        "sequences": [{"name": s.name, "shots": len(s.shots), "duration_frames": s.duration} for s in project.sequences],
        "shots": sum(len(s.shots) for s in project.sequences),
        "characters": [c.name for c in project.characters],
        "locations": [loc.slug for loc in project.locations],
        "takes": sum(len(s.takes) for s in project.shots()),
        "shot_status": dict(Counter(status.value for status in statuses.values())),
        "stale_shots": [s.number for s in project.shots() if statuses[s.id] is ShotStatus.STALE],
        "missing_media": [m.reference for m in missing_media(project, folder)],
        "consent_warnings": tampered_consents(project.characters),
    }


def run_info(args: argparse.Namespace) -> int:
    folder = project_folder_for(args.path)
    project = load_project(folder)
    summary = project_summary(project, folder)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        fmt = summary["format"]
        print(f"{summary['title']}  ({fmt['width']}x{fmt['height']} {fmt['aspect']}, {fmt['fps']} fps, style {summary['style']})")
        print(f"duration   {summary['duration_timecode']}  ({summary['duration_frames']} frames, {summary['duration_seconds']} s)")
        print(f"shots      {summary['shots']} in {len(summary['sequences'])} sequence(s)")
        for seq in summary["sequences"]:
            print(f"  - {seq['name']}: {seq['shots']} shots, {seq['duration_frames']} frames")
        print(f"characters {len(summary['characters'])}: {', '.join(summary['characters'])}")
        print(f"locations  {len(summary['locations'])}: {', '.join(summary['locations'])}")
        print(f"takes      {summary['takes']}  " + ", ".join(f"{k}: {v}" for k, v in summary["shot_status"].items()))
        print(f"stale      {', '.join(summary['stale_shots']) or 'none'}")
        for warning in summary["consent_warnings"]:
            print(f"warning    {warning}")
    missing = missing_media(project, folder)
    for item in missing:
        print(f"studio: error: {item.message(folder)}", file=sys.stderr)
    return 2 if missing else 0
