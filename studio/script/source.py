"""Opening a script file safely: its kind by extension, a size cap, and text that really is text.

Refused with a message that names the file: a missing file or a folder, an extension we do not read,
a file over MAX_SCRIPT_BYTES (a feature screenplay is well under 1 MB as Fountain, a few MB as Final
Draft), an empty file, and a binary one (a PDF or a Word file renamed .fountain).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from studio.script.errors import ScriptImportError

MAX_SCRIPT_BYTES = 16 * 1024 * 1024


class ScriptKind(StrEnum):
    FOUNTAIN = "fountain"
    FINAL_DRAFT = "fdx"
    SHOT_LIST = "csv"


SUFFIXES = {".fountain": ScriptKind.FOUNTAIN, ".spmd": ScriptKind.FOUNTAIN, ".fdx": ScriptKind.FINAL_DRAFT, ".csv": ScriptKind.SHOT_LIST}
_HINTS = {
    ".pdf": "export it from your screenwriting app as Fountain or Final Draft (.fdx) instead",
    ".docx": "export it from your screenwriting app as Fountain or Final Draft (.fdx) instead",
    ".doc": "export it from your screenwriting app as Fountain or Final Draft (.fdx) instead",
    ".txt": "if it is a Fountain screenplay, rename it to .fountain",
    ".xlsx": "save the sheet as CSV (.csv) first",
    ".xls": "save the sheet as CSV (.csv) first",
    ".ods": "save the sheet as CSV (.csv) first",
}


@dataclass(frozen=True)
class ScriptFile:
    path: Path
    kind: ScriptKind
    data: bytes

    def text(self) -> tuple[str, list[str]]:
        """The file as text, and a warning if it was not UTF-8."""
        return decode_text(self.data, self.path)


def script_kind(path: Path) -> ScriptKind:
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    known = ", ".join(SUFFIXES)
    hint = _HINTS.get(suffix, "")
    what = f"'{suffix}' files" if suffix else "files without an extension"
    raise ScriptImportError(path, f"cannot import {what}: Storyboard Studio reads screenplays and shot lists as {known}" + (f"; {hint}" if hint else ""))


def open_script(path: Path | str) -> ScriptFile:
    path = Path(path)
    kind = script_kind(path)
    if not path.exists():
        raise ScriptImportError(path, "no such file")
    if not path.is_file():
        raise ScriptImportError(path, "not a file (a folder?); give the script file itself")
    size = path.stat().st_size
    if size > MAX_SCRIPT_BYTES:
        raise ScriptImportError(
            path,
            f"{size / (1024 * 1024):.0f} MB is far larger than any screenplay or shot list (the limit is {MAX_SCRIPT_BYTES // (1024 * 1024)} MB); is it the right file?",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScriptImportError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ScriptImportError(path, "the file is empty")
    if _looks_binary(data):
        raise ScriptImportError(
            path, f"not a text file (it looks like binary data, not a {kind.value} script); export the script as Fountain, Final Draft or CSV"
        )
    return ScriptFile(path, kind, data)


def _looks_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:65536]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) // 100


def decode_text(data: bytes, path: object) -> tuple[str, list[str]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ScriptImportError(path, "damaged UTF-16 text") from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), ["the file is not UTF-8; it was read as Windows-1252 (Western) text, so check accented letters"]
