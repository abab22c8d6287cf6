"""The quarter's tracking table as .odt and .docx: written by every build, linked from the quarter page, the same bytes
every time, read back by import-table to the same content; the blank table sent out; malformed files refused."""
from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.base.errors import Problems
from actionplan.build.pipeline import Project, build, load
from actionplan.build.reuse import Reuse
from actionplan.content.agencies import AgencyIndex
from actionplan.content.models import Quarter
from actionplan.importers.table_model import HEADER_CELLS
from actionplan.importers.tracking_table import interpret, read_table
from actionplan.site import table_files
from actionplan.site.table_files import FORMATS, cell_paragraphs, table_paths
from conftest import ROOT
from docx_builder import write_docx
from odt_builder import grid_cells, write_odt
from test_import import REGISTRY, SMALL_ROWS

sys.path.insert(0, str(ROOT))
import build as cli_module  # noqa: E402

Q3_2018 = Quarter(2018, 3)
REAL_TABLE = {ext: path.as_posix() for ext, path in table_paths(Q3_2018, "2018").items()}


def cli(project: Project, *args: str):
    return CliRunner().invoke(cli_module.cli, [*args, "--root", str(project.root)])


def import_file(project: Project, table: Path, quarter: str, *args: str):
    return cli(project, "import-table", str(table), "--quarter", quarter, "--today", "2026-12-01", *args)


def content_digest(project: Project) -> dict[str, str]:
    return {p.relative_to(project.content).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(project.content.rglob("*")) if p.is_file()}


def site_of(project: Project, tmp_path: Path, name: str = "site") -> Path:
    build(project, tmp_path / name, search=False)
    return tmp_path / name


@pytest.fixture(scope="module")
def real_build(tmp_path_factory) -> Path:
    """The shipped content built (without search) twice, into two folders; the first is returned."""
    root = tmp_path_factory.mktemp("tables")
    for name in ("one", "two"):
        build(Project(ROOT), root / name, search=False)
    return root / "one"


def test_every_build_writes_the_quarters_table_in_both_formats_with_the_same_bytes(real_build):
    other = real_build.parent / "two"
    for ext, relative in REAL_TABLE.items():
        data = (real_build / relative).read_bytes()
        assert data == (other / relative).read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        if ext == "odt":
            assert archive.infolist()[0].filename == "mimetype"
            assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
            assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
            assert b"<dc:date>2026-11-21T00:00:00</dc:date>" in archive.read("meta.xml")  # the newest entry's date
        else:
            core = archive.read("docProps/core.xml").decode()
            assert "2026-11-21T00:00:00Z</dcterms:created>" in core and "2026-11-21T00:00:00Z</dcterms:modified>" in core


def test_the_quarter_page_links_both_files_in_both_languages(real_build):
    for lang in ("zh", "en"):
        page = (real_build / lang / "quarters/2018-q3/index.html").read_text(encoding="utf-8")
        for relative in REAL_TABLE.values():
            assert f'href="/{relative}"' in page
            assert (real_build / relative).stat().st_size > 10_000


def test_the_table_has_the_seeds_layout(real_build):
    """Heading, goal titles, the header row and each measure's row, read with the importer's own readers."""
    for relative in REAL_TABLE.values():
        problems = Problems()
        raw = read_table(real_build / relative, problems)
        assert not problems, problems.report()
        assert [b.text for b in raw.heading] == ["「貫徹保護智慧財產權行動方案」", "107年7月至9月各機關列管追蹤表"]
        assert [g.number for g in raw.goals] == list(range(1, 10))
        first = raw.goals[0].rows[0]
        assert first.text("strategy") == "(一)提升企業/國營事業研發創新能量。"
        assert first.text("measure") == "1. 提供企業客製化專利能量價值措施，提升企業研發實力。"
        assert [b.text for b in first.cells["outcome"]][0::2] == ["【經濟部工業局】", "【經濟部中小企業處】", "【經濟部智慧財產局】"]
        assert first.text("agencies") == "經濟部(工業局、中小企業處、智慧財產局)" and first.text("completion") == "經常辦理"
    assert table_files.HEADER_CELLS == HEADER_CELLS


