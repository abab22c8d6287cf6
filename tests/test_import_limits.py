"""An import refuses oversize or hostile input before reading it whole (issue 26): a file over the limit, a zip part
that inflates past it (declared or not), a text node of megabytes, entities that expand, too many parts; and a file
that is not a zip or lacks its parts. Each is one bilingual error naming the file, exit 1, no traceback, content/
untouched, and memory bounded: the bombs are measured with tracemalloc while they are checked.
"""
from __future__ import annotations

import copy
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from actionplan.base.errors import Problem, Problems
from actionplan.importers.bounded import LIMITS, Limits, check_office_zip
from actionplan.importers.tracking_table import read_table
from conftest import ROOT
from diagnostics import is_bilingual
from docx_builder import write_docx
from office_bombs import LAUGHS, huge_text, lie_about_size, plain_docx, with_document
from test_import import REGISTRY, SMALL_ROWS

sys.path.insert(0, str(ROOT))
import build as cli  # noqa: E402

HEADING = ["「貫徹保護智慧財產權行動方案」", "107年7月至9月各機關列管追蹤表"]
GOAL = "一、有效查緝仿冒盜版及強化營業秘密保護體制"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_import(project, table: Path) -> Result:
    return CliRunner().invoke(cli.cli, ["import-table", str(table), "--quarter", "2018-Q3", "--plan", "2018",
                                        "--today", "2026-11-21", "--root", str(project.root)])


def expect_refused(make_site, table: Path, code: str, *words: str) -> Problem:
    """Assert that importing ``table`` reports ``code`` on it, bilingual, with ``words`` in its message, printed
    as one line; exit 1, no traceback, content/ untouched. Return the problem."""
    project = make_site(REGISTRY)
    before = snapshot(project.content)
    result = run_import(project, table)
    problems = Problems(project.root)
    read_table(table, problems)
    found = [p for p in problems.errors if p.code == code]
    assert found, f"no {code}; reported:\n" + "\n".join(f"{p.code} {p}" for p in problems.found)
    problem = found[0]
    assert problem.path == problems.rel(table) and problem.path.endswith(table.name)
    assert is_bilingual(problem.message) and is_bilingual(problem.hint)
    assert all(word in problem.message for word in words), problem.message
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert str(problem) in result.output.splitlines()
    assert snapshot(project.content) == before
    return problem


