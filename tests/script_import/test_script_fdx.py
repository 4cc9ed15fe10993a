"""Final Draft (.fdx): the same script as Fountain gives the same project; unsafe XML is refused."""

from __future__ import annotations

import pytest
from script_helpers import DATA, imported, write_script

import studio.document_types  # noqa: F401  (registers the schema used by to_json)
from studio.schema import to_json
from studio.script import ScriptImportError, read_screenplay


def test_fdx_of_the_same_script_gives_the_same_project():
    from_fountain = imported(DATA / "night_shift.fountain")
    from_fdx = imported(DATA / "night_shift.fdx")
    assert len(list(from_fdx.shots())) == len(list(from_fountain.shots())) > 15
    from_fdx.id = from_fountain.id  # two imports are two projects; their contents must agree
    assert to_json(from_fdx) == to_json(from_fountain)


def test_fdx_reads_title_scene_numbers_dual_dialogue_and_notes():
    screenplay = read_screenplay(DATA / "night_shift.fdx")
    assert screenplay.title == "NIGHT SHIFT"
    assert [s.heading.number for s in screenplay.scenes] == ["1", "2", "3A", "4", "5"]
    project = imported(DATA / "night_shift.fdx")
    notes = "\n".join(s.notes for s in project.shots())
    assert "Make the sign pink, not red." in notes and "Synopsis: Jonah arrives" in notes


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<FinalDraft DocumentType="Script"><Content><Paragraph Type="Action"><Text>&lol3;</Text></Paragraph></Content></FinalDraft>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE FinalDraft [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<FinalDraft DocumentType="Script"><Content><Paragraph Type="Action"><Text>&secret;</Text></Paragraph></Content></FinalDraft>
"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_xml_with_a_dtd_or_entities_is_refused(tmp_path, xml):
    path = write_script(tmp_path, xml, "evil.fdx")
    with pytest.raises(ScriptImportError, match=r"evil\.fdx: refused: the XML declares a document type or entities"):
        read_screenplay(path)


def test_utf16_xml_with_a_dtd_is_refused_too(tmp_path):
    path = tmp_path / "evil16.fdx"
    path.write_bytes(EXTERNAL_ENTITY.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"))
    with pytest.raises(ScriptImportError, match="refused"):
        read_screenplay(path)


def test_an_undeclared_entity_is_a_parse_error_with_a_line(tmp_path):
    path = write_script(tmp_path, '<FinalDraft>\n<Content>\n<Paragraph Type="Action"><Text>&nope;</Text></Paragraph></Content></FinalDraft>', "bad.fdx")
    with pytest.raises(ScriptImportError) as caught:
        read_screenplay(path)
    assert caught.value.line == 3 and "undefined entity" in str(caught.value)


def test_xml_that_is_not_final_draft_is_refused(tmp_path):
    path = write_script(tmp_path, "<html><body>hello</body></html>", "page.fdx")
    with pytest.raises(ScriptImportError, match=r"page\.fdx: not a Final Draft document \(its XML starts with <html>"):
        read_screenplay(path)


def test_broken_xml_is_refused(tmp_path):
    path = write_script(tmp_path, "<FinalDraft><Content><Paragraph>", "cut.fdx")
    with pytest.raises(ScriptImportError, match=r"cut\.fdx: line 1: not readable as Final Draft XML"):
        read_screenplay(path)


def test_final_draft_without_paragraphs_has_nothing_to_import(tmp_path):
    path = write_script(tmp_path, '<FinalDraft DocumentType="Script"><Content/></FinalDraft>', "blank.fdx")
    with pytest.raises(ScriptImportError, match="no scenes, action or dialogue"):
        read_screenplay(path)