@pytest.mark.parametrize("ext", FORMATS)
def test_importing_the_real_2018_q3_table_changes_nothing(real_build, real_site, ext):
    before = content_digest(real_site)
    result = import_file(real_site, real_build / REAL_TABLE[ext], "2018-Q3", "--plan", "2018")
    assert result.exit_code == 0, result.output
    assert "Wrote 0 files; 117 already up to date." in result.output
    assert "W-" not in result.output and "warning" not in result.output.lower()
    assert content_digest(real_site) == before


# Every markup the importer reads from a text export: paragraphs, lists, numbered items run together, a row cut
# by a page break, and characters Markdown would take as markup.
MARKUP_EXPORT = """\
「貫徹保護智慧財產權行動方案」
107年7月至9月各機關列管追蹤表

一、有效查緝仿冒盜版及強化營業秘密保護體制

實施要領\t執行措施\t執行成效\t主/(協)辦機關\t完成期程\t備註
<p>(一)檢、警、調等機關持續執行查緝。</p>\t<p>1. 由法務部督導查緝。</p>\t<p>【法務部】 起訴 174 件 *星號* [括號](javascript:x) <共> a_b _c_ &amp; |x|。</p> <p>【法務部調查局】 查獲侵權金額共新臺幣156億</p>\t<p>法務部／調查局</p>\t<p>經常辦理</p>\t<p>另見第2季</p>

實施要領\t執行措施\t執行成效\t主/(協)辦 機關\t完成 期程\t備註
\t\t<p>5,264萬520元。</p> <ol style="list-style-type: none"> 1. 商標法 2 案。 2. 著作權法 3 案。 3. 營業秘密法 1 案。\t\t\t
2. 落實警政署查緝計畫。\t【內政部警政署】 # 不是標題\t內政部(警政署)\t經常辦理\t\t
"""


@pytest.mark.parametrize("ext", FORMATS)
def test_a_table_with_every_markup_the_importer_reads_comes_back_the_same(make_site, tmp_path, ext):
    project = make_site(REGISTRY)
    text = tmp_path / "table.txt"
    text.write_text(MARKUP_EXPORT, encoding="utf-8")
    assert import_file(project, text, "2018-Q3", "--plan", "2018").exit_code == 0
    before = content_digest(project)
    assert "\\*星號\\*" in (project.content / "outcomes/2018-Q3/1.1.1.moj.md").read_text(encoding="utf-8")
    site = site_of(project, tmp_path)
    result = import_file(project, site / table_paths(Q3_2018, "2018")[ext], "2018-Q3", "--plan", "2018")
    assert result.exit_code == 0, result.output
    assert "Wrote 0 files; 3 already up to date." in result.output
    assert content_digest(project) == before


HAND_WRITTEN = """\
---
plan: "2024-2026"
measure: "1.1.1"
agency: tipo
quarter: 2024-Q3
updated: 2024-10-14
completion: 經常辦理
remarks: 另見第2季
---
113年7月至9月辦理說明會共12場次，
查獲侵權金額 **新臺幣156億元**，詳見[方案](/zh/plans/2024-2026/)。

| 項目 | 件數 |
| --- | --- |
| 說明會 | 12 |

1. 第一項
2. 第二項

- 甲
- 乙

> 引文 \\* 星號
"""


@pytest.mark.parametrize("ext", FORMATS)
def test_entries_written_by_hand_with_tables_lists_and_links_come_back_the_same(make_site, tmp_path, ext):
    project = make_site({"outcomes/2024-Q3/1.1.1.tipo.md": HAND_WRITTEN})
    before = content_digest(project)
    site = site_of(project, tmp_path)
    exported = site / table_paths(Quarter(2024, 3), "2024-2026")[ext]
    result = import_file(project, exported, "2024-Q3")
    assert result.exit_code == 0, result.output
    assert "Wrote 0 files; 2 already up to date." in result.output
    assert content_digest(project) == before
    problems = Problems()
    raw = read_table(exported, problems)
    assert "| 說明會 | 12 |" in [b.text for b in raw.goals[0].rows[0].cells["outcome"]]  # the Markdown as written
    # What an agency changes in the table is not taken for the same entry: nothing is overwritten.
    (_fill_odt if ext == "odt" else _fill_docx)(exported, "輔導及協助產、學、研強化研發", ["另補充一則。"])
    result = import_file(project, exported, "2024-Q3")
    assert result.exit_code == 1 and "content/outcomes/2024-Q3/1.1.1.tipo.md already exists with other text" in result.output
    assert content_digest(project) == before


