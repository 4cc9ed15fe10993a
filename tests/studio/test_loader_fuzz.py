"""Fuzzing the loader: whatever bytes sit in project.json, loading either works or raises
ProjectFileError, never another exception. And whatever loads can be summarised and saved again."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.info_command import project_summary
from studio.demo import demo_project
from studio.errors import ProjectFileError
from studio.location import WorldStateOverride
from studio.project import Project
from studio.project_file import FILE_SCHEMA, FILE_VERSION, PROJECT_FILE, load_project, project_document, save_project
from studio.take import Take

FUZZ = settings(max_examples=500, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


def _rich_demo() -> Project:
    """The demo with every kind of object and media reference in it, so mutations reach them all."""
    project = demo_project()
    project.characters[0].reference_images = ["media/" + "1" * 64 + ".png"]
    project.characters[0].embeddings = {"ip-adapter:abc": "media/" + "2" * 64 + ".npy"}
    project.locations[0].establishing_plate = "media/" + "3" * 64 + ".png"
    for n, shot in enumerate(project.shots()):
        shot.takes.append(
            Take(
                id=f"t{n}",
                number=1,
                input_hash="4" * 64,
                backend="draft",
                settings={"size": "640x360"},
                video=f"media/{n:064d}.mp4",
                last_frame=f"media/{n:064x}.png",
                timings={"render": 1.5},
            )
        )
        shot.active_take_id = f"t{n}"
    first = next(project.shots())
    first.world_override = WorldStateOverride(palette=("#000000",), props=())
    first.panel = "media/" + "5" * 64 + ".jpg"
    return project


BASE_TEXT = json.dumps(project_document(_rich_demo()))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
tricky_values = st.sampled_from(
    [
        "\ud800",
        "",
        ".",
        "./",
        "..",
        "media",
        "media/",
        "media/../../x",
        "../../etc/passwd",
        "/etc/passwd",
        "C:/x",
        "media\\x",
        "media/\x00",
        "media/" + "a" * 300,
        -1,
        0,
        2**70,
        -(2**70),
        1e308,
        -0.0,
        float("nan"),
        float("inf"),
        True,
        [],
        {},
        {"schema": "Shot.1"},
        "24000/1001",
    ]
).map(copy.deepcopy)  # a fresh [], {} or {"schema": ...} each draw: _mutate changes what it places
hostile_links = st.sampled_from(
    [
        "media/" + "a" * 300,
        "media/" + "a/" * 3000,
        "../../etc/passwd",
        "/etc/passwd",
        "media/../../x",
        ".",
        "./",
        "media",
        "media/",
        "C:/x",
        "media\\x",
        "media/\x00",
        "\ud800",
        "",
    ]
)
garbage = json_values | tricky_values
schema_tags = st.sampled_from(
    [
        "Shot.7",
        "Shot.0",
        "Shot.",
        "Shot.x",
        "Shot",
        ".1",
        "Shot.1.1",
        "Shot.-1",
        "Shot. 1",
        "Take.1",
        "Project.99",
        "VideoFormat.²",
        "Shot.٣",
        "Shot." + "9" * 5000,
        "",
    ]
) | st.text(max_size=12)


def _places(value: object) -> list[tuple[object, object]]:
    """Every (container, key or index) pair in a JSON value."""
    found: list[tuple[object, object]] = []
    stack = [value]
    while stack:
        current = stack.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current) if isinstance(current, list) else ()
        for key, item in items:
            found.append((current, key))
            stack.append(item)
    return found


def _mutate(document: dict, data: st.DataObject) -> None:
    operation = data.draw(st.sampled_from(["delete", "replace", "insert", "retag", "duplicate", "relink"]))
    if operation == "relink":  # media references are where paths from the file meet the file system
        links = [(obj, key) for obj, key in _places(document) if isinstance(obj[key], str) and obj[key].startswith("media/")]
        if not links:  # an earlier mutation removed them all
            return
        container, key = data.draw(st.sampled_from(links))
        container[key] = data.draw(hostile_links | st.text(max_size=8).map(lambda name: "media/" + name))
        return
    if operation == "retag":
        tagged = [obj for obj, _ in _places(document) if isinstance(obj, dict) and "schema" in obj] + [document]
        data.draw(st.sampled_from(tagged))["schema"] = data.draw(schema_tags | garbage)
        return
    places = _places(document)
    container, key = data.draw(st.sampled_from(places))
    if operation == "delete":
        del container[key]
    elif operation == "replace":
        container[key] = data.draw(garbage)
    elif operation == "insert" and isinstance(container, dict):
        container[data.draw(st.sampled_from(["schema", "id", "extra", "shots"]) | st.text(max_size=6))] = data.draw(garbage)
    elif operation == "insert":
        container.insert(data.draw(st.integers(0, len(container))), data.draw(garbage))
    elif isinstance(container, list):  # duplicate an element: two shots, takes or cast entries with one id
        container.append(json.loads(json.dumps(container[key])))
    else:  # duplicate a value onto a sibling field: a value of the wrong type in the right place
        container[data.draw(st.sampled_from(sorted(container)))] = json.loads(json.dumps(container[key]))


def _load_must_work_or_refuse_cleanly(folder: Path, spare: Path) -> None:
    try:
        project = load_project(folder)
    except ProjectFileError as exc:
        assert str(exc).startswith(str(folder / PROJECT_FILE))
        assert "\n" not in str(exc)
        return
    # Whatever opens must also work in `studio info` and save back to the same project.
    project_summary(project, folder)
    assert load_project(save_project(project, spare)) == project


@FUZZ
@given(value=json_values | garbage, wrapped=st.booleans())
def test_loader_refuses_random_json_with_project_file_errors_only(tmp_path: Path, value: object, wrapped: bool) -> None:
    folder = tmp_path / "Fuzz.storyboard"
    folder.mkdir(exist_ok=True)
    document = {"schema": FILE_SCHEMA, "version": FILE_VERSION, "project": value} if wrapped else value
    (folder / PROJECT_FILE).write_text(json.dumps(document), encoding="utf-8")
    _load_must_work_or_refuse_cleanly(folder, tmp_path / "Spare.storyboard")


@FUZZ
@given(data=st.data())
def test_loader_refuses_mutated_demo_documents_with_project_file_errors_only(tmp_path: Path, data: st.DataObject) -> None:
    folder = tmp_path / "Fuzz.storyboard"
    folder.mkdir(exist_ok=True)
    document = json.loads(BASE_TEXT)
    for _ in range(data.draw(st.integers(1, 4))):
        _mutate(document, data)
    (folder / PROJECT_FILE).write_text(json.dumps(document), encoding="utf-8")
    _load_must_work_or_refuse_cleanly(folder, tmp_path / "Spare.storyboard")


@settings(max_examples=20, database=None, derandomize=True)
@given(data=st.data())
def test_mutation_values_are_fresh_objects_so_a_document_never_contains_itself(data: st.DataObject) -> None:
    """tricky_values once handed out one shared {"schema": "Shot.1"} (and one [] and {}) on every draw. A
    mutation placed that dict in the document and a retag then set its "schema" to the same dict: a
    document containing itself, which _places walked until the machine ran out of memory (23 GB), and
    the changed value outlived the example (FlakyStrategyDefinition on replay from the database)."""
    shot_tag = tricky_values.filter(lambda value: value == {"schema": "Shot.1"})
    placed = data.draw(shot_tag)  # "replace": the tricky dict goes into the document
    placed["schema"] = data.draw(shot_tag)  # "retag": its schema becomes the tricky dict again
    assert placed["schema"] is not placed
    assert json.loads(json.dumps({"shots": [placed]})) == {"shots": [{"schema": {"schema": "Shot.1"}}]}
    assert data.draw(shot_tag) == {"schema": "Shot.1"}  # later draws are untouched by the edit


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(BASE_TEXT.encode())), flips=st.lists(st.tuples(st.integers(0, len(BASE_TEXT.encode()) - 1), st.integers(0, 255)), max_size=4))
def test_loader_refuses_truncated_or_corrupted_bytes_with_project_file_errors_only(tmp_path: Path, cut: int, flips: list[tuple[int, int]]) -> None:
    folder = tmp_path / "Fuzz.storyboard"
    folder.mkdir(exist_ok=True)
    raw = bytearray(BASE_TEXT.encode())
    for index, byte in flips:
        raw[index] = byte
    (folder / PROJECT_FILE).write_bytes(bytes(raw[:cut]))
    _load_must_work_or_refuse_cleanly(folder, tmp_path / "Spare.storyboard")


def test_the_fuzz_base_document_itself_loads(tmp_path: Path) -> None:
    """Mutations start from a valid document, so refusals come from the mutations, not the base."""
    folder = tmp_path / "Base.storyboard"
    folder.mkdir()
    (folder / PROJECT_FILE).write_text(BASE_TEXT, encoding="utf-8")
    assert load_project(folder) == _rich_demo()
