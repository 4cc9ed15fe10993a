"""Saving and loading a project gives back exactly the project, and the file is schema-tagged."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import typing
from pathlib import Path

import pytest
from document_strategies import projects
from hypothesis import HealthCheck, given, settings

from studio.demo import demo_project
from studio.document_types import DOCUMENT_TYPES
from studio.errors import ProjectFileError
from studio.frame_rate import FrameRate
from studio.project import Project
from studio.project_file import BACKUP_FILE, FILE_SCHEMA, FILE_VERSION, PROJECT_FILE, load_project, save_project
from studio.take import Take

TAG = re.compile(r"^([A-Z][A-Za-z]*)\.([0-9]+)$")
DOCUMENT_NAMES = {cls.__name__: version for cls, version in DOCUMENT_TYPES.items()}
# Fields that hold plain string-keyed maps (settings, timings, embeddings): their JSON objects are data, not document objects.
MAP_FIELDS = {f.name for cls in DOCUMENT_TYPES for f in dataclasses.fields(cls) if typing.get_origin(typing.get_type_hints(cls)[f.name]) is dict}


def test_demo_project_survives_save_and_load_unchanged(tmp_path: Path, demo_project: Project) -> None:
    folder = save_project(demo_project, tmp_path / "Demo.storyboard")
    assert load_project(folder) == demo_project


def test_demo_at_23_976_keeps_its_exact_ntsc_rate(tmp_path: Path) -> None:
    project = demo_project(FrameRate(24000, 1001), 1920, 1080)
    loaded = load_project(save_project(project, tmp_path / "Ntsc.storyboard"))
    assert loaded.format.frame_rate == FrameRate(24000, 1001)
    assert loaded == project


def test_loading_through_project_json_path_gives_the_same_project(tmp_project_folder: Path, demo_project: Project) -> None:
    assert load_project(tmp_project_folder / PROJECT_FILE) == demo_project


def test_saving_twice_keeps_the_previous_save_as_backup(tmp_path: Path, demo_project: Project) -> None:
    folder = save_project(demo_project, tmp_path / "Demo.storyboard")
    first = (folder / PROJECT_FILE).read_bytes()
    demo_project.title = "Last Order (v2)"
    save_project(demo_project, folder)
    assert (folder / BACKUP_FILE).read_bytes() == first
    assert load_project(folder).title == "Last Order (v2)"
    assert sorted(p.name for p in folder.iterdir()) == sorted([PROJECT_FILE, BACKUP_FILE, "media"])


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(project=projects())
def test_any_valid_project_survives_save_and_load_unchanged(tmp_path: Path, project: Project) -> None:
    folder = save_project(project, tmp_path / "Generated.storyboard")
    loaded = load_project(folder)
    assert loaded == project
    # Values come back with their declared types, not just equal ones (1 == 1.0 == True would hide a bug).
    for before, after in zip(project.shots(), loaded.shots(), strict=True):
        assert type(after.size) is type(before.size)
        assert type(after.world_override.palette) is type(before.world_override.palette)
        assert all(type(after_take) is Take for after_take in after.takes)


def _walk(value: object, where: str, parent_field: str | None, found: list[tuple[str, dict]]) -> None:
    if isinstance(value, dict):
        if parent_field not in MAP_FIELDS:
            found.append((where, value))
        for key, item in value.items():
            _walk(item, f"{where}.{key}", key, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{where}[{index}]", parent_field, found)


def _count_document_objects(obj: object) -> int:
    if dataclasses.is_dataclass(obj):
        return 1 + sum(_count_document_objects(getattr(obj, f.name)) for f in dataclasses.fields(obj))
    if isinstance(obj, (list, tuple)):
        return sum(_count_document_objects(item) for item in obj)
    if isinstance(obj, dict):
        return sum(_count_document_objects(item) for item in obj.values())
    return 0


def test_every_object_in_the_saved_json_carries_its_schema_name_and_version(tmp_project_folder: Path, demo_project: Project) -> None:
    document = json.loads((tmp_project_folder / PROJECT_FILE).read_text(encoding="utf-8"))
    assert document["schema"] == FILE_SCHEMA and document["version"] == FILE_VERSION
    objects: list[tuple[str, dict]] = []
    _walk(document["project"], "project", None, objects)
    untagged = [where for where, obj in objects if not TAG.match(str(obj.get("schema")))]
    assert untagged == []
    for where, obj in objects:
        name, version = TAG.match(obj["schema"]).groups()
        assert DOCUMENT_NAMES.get(name) == int(version), f"{where} is tagged {obj['schema']}"
    # One tagged JSON object per document object: nothing is written untagged or flattened away.
    assert len(objects) == _count_document_objects(demo_project)
    assert document["project"]["schema"] == "Project.3"
    assert document["project"]["sequences"][0]["shots"][0]["camera"]["schema"] == "CameraMove.1"


def test_text_with_a_lone_surrogate_read_from_a_file_saves_and_loads_back(tmp_project_folder: Path) -> None:
    """JSON may hold "\\ud800"; a project that opened must also save (it used to fail with UnicodeEncodeError)."""
    file = tmp_project_folder / PROJECT_FILE
    file.write_text(file.read_text(encoding="utf-8").replace('"title":"Last Order"', '"title":"Last \\ud800 Order"'), encoding="utf-8")
    project = load_project(tmp_project_folder)
    assert project.title == "Last \ud800 Order"
    again = save_project(project, tmp_project_folder.with_name("Again.storyboard"))
    assert load_project(again) == project


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_non_finite_number_is_not_saved_and_the_previous_save_stays(tmp_project_folder: Path, demo_project: Project, value: float) -> None:
    """The loader refuses NaN, so writing it would make a project that cannot be opened again."""
    before = (tmp_project_folder / PROJECT_FILE).read_bytes()
    demo_project.shot("s02").lens_mm = value
    with pytest.raises(ProjectFileError, match="not saved: a number in the project is not finite"):
        save_project(demo_project, tmp_project_folder)
    assert (tmp_project_folder / PROJECT_FILE).read_bytes() == before


def test_a_project_with_a_broken_reference_is_not_saved(tmp_project_folder: Path, demo_project: Project) -> None:
    before = (tmp_project_folder / PROJECT_FILE).read_bytes()
    demo_project.shot("s04").location_id = "moon"
    with pytest.raises(ProjectFileError, match="not saved: shot 4: unknown location id moon"):
        save_project(demo_project, tmp_project_folder)
    assert (tmp_project_folder / PROJECT_FILE).read_bytes() == before
    assert not (tmp_project_folder / "project.json.bak").exists()