def test_cell_paragraphs_give_back_what_the_importer_wrote():
    from actionplan.importers.cell_markdown import to_markdown

    for paragraphs in (["1. 甲 *星號* 2. 乙 [連結](javascript:x) 3. 丙", "# 不是標題", "a_b _c_ <script> & &amp; |x|"],
                       ["1) 項", "-5 度", "2. 先 1. 後", "本季無新進度"]):
        markdown = to_markdown(paragraphs)
        assert to_markdown(cell_paragraphs(markdown)) == markdown


@pytest.fixture(scope="module")
def index() -> AgencyIndex:
    problems = Problems()
    corpus = load(Project(ROOT), problems)
    return AgencyIndex(corpus.agencies.values())


HEADING = ["「貫徹保護智慧財產權行動方案」", "107年7月至9月各機關列管追蹤表"]
GOAL = "一、有效查緝仿冒盜版及強化營業秘密保護體制"


@pytest.mark.parametrize("title_rows", [False, True])
def test_an_odt_table_with_merged_cells_imports_as_its_word_file_does(index, tmp_path, title_rows):
    odt = write_odt(tmp_path / "table.odt", HEADING, [(GOAL, SMALL_ROWS)], title_rows=title_rows)
    docx = write_docx(tmp_path / "table.docx", HEADING, [(GOAL, SMALL_ROWS)])
    tables = []
    for path in (odt, docx):
        problems = Problems()
        tables.append(interpret(read_table(path, problems), path, Q3_2018, index, problems))
        assert not problems, problems.report()
    from_odt, from_docx = tables
    fields = lambda t: [(e.measure, e.agency, e.reported_as, e.body, e.completion, e.remarks) for e in t.entries]
    assert fields(from_odt) == fields(from_docx)
    assert [(e.measure, e.agency) for e in from_odt.entries] == [("1.1.1", "moj"), ("1.1.1", "mjib"), ("1.1.2", "npa")]
    assert [(m.id, m.lead, m.co) for m in from_odt.measures] == [("1.1.1", "法務部", "調查局"), ("1.1.2", "內政部(警政署)", "")]


def test_odt_spaces_and_a_header_row_repeated_after_a_page_break_are_read_as_written(index, tmp_path):
    rows = [list(map(list, row)) for row in SMALL_ROWS]
    rows[0][2][0] = "【法務部】 起訴   174 件。"  # three spaces: text:s in the file
    path = write_odt(tmp_path / "table.odt", HEADING, [(GOAL, rows + [[[h] for h in HEADER_CELLS]])])
    problems = Problems()
    table = interpret(read_table(path, problems), path, Q3_2018, index, problems)
    assert not problems, problems.report()
    assert table.entries[0].body == "起訴   174 件。\n"


def test_odt_automatic_numbering_is_refused_rather_than_dropped(tmp_path):
    from odfdo import Document, List

    path = write_odt(tmp_path / "numbered.odt", HEADING, [(GOAL, SMALL_ROWS)])
    document = Document(str(path))
    row = document.body.get_elements("table:table")[0].get_elements("table:table-row")[1]
    grid_cells(row)[2].append(List(["商標法 2 案。", "著作權法 3 案。"]))
    document.save(str(path))
    problems = Problems()
    read_table(path, problems)
    assert [p.code for p in problems.errors] == ["E-TABLE-NUMBERING"]
    assert "automatic numbering" in problems.errors[0].message and "自動編號" in problems.errors[0].message


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _without(source: Path, path: Path, member: str, replacement: bytes | None = None) -> Path:
    archive = zipfile.ZipFile(source)
    members = {name: archive.read(name) for name in archive.namelist() if name != member}
    if replacement is not None:
        members[member] = replacement
    return _zip(path, members)


