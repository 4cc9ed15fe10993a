"""The shot list CSV: one row per shot in cut order, with record timecodes that tile the cut."""

from __future__ import annotations

import csv

from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ExportFormat
from pipeline.export.shot_list import COLUMNS
from pipeline.progress import CancelToken, no_progress
from studio.location import TimeOfDay, WorldStateOverride


def read_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def export_csv(small, out):
    return export_project(small.project, small.folder, out, ExportOptions((ExportFormat.CSV,)), no_progress, CancelToken())


def test_rows_follow_the_cut_and_timecodes_tile_it_from_one_hour(small, tmp_path):
    export_csv(small, tmp_path / "shots.csv")
    rows = read_rows(tmp_path / "shots.csv")
    shots = list(small.project.shots())
    assert [r["Shot"] for r in rows] == [s.number for s in shots]
    assert rows[0]["Start TC"] == "01:00:00:00"
    for row, following in zip(rows, rows[1:], strict=False):
        assert row["End TC"] == following["Start TC"]
    assert [int(r["Duration (frames)"]) for r in rows] == [s.duration for s in shots]
    assert [float(r["Duration (s)"]) for r in rows] == [round(s.duration / 24, 3) for s in shots]
    assert rows[-1]["End TC"] == small.project.format.frame_rate.timecode(86400 + small.project.duration)
    assert {r["Take"] for r in rows} == {"T1"} and {r["Status"] for r in rows} == {"current"}


def test_location_columns_split_int_ext_and_apply_the_shots_time_of_day(small, tmp_path):
    street_shot, _, diner_shot, _ = small.project.shots()
    diner_shot.world_override = WorldStateOverride(time_of_day=TimeOfDay.DAWN)
    export_csv(small, tmp_path / "shots.csv")
    rows = {r["Shot"]: r for r in read_rows(tmp_path / "shots.csv")}
    assert (rows[street_shot.number]["Location"], rows[street_shot.number]["INT/EXT"], rows[street_shot.number]["Time of day"]) == (
        "Main Street",
        "EXT",
        "NIGHT",
    )
    assert (rows[diner_shot.number]["INT/EXT"], rows[diner_shot.number]["Time of day"]) == ("INT", "DAWN")
    assert rows[diner_shot.number]["Status"] == "stale", "changing the world state makes the take stale"
    assert rows[street_shot.number]["Characters"] == ""


def test_shots_without_a_take_and_risky_text_are_listed_safely(small, tmp_path):
    first = next(iter(small.project.shots()))
    first.takes, first.active_take_id = [], None
    first.description = '=HYPERLINK("http://x") — «Café» "quoted", comma'
    first.notes = "line one\nline two"
    export_csv(small, tmp_path / "shots.csv")
    row = read_rows(tmp_path / "shots.csv")[0]
    assert (row["Take"], row["Status"]) == ("", "no take")
    assert row["Description"] == "'" + first.description, "a formula-looking cell is made inert"
    assert row["Notes"] == "line one\nline two"
