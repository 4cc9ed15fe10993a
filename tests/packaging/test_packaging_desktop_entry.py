"""The desktop entry, the project MIME type and the icon set that packaging/ installs."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from studio.project_file import save_project

REPO_ROOT = Path(__file__).resolve().parents[2]
DESKTOP = REPO_ROOT / "packaging" / "desktop" / "storyboard-studio.desktop"
MIME_XML = REPO_ROOT / "packaging" / "desktop" / "storyboard-studio-mime.xml"
ICONS = REPO_ROOT / "resources" / "icons"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    done = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_the_desktop_entry_opens_projects_with_the_app_and_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "storyboard-studio open %f"
    assert section["Icon"] == "storyboard-studio"
    assert "application/x-storyboard-project" in section["MimeType"].split(";")
    mime = ET.parse(MIME_XML).getroot().find(f"{MIME_NS}mime-type")
    assert mime is not None and mime.get("type") == "application/x-storyboard-project"


def test_the_mime_magic_matches_the_start_of_a_saved_project_file(tmp_path: Path, demo_project) -> None:
    folder = save_project(demo_project, tmp_path / "Demo.storyboard")
    match = ET.parse(MIME_XML).getroot().find(f"{MIME_NS}mime-type/{MIME_NS}magic/{MIME_NS}match")
    assert match is not None
    last_offset = int(match.get("offset").split(":")[1])
    head = (folder / "project.json").read_bytes()[: last_offset + len(match.get("value"))]
    assert match.get("value").encode() in head


def test_a_file_manager_types_a_projects_json_as_a_storyboard_project_and_other_json_as_json(tmp_path: Path, demo_project) -> None:
    update, gio = shutil.which("update-mime-database"), shutil.which("gio")
    if update is None or gio is None:
        pytest.skip("needs update-mime-database (shared-mime-info) and gio (libglib2.0-bin)")
    packages = tmp_path / "share" / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copyfile(MIME_XML, packages / "storyboard-studio.xml")
    if Path("/usr/share/mime/packages/freedesktop.org.xml").is_file():
        shutil.copyfile("/usr/share/mime/packages/freedesktop.org.xml", packages / "freedesktop.org.xml")
    subprocess.run([update, str(packages.parent)], check=True, capture_output=True)
    folder = save_project(demo_project, tmp_path / "Demo.storyboard")
    other = tmp_path / "other" / "project.json"
    other.parent.mkdir()
    other.write_text('{"name": "someone else\'s project"}')
    env = {**os.environ, "XDG_DATA_DIRS": str(tmp_path / "share"), "XDG_DATA_HOME": str(tmp_path / "nothing")}
    done = subprocess.run([gio, "info", "-a", "standard::content-type", str(folder / "project.json"), str(other)], capture_output=True, text=True, env=env)
    types = [line.split(":", 3)[-1].strip() for line in done.stdout.splitlines() if "standard::content-type" in line]
    assert types == ["application/x-storyboard-project", "application/json"], done.stdout + done.stderr


def test_the_icon_set_has_every_size_from_the_drawing(qapp) -> None:
    from PySide6.QtGui import QImage
    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(ICONS / "storyboard-studio.svg")).isValid()
    for size in ICON_SIZES:
        image = QImage(str(ICONS / f"storyboard-studio-{size}.png"))
        assert (image.width(), image.height()) == (size, size), size
        centre = image.pixelColor(size // 2, size // 2)
        assert centre.alpha() == 255, f"{size}px icon is see-through in the middle"
        assert image.pixelColor(0, 0).alpha() == 0, f"{size}px icon has no rounded, transparent corner"