def malformed(kind: str, ext: str, tmp_path: Path) -> Path:
    """Return a broken file of the kind named, in the format named."""
    path = tmp_path / f"table.{ext}"
    good = (write_odt if ext == "odt" else write_docx)(tmp_path / f"good.{ext}", HEADING, [(GOAL, SMALL_ROWS)])
    main_part = "content.xml" if ext == "odt" else "word/document.xml"
    if kind == "not a zip":
        path.write_text("實施要領\t執行措施\n", encoding="utf-8")
    elif kind == "empty zip":
        _zip(path, {})
    elif kind == "missing part":
        _without(good, path, main_part)
    elif kind == "damaged part":
        _without(good, path, main_part, b"<office:document-content")
    elif kind == "other format":
        other = (write_docx if ext == "odt" else write_odt)(tmp_path / f"other.{'docx' if ext == 'odt' else 'odt'}",
                                                            HEADING, [(GOAL, SMALL_ROWS)])
        path.write_bytes(other.read_bytes())
    elif kind == "narrow table":
        rows = [[cells[1], cells[2], cells[3]] for cells in SMALL_ROWS]
        if ext == "odt":
            from odfdo import Document

            write_odt(path, HEADING, [(GOAL, SMALL_ROWS)])
            document = Document(str(path))
            for row in document.body.get_elements("table:table")[0].get_elements(".//table:table-row"):
                for cell in grid_cells(row)[3:]:
                    row.delete(cell)
            document.save(str(path))
        else:
            from docx import Document

            document = Document()
            for line in HEADING:
                document.add_paragraph(line)
            document.add_paragraph(GOAL)
            table = document.add_table(rows=len(rows), cols=3)
            for r, row in enumerate(rows):
                for c, paragraphs in enumerate(row):
                    table.cell(r, c).text = "\n".join(paragraphs)
            document.save(str(path))
    return path


EXPECTED = {  # (the start of the message, its code): the zip itself is checked by the import limits (bounded.py)
    ("odt", "not a zip"): ("not a Word or OpenDocument file: not a zip", "E-IMPORT-ZIP"),
    ("odt", "empty zip"): ("the file lacks its part mimetype", "E-IMPORT-ZIP"),
    ("odt", "missing part"): ("the file lacks its part content.xml", "E-IMPORT-ZIP"),
    ("odt", "damaged part"): ("not a readable OpenDocument .odt file: it is damaged (XMLSyntaxError", "E-TABLE-FORMAT"),
    ("odt", "other format"): ("the file lacks its part mimetype", "E-IMPORT-ZIP"),
    ("odt", "narrow table"): ("a table of 3 columns; the tracking table has six", "E-TABLE-COLUMNS"),
    ("docx", "not a zip"): ("not a Word or OpenDocument file: not a zip", "E-IMPORT-ZIP"),
    ("docx", "empty zip"): ("the file lacks its part [Content_Types].xml", "E-IMPORT-ZIP"),
    ("docx", "missing part"): ("not a Word .docx file that can be read", "E-TABLE-FORMAT"),
    ("docx", "damaged part"): ("not a Word .docx file that can be read", "E-TABLE-FORMAT"),
    ("docx", "other format"): ("the file lacks its part [Content_Types].xml", "E-IMPORT-ZIP"),
    ("docx", "narrow table"): ("a table of 3 columns; the tracking table has six", "E-TABLE-COLUMNS"),
}


@pytest.mark.parametrize("ext, kind", sorted(EXPECTED))
def test_a_malformed_file_is_refused_with_a_bilingual_message_and_no_traceback(make_site, tmp_path, ext, kind):
    project = make_site(REGISTRY)
    before = content_digest(project)
    path = malformed(kind, ext, tmp_path)
    result = import_file(project, path, "2018-Q3", "--plan", "2018")
    assert result.exit_code == 1, result.output
    message, code = EXPECTED[(ext, kind)]
    assert f"table.{ext}:" in result.output and message in result.output
    assert "請" in result.output.split(" | ", 1)[1]  # the Chinese half of the message, and its hint
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert content_digest(project) == before
    problems = Problems()
    assert read_table(path, problems) is None or problems.errors
    assert {p.code for p in problems.errors} == {code}


def _fill_odt(path: Path, measure_text: str, paragraphs: list[str]) -> None:
    from odfdo import Document, Paragraph

    document = Document(str(path))
    for row in document.body.get_elements(".//table:table-row"):
        cells = grid_cells(row)
        if measure_text in cells[1].text_recursive:
            for text in paragraphs:
                cells[2].append(Paragraph(text))
            document.save(str(path))
            return
    raise AssertionError(measure_text)