def peak_of_check(path: Path, limits: Limits = LIMITS) -> tuple[bool, list[Problem], int]:
    """Return what checking the zip at ``path`` found, and the peak of memory it took, in bytes, the file aside."""
    data = path.read_bytes()
    problems = Problems()
    tracemalloc.start()
    try:
        ok = check_office_zip(data, path, ("word/document.xml",), problems, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return ok, problems.errors, peak


def test_a_zip_bomb_that_declares_its_size_is_refused_before_inflating_it(make_site, tmp_path):
    bomb = with_document(tmp_path / "bomb.docx", huge_text(LIMITS.member + (1 << 20)))
    problem = expect_refused(make_site, bomb, "E-IMPORT-SIZE", "word/document.xml", f"{LIMITS.member:,}")
    assert "解壓縮" in problem.message
    ok, _, peak = peak_of_check(bomb)
    assert not ok and peak < 1 << 20  # nothing inflated: the header said it all


def test_a_zip_bomb_whose_header_lies_is_stopped_without_inflating_it_whole(make_site, tmp_path):
    # The header says 1,000 bytes; the part inflates to 64 MiB. Python's zipfile stops at the declared size, and the
    # CRC of what it read then fails: the file is damaged, whichever way it is read.
    bomb = lie_about_size(with_document(tmp_path / "bomb.docx", huge_text(64 << 20)))
    expect_refused(make_site, bomb, "E-IMPORT-ZIP", "word/document.xml")
    ok, _, peak = peak_of_check(bomb)
    assert not ok and peak < 4 << 20


def test_a_part_inflating_past_the_limit_is_stopped_in_chunks_when_its_header_understates_it(tmp_path, monkeypatch):
    # Python's zipfile reads no more than the header declares; a reader that believed no header would read on. The
    # check is made to see a header declaring 1,000 bytes and to read the part as it is: it stops past the limit.
    bomb = with_document(tmp_path / "bomb.docx", huge_text(8 << 20))
    limits = Limits(member=1 << 20, text_run=16 << 20)
    real_infolist, real_open = zipfile.ZipFile.infolist, zipfile.ZipFile.open

    def understated(self):
        members = [copy.copy(member) for member in real_infolist(self)]
        for member in members:
            if member.filename == "word/document.xml":
                member.file_size = 1_000
        return members

    def believing_no_header(self, member, *args, **kwargs):
        return real_open(self, member.filename, *args, **kwargs)  # the central directory's own, true record

    monkeypatch.setattr(zipfile.ZipFile, "infolist", understated)
    monkeypatch.setattr(zipfile.ZipFile, "open", believing_no_header)
    ok, errors, peak = peak_of_check(bomb, limits)
    assert not ok and [p.code for p in errors] == ["E-IMPORT-SIZE"]
    assert f"unpacks to {(1 << 20) + (1 << 16):,} bytes or more" in errors[0].message  # one chunk past the limit
    assert peak < 4 << 20


def test_a_text_of_megabytes_in_the_xml_is_refused_before_lxml_parses_it(make_site, tmp_path):
    bomb = with_document(tmp_path / "long.docx", huge_text(LIMITS.text_run * 2))
    expect_refused(make_site, bomb, "E-IMPORT-XML", "word/document.xml", f"{LIMITS.text_run:,}")


def test_entities_that_expand_are_refused_before_any_is_expanded(make_site, tmp_path):
    bomb = with_document(tmp_path / "laughs.docx", [LAUGHS])
    expect_refused(make_site, bomb, "E-IMPORT-XML", "DTD")


@pytest.mark.parametrize("name", ["big.docx", "big.txt"])
def test_a_file_over_the_limit_is_refused_from_its_size(make_site, tmp_path, name):
    big = tmp_path / name
    with open(big, "wb") as file:
        file.truncate(LIMITS.file + 1)  # sparse: nothing written, nothing to read
    expect_refused(make_site, big, "E-IMPORT-SIZE", f"{LIMITS.file + 1:,}", f"{LIMITS.file:,}")


def test_a_file_that_is_not_a_zip_is_refused(make_site, tmp_path):
    table = tmp_path / "table.docx"
    table.write_text("實施要領\t執行措施\n", encoding="utf-8")
    expect_refused(make_site, table, "E-IMPORT-ZIP", "zip")


def test_a_zip_without_the_parts_of_a_word_file_is_refused(make_site, tmp_path):
    table = tmp_path / "table.docx"
    with zipfile.ZipFile(table, "w") as archive:
        archive.writestr("hello.txt", "hello")
    expect_refused(make_site, table, "E-IMPORT-ZIP", "[Content_Types].xml")


def test_a_word_file_without_its_document_is_refused(make_site, tmp_path):
    source = plain_docx(tmp_path / "plain.docx")
    table = tmp_path / "table.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(table, "w") as new:
        for member in old.infolist():
            if member.filename != "word/document.xml":
                new.writestr(member, old.read(member))
    expect_refused(make_site, table, "E-TABLE-FORMAT")


def test_a_zip_of_too_many_parts_or_too_much_in_all_is_refused(tmp_path):
    table = tmp_path / "parts.docx"
    with zipfile.ZipFile(table, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(12):
            archive.writestr(f"word/media/{number}.bin", bytes(1000))
    problems = Problems()
    assert not check_office_zip(table.read_bytes(), table, (), problems, Limits(members=10))
    assert "12 parts" in problems.errors[0].message
    problems = Problems()
    assert not check_office_zip(table.read_bytes(), table, (), problems, Limits(total=10_000))
    assert "10,000" in problems.errors[0].message and problems.errors[0].code == "E-IMPORT-SIZE"
    assert check_office_zip(table.read_bytes(), table, (), Problems())


def test_a_cell_spanning_a_billion_columns_spans_the_table(tmp_path):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    path = write_docx(tmp_path / "table.docx", HEADING, [(GOAL, SMALL_ROWS)])
    from docx import Document

    document = Document(str(path))
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "1000000000")
    document.tables[0].rows[1].cells[5]._tc.get_or_add_tcPr().append(span)
    document.save(str(path))
    problems = Problems()
    raw = read_table(path, problems)
    assert raw is not None and not problems.errors, problems.report()


def test_the_limits_are_far_above_the_seed_table_as_a_word_file(tmp_path):
    from test_import import SEED, seed_as_docx

    raw = read_table(SEED, Problems())
    docx = seed_as_docx(raw, tmp_path / "seed.docx")
    with zipfile.ZipFile(docx) as archive:
        members = archive.infolist()
        longest_run = max(len(run) for run in archive.read("word/document.xml").replace(b">", b"<").split(b"<"))
    assert docx.stat().st_size * 100 < LIMITS.file
    assert max(m.file_size for m in members) * 10 < LIMITS.member
    assert sum(m.file_size for m in members) * 50 < LIMITS.total
    assert len(members) * 50 < LIMITS.members
    assert longest_run * 100 < LIMITS.text_run
    assert SEED.stat().st_size * 100 < LIMITS.file
