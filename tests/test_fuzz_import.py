"""Random and mutated input never crashes an import (issue 26): whatever bytes come as a .docx or a text export,
reading and interpreting the table ends in a table or in reported problems, bilingual, never an exception.

The mutations start from a real table written by python-docx: its bytes flipped or cut (the zip's own checks then
speak), and its XML parts edited and zipped again (so python-docx and lxml see broken, odd or hostile XML). Runs are
derandomized and bounded, as in test_fuzz.py, so CI sees the same examples every time, quickly.
"""
from __future__ import annotations

import functools
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actionplan.base.errors import Problems
from actionplan.build.pipeline import Project, load
from actionplan.content.agencies import AgencyIndex
from actionplan.content.models import Quarter
from actionplan.importers.tracking_table import interpret, read_table
from conftest import ROOT, count
from diagnostics import is_bilingual
from docx_builder import write_docx
from test_import import SMALL_EXPORT, SMALL_ROWS

IMPORT_FUZZ_EXAMPLES = {
    "random_bytes": 60,
    "flipped_bytes": 60,
    "mutated_xml": 100,
    "random_text": 60,
}
"""Random examples each test tries; the explicit @example cases come on top."""

PARTS = ("word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml")
XML_BITS = ("<", ">", "&", "&amp;", "&lol;", "<!DOCTYPE x [<!ENTITY lol \"lol\">]>", "</w:t>", "<w:t>", "<w:tc>",
            "</w:tr>", "<w:tbl>", "<w:gridSpan w:val=\"x\"/>", "<w:gridSpan w:val=\"-3\"/>", "<w:vMerge/>",
            "<w:numPr/>", "\"", "'", "\x00", "\ufffd", "】", "【法務部】", "<p>", "\t", "\n", "xmlns:w=\"urn:x\"")


def fuzz_settings(name: str) -> settings:
    """Return the settings of one fuzz test: reproducible, no deadline, its own number of examples."""
    return settings(max_examples=IMPORT_FUZZ_EXAMPLES[name], derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                    print_blob=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-import")


@functools.cache
def table_docx() -> bytes:
    """Return the bytes of a real two-row tracking table as python-docx writes it (not a fixture: Hypothesis would
    print its 40 kB with every failing example)."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_docx(Path(folder) / "base.docx", ["「貫徹保護智慧財產權行動方案」", "107年7月至9月各機關列管追蹤表"],
                          [("一、有效查緝仿冒盜版及強化營業秘密保護體制", SMALL_ROWS)])
        return path.read_bytes()


@pytest.fixture(scope="module")
def index() -> AgencyIndex:
    corpus = load(Project(ROOT), Problems(ROOT))
    assert corpus is not None
    return AgencyIndex(corpus.agencies.values())


def assert_only_reported(path: Path, data: bytes, index: AgencyIndex) -> None:
    """Write ``data`` at ``path``, import it as far as the table goes, and assert it ends in a table or in problems,
    every one bilingual: nothing raised."""
    count("import fuzz examples tried")
    path.write_bytes(data)
    problems = Problems(path.parent)
    raw = read_table(path, problems)  # an exception here fails the test, with the example that raised it
    if raw is None:
        assert problems.errors, "no table and no error"
    else:
        interpret(raw, path, Quarter(2018, 3), index, problems)
    for problem in problems.found:
        assert is_bilingual(problem.message), problem
        assert not problem.hint or is_bilingual(problem.hint), problem
        assert "Traceback" not in str(problem)


def rezipped(data: bytes, part: str, text: bytes) -> bytes:
    """Return the zip ``data`` with ``part`` holding ``text``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, text if member.filename == part else source.read(member))
    return out.getvalue()


@fuzz_settings("random_bytes")
@given(st.binary(max_size=2000))
@example(b"")
@example(b"PK\x03\x04")
@example(b"PK\x05\x06" + bytes(18))  # an empty zip: only its end record
def test_random_bytes_as_a_word_file_are_only_ever_reported(workspace, index, data):
    assert_only_reported(workspace / "random.docx", data, index)


@fuzz_settings("flipped_bytes")
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12),
       st.floats(0, 1))
def test_a_word_file_with_bytes_flipped_or_cut_is_only_ever_reported(workspace, index, flips, keep):
    data = bytearray(table_docx())
    for where, value in flips:
        data[int(where * len(data))] = value
    cut = bytes(data[: max(1, int(keep * len(data)))]) if keep < 0.98 else bytes(data)
    assert_only_reported(workspace / "flipped.docx", cut, index)


@fuzz_settings("mutated_xml")
@given(st.sampled_from(PARTS),
       st.lists(st.tuples(st.floats(0, 1), st.integers(0, 200),
                          st.one_of(st.sampled_from(XML_BITS), st.text(max_size=20))), min_size=1, max_size=6))
@example("word/document.xml", [(0.5, 0, '<w:gridSpan w:val="1000000000000"/>')])
@example("word/document.xml", [(0.0, 10**6, "")])  # the document emptied
@example("[Content_Types].xml", [(0.3, 0, "<!DOCTYPE x [<!ENTITY a \"b\">]>")])
@example("word/_rels/document.xml.rels", [(0.25, 73, "")])  # found by fuzzing: python-docx raised a TypeError
def test_a_word_file_with_its_xml_edited_is_only_ever_reported(workspace, index, part, edits):
    with zipfile.ZipFile(io.BytesIO(table_docx())) as archive:
        text = archive.read(part).decode("utf-8")
    for where, removed, inserted in edits:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + removed:]
    data = rezipped(table_docx(), part, text.encode("utf-8", "surrogatepass"))
    assert_only_reported(workspace / "edited.docx", data, index)


@fuzz_settings("random_text")
@given(st.one_of(st.binary(max_size=2000),
                 st.lists(st.sampled_from(SMALL_EXPORT.split("\n") + ["\t\t\t\t\t\t\t", "<span>", "【】", "\r", "\ufeff"]),
                          max_size=30).map(lambda lines: "\n".join(lines).encode("utf-8"))))
@example(SMALL_EXPORT.encode("cp950", "replace"))
@example(SMALL_EXPORT.encode("utf-16"))
def test_random_and_mutated_text_exports_are_only_ever_reported(workspace, index, data):
    assert_only_reported(workspace / "table.txt", data, index)