def _fill_docx(path: Path, measure_text: str, paragraphs: list[str]) -> None:
    from docx import Document

    document = Document(str(path))
    for table in document.tables:
        for row in table.rows:
            if measure_text in row.cells[1].text:
                cell = row.cells[2]
                for text in paragraphs:
                    if cell.paragraphs[-1].text:
                        cell.add_paragraph(text)
                    else:
                        cell.paragraphs[-1].text = text
                document.save(str(path))
                return
    raise AssertionError(measure_text)


@pytest.mark.parametrize("ext", FORMATS)
def test_a_filled_copy_of_the_blank_table_imports_the_entry_written_in_it(real_site, tmp_path, ext):
    result = cli(real_site, "blank-table", "--quarter", "2024-Q3", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    blank = tmp_path / "out" / f"blank-tracking-table-2024-q3-2024-2026.{ext}"
    assert blank.exists() and f"Wrote {blank}" in result.output
    problems = Problems()
    raw = read_table(blank, problems)
    assert not problems, problems.report()
    rows = [row for goal in raw.goals for row in goal.rows]
    corpus = load(real_site, Problems())
    assert len(rows) == len(corpus.plans["2024-2026"].measures)
    assert all(not row.cells["outcome"] for row in rows)
    for row, measure in zip(rows, corpus.plans["2024-2026"].measures):
        assert row.text("measure") == f"{measure.number}. {measure.text.zh}"
        assert row.text("agencies") == measure.lead.written + (f"/{measure.co.written}" if measure.co.written else "")
        assert row.text("completion") == (measure.schedule.zh or "")
    (_fill_odt if ext == "odt" else _fill_docx)(blank, "提供專利能量價值措施", ["【經濟部智慧財產局】", "1. 辦理說明會 3 場。 2. 輔導 5 家。"])
    before = content_digest(real_site)
    result = import_file(real_site, blank, "2024-Q3")
    assert result.exit_code == 0, result.output
    assert "Wrote 1 files" in result.output and "W-TABLE-UNREPORTED" not in result.output  # one warning, in words
    written = set(content_digest(real_site)) - set(before)
    assert written == {"outcomes/2024-Q3/1.1.2.tipo.md"}
    entry = (real_site.content / "outcomes/2024-Q3/1.1.2.tipo.md").read_text(encoding="utf-8")
    assert entry.endswith("---\n1. 辦理說明會 3 場。\n2. 輔導 5 家。\n") and 'reported_as: "經濟部智慧財產局"' in entry
    assert cli(real_site, "check").exit_code == 0


def test_blank_table_for_a_quarter_without_a_single_edition_in_force_asks_for_one(real_site, tmp_path):
    result = cli(real_site, "blank-table", "--quarter", "2018-Q3", "--out", str(tmp_path))
    assert result.exit_code == 2 and "--plan" in result.output and "Traceback" not in result.output
    result = cli(real_site, "blank-table", "--quarter", "2018-Q3", "--plan", "1999", "--out", str(tmp_path))
    assert result.exit_code == 2 and "no edition 1999" in result.output


def test_an_edit_patched_into_the_site_rewrites_the_quarters_table(real_site, tmp_path):
    site = tmp_path / "site"
    build(real_site, site, search=False, reuse=Reuse())
    before = {ext: (site / path).read_bytes() for ext, path in REAL_TABLE.items()}
    entry = real_site.content / "outcomes/2018-Q3/3.2.2.tipo.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("邀請法官", "另邀請法官", 1), encoding="utf-8")
    report = build(real_site, site, search=False, reuse=Reuse())
    assert report.patched
    cold = site_of(real_site, tmp_path, "cold")
    for ext, relative in REAL_TABLE.items():
        after = (site / relative).read_bytes()
        assert after != before[ext] and after == (cold / relative).read_bytes()
        problems = Problems()
        raw = read_table(site / relative, problems)
        assert any("另邀請法官" in b.text for g in raw.goals for r in g.rows for b in r.cells["outcome"])
    assert build(real_site, site, search=False, reuse=Reuse()).unchanged  # the record knows the tables as rewritten
