"""Reading and writing a project folder (`Name.storyboard/`): project.json, its backup, media/.

Saving never leaves a half-written project.json: the new state is written to a temporary file,
flushed to disk, and renamed over the old one; the previous file is kept as project.json.bak.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import studio.document_types  # noqa: F401  (registers the schema of every document class)
import studio.migrations  # noqa: F401  (registers upgrades of older object versions)
from studio import __version__
from studio.continuity.validation import ledger_problem
from studio.errors import MediaError, ProjectFileError
from studio.frame_rate import MAX_FPS, MIN_FPS
from studio.media_store import MediaStore, check_media_reference
from studio.project import Project
from studio.schema import NewerSchemaError, SchemaError, from_json, to_json

PROJECT_SUFFIX = ".storyboard"
PROJECT_FILE = "project.json"
BACKUP_FILE = "project.json.bak"
FILE_SCHEMA = "StoryboardStudioProject"
FILE_VERSION = 1  # the envelope's layout; objects inside carry their own versions
MAX_PROJECT_FILE_BYTES = 256 * 1024 * 1024
MAX_SHOT_FRAMES = 10**9  # weeks of film at any rate; more is a damaged number, not a shot


def project_folder_for(path: Path | str) -> Path:
    """The project folder for a path given by a user: the folder itself or its project.json."""
    path = Path(path)
    if path.name == PROJECT_FILE:
        return path.parent
    return path


def new_project_folder_path(path: Path | str) -> Path:
    path = Path(path)
    return path if path.name.endswith(PROJECT_SUFFIX) else path.with_name(path.name + PROJECT_SUFFIX)


@dataclass(frozen=True)
class MissingMedia:
    reference: str
    used_by: str

    def message(self, folder: Path) -> str:
        return f"{folder / self.reference}: missing media file ({self.used_by}); relink it or re-import the file"


# --- reading ----------------------------------------------------------------------------------


def load_project(path: Path | str) -> Project:
    folder = project_folder_for(path)
    if not folder.exists():
        raise ProjectFileError(folder, "no such project folder")
    if not folder.is_dir():
        raise ProjectFileError(folder, f"not a project folder; a project is a folder named Name{PROJECT_SUFFIX}")
    file = folder / PROJECT_FILE
    if not file.is_file():
        raise ProjectFileError(
            file,
            f"missing; this folder is not a Storyboard Studio project (or its {PROJECT_FILE} was removed: copy {BACKUP_FILE} to {PROJECT_FILE} if it is there)",
        )
    return parse_project_file(file)


def parse_project_file(file: Path) -> Project:
    size = file.stat().st_size
    if size > MAX_PROJECT_FILE_BYTES:
        raise ProjectFileError(file, f"{size // (1024 * 1024)} MB is far larger than any project file; it is not a project or it is damaged")
    raw = file.read_bytes()
    if not raw.strip():
        raise ProjectFileError(file, f"the file is empty; restore {BACKUP_FILE} from the same folder")
    if raw.lstrip()[:1] != b"{":
        raise ProjectFileError(file, "not a project file (it does not hold a JSON object)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProjectFileError(file, f"not a project file (not UTF-8 text at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ProjectFileError(file, f"damaged JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); restore {BACKUP_FILE} from the same folder") from None
    except RecursionError:
        raise ProjectFileError(file, "damaged JSON (nested too deeply)") from None
    except ValueError:  # json's other refusal: an integer of thousands of digits
        raise ProjectFileError(file, f"damaged JSON (a number too long to read); restore {BACKUP_FILE} from the same folder") from None
    return project_from_document(data, file)


def project_from_document(data: object, file: Path) -> Project:
    if not isinstance(data, dict) or data.get("schema") != FILE_SCHEMA:
        raise ProjectFileError(file, "not a Storyboard Studio project file")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectFileError(file, f"invalid file version {version!r}")
    if version > FILE_VERSION:
        writer = data.get("written_by", "a newer version")
        raise ProjectFileError(
            file,
            f"written by {writer} (file format {version}); this Storyboard Studio {__version__} reads format {FILE_VERSION} and older: update the app to open it",
        )
    try:
        project = from_json(Project, data.get("project"), "project")
    except NewerSchemaError as exc:
        writer = data.get("written_by", "a newer version")
        raise ProjectFileError(file, f"{exc} (file written by {writer}): update the app to open it") from None
    except SchemaError as exc:
        raise ProjectFileError(file, str(exc)) from None
    except RecursionError:
        raise ProjectFileError(file, "damaged project (nested too deeply)") from None
    problem = integrity_problem(project)
    if problem:
        raise ProjectFileError(file, problem)
    return project


def integrity_problem(project: Project) -> str | None:
    """The first broken cross-reference or impossible value in a project, or None."""
    fmt = project.format
    if fmt.width < 1 or fmt.height < 1:
        return f"format: frame size {fmt.size_text} must be positive"
    if not MIN_FPS <= fmt.frame_rate.fraction <= MAX_FPS:
        return f"format: frame rate {fmt.frame_rate} fps is outside {MIN_FPS} to {MAX_FPS} fps"
    character_ids = {c.id for c in project.characters}
    location_ids = {loc.id for loc in project.locations}
    if len(character_ids) != len(project.characters):
        return "two characters share one id"
    if len(location_ids) != len(project.locations):
        return "two locations share one id"
    if len({s.id for s in project.sequences}) != len(project.sequences):
        return "two sequences share one id"
    seen_shots: set[str] = set()
    for shot in project.shots():
        where = f"shot {shot.number}"
        if shot.id in seen_shots:
            return f"{where}: its id {shot.id} is used by another shot"
        seen_shots.add(shot.id)
        if shot.duration < 0:
            return f"{where}: negative duration {shot.duration}"
        if shot.duration > MAX_SHOT_FRAMES:
            return f"{where}: duration of {shot.duration} frames is longer than any film"
        if shot.location_id is not None and shot.location_id not in location_ids:
            return f"{where}: unknown location id {shot.location_id}"
        for cast in shot.characters:
            if cast.character_id not in character_ids:
                return f"{where}: unknown character id {cast.character_id}"
        for line in shot.dialogue:
            if line.character_id not in character_ids:
                return f"{where}: dialogue by unknown character id {line.character_id}"
        take_ids = [t.id for t in shot.takes]
        if len(set(take_ids)) != len(take_ids):
            return f"{where}: two takes share one id"
        if shot.active_take_id is not None and shot.active_take_id not in take_ids:
            return f"{where}: active take {shot.active_take_id} is not among its takes"
    problem = ledger_problem(project)  # continuity ledger entries that contradict each other or mean nothing
    if problem:
        return problem
    for ref, used_by in project.media_references():
        try:
            check_media_reference(ref)
        except MediaError as exc:
            return f"{used_by}: {exc}"
    return None


def missing_media(project: Project, folder: Path) -> list[MissingMedia]:
    store = MediaStore(folder)
    return [MissingMedia(ref, used_by) for ref, used_by in project.media_references() if not store.exists(ref)]


# --- writing ----------------------------------------------------------------------------------


def project_document(project: Project) -> dict:
    return {
        "schema": FILE_SCHEMA,
        "version": FILE_VERSION,
        "written_by": f"Storyboard Studio {__version__}",
        "project": to_json(project),
    }


def save_project(project: Project, path: Path | str) -> Path:
    """Writes the project atomically; returns the project folder."""
    folder = project_folder_for(path)
    problem = integrity_problem(project)
    if problem:
        raise ProjectFileError(folder / PROJECT_FILE, f"not saved: {problem}")
    payload = _encode(project_document(project), folder / PROJECT_FILE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "media").mkdir(exist_ok=True)
        _replace_atomically(folder, payload)
    except OSError as exc:
        raise ProjectFileError(folder, f"could not save ({exc.strerror or exc}); the previous save is untouched") from None
    return folder


def _encode(document: dict, file: Path) -> bytes:
    try:
        text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:  # NaN or infinity would be written, and then refused by the loader
        raise ProjectFileError(file, "not saved: a number in the project is not finite (NaN or infinity)") from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") read from a file: keep it as a JSON escape
        return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _replace_atomically(folder: Path, payload: bytes) -> None:
    target = folder / PROJECT_FILE
    for stale in folder.glob(f".{PROJECT_FILE}.*.tmp"):
        stale.unlink(missing_ok=True)  # left by a save that was killed; never the live file
    tmp = folder / f".{PROJECT_FILE}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    if target.exists():
        _keep_backup(folder, target)
    os.replace(tmp, target)
    _fsync_folder(folder)


def _keep_backup(folder: Path, target: Path) -> None:
    backup_tmp = folder / f".{BACKUP_FILE}.{os.getpid()}.tmp"
    backup_tmp.unlink(missing_ok=True)
    try:
        os.link(target, backup_tmp)
    except OSError:  # file systems without hard links (FAT on a card reader)
        backup_tmp.write_bytes(target.read_bytes())
    os.replace(backup_tmp, folder / BACKUP_FILE)
    # rename(2) does nothing when both names already link the same file (a save killed after its
    # backup step left project.json and the backup as one inode): the temporary name must go anyway.
    backup_tmp.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
