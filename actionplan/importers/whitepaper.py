"""Imports a table of the agencies' responses to an industry white paper (全國工業總會「2025白皮書」部會辦理情形), as
its text export, a Word file (.docx) or an OpenDocument text (.odt), into content/whitepapers/<id>/.

The table has five columns: 議題 (issue), 建議事項 (recommendation), 延續議題 (continuing issue), 主管單位 with
辦理情形暨未來處理方向 (the responding body, then its answer), and 議題參採 (adoption status: four option lines, the
unchosen ones marked ☐). A recommendation answered by several bodies has a row for each, its first cells empty.

Nothing is written unless the whole table imports cleanly: every problem is reported with its source line, and a
table that cannot be placed leaves content/ untouched. What an editor added by hand (English, links to the plan,
notes, the date) is kept; importing the same table again changes nothing.
"""
from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..base.errors import WARNING, BuildFailed, Problems
from ..build.pipeline import Project, load
from .content_writes import check_in_a_copy, write_files
from ..content.agencies import AgencyIndex
from ..content.fields import did_you_mean
from ..content.sources import bi
from ..content.whitepaper import FOLDER, STATUS_ZH, STATUSES, UNCHECKED, parse_status
from .table_model import chinese_to_int

COLUMNS = ("議題", "建議事項", "延續議題", "主管單位", "議題參採")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_CHAPTER = re.compile(r"^([壹貳參肆伍陸柒捌玖拾])、\s*(.+)$")
_CHAPTER_NUMBERS = "壹貳參肆伍陸柒捌玖拾"
_ISSUE = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
_RECOMMENDATION = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]\s*(.+?)\s*$")
_PROGRESS = re.compile(r"^1\s*[、.．]\s*目前進度及未來規劃")
_LAWS = re.compile(r"^(2\s*[、.．]\s*涉及法規\s*[：:]?)(.*)$", re.S)
_TITLE = re.compile(r"^(?P<publisher>.+?)「(?P<year>[0-9]{4})(?P<name>[^」]*)」")


@dataclass(frozen=True)
class Line:
    """A line (a paragraph) of the source, with where it stands: its line in a text export, its paragraph's
    position in a Word or OpenDocument file."""

    text: str
    number: int


@dataclass
class Document:
    """What a source holds: the paragraphs before the table (title, chapter) and the table's rows of cells."""

    before: list[Line] = field(default_factory=list)
    rows: list[list[list[Line]]] = field(default_factory=list)


@dataclass
class ImportedResponse:
    recommendation: str
    agency: str
    order: int
    reported_as: str
    progress_heading: str
    progress: str
    laws_heading: str | None
    laws: str | None
    statuses: list[str]
    continuing: str | None
    line: int


@dataclass
class ImportedRecommendation:
    number: int
    heading: str
    title: str
    text: str
    line: int


@dataclass
class ImportedIssue:
    number: int
    heading: str
    title: str
    line: int
    recommendations: list[ImportedRecommendation] = field(default_factory=list)


@dataclass
class ImportedPaper:
    title: str = ""
    publisher: str = ""
    year: int = 0
    chapter: tuple[int, str, str] = (1, "", "")
    issues: list[ImportedIssue] = field(default_factory=list)
    responses: list[ImportedResponse] = field(default_factory=list)
    bookmarks: int = 0


# ---------------------------------------------------------------------------------------------------- reading


def read_source_bytes(path: Path) -> bytes:
    """Return the bytes of a file to import: the one place the importer reads a file."""
    return path.read_bytes()


def read_document(path: Path, problems: Problems) -> Document | None:
    """Return the paragraphs and table rows of a text export, .docx or .odt; None after reporting why not."""
    data = read_source_bytes(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _docx(data)
        if suffix == ".odt":
            return _odt(data)
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        problems.add(path, 0, bi(f"cannot open this {suffix} file ({err})", f"無法開啟此 {suffix} 檔（{err}）"),
                     bi("save it again from Word or LibreOffice, or export the table as text", "請以 Word 或 LibreOffice 重新存檔，或將表格匯出為文字檔"),
                     code="E-IMPORT-FORMAT")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.add(path, data[: err.start].count(b"\n") + 1, bi("the text export is not UTF-8", "文字檔不是 UTF-8 編碼"),
                     bi("export it again as UTF-8 text", "請重新匯出為 UTF-8 文字檔"), code="E-IMPORT-FORMAT")
        return None
    return _text(text.replace("\r\n", "\n").replace("\r", "\n"))


def _text(text: str) -> Document:
    """Return the cells of a text export: a line starting with a tab starts a cell; the lines after it, up to the
    next, are the cell's further paragraphs. Every five cells make a row."""
    document = Document()
    cells: list[list[Line]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("\t"):
            cells.append([Line(line[1:], number)])
        elif cells:
            cells[-1].append(Line(line, number))
        elif line.strip():
            document.before.append(Line(line, number))
    document.rows = [cells[i:i + len(COLUMNS)] for i in range(0, len(cells), len(COLUMNS))]
    return document


def _docx(data: bytes) -> Document:
    from docx import Document as Docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    source = Docx(io.BytesIO(data))
    document = Document()
    position = 0
    for element in source.element.body.iterchildren():
        if element.tag == qn("w:p"):
            position += 1
            text = Paragraph(element, source).text
            if text.strip() and not document.rows:
                document.before.append(Line(text, position))
        elif element.tag == qn("w:tbl"):
            for tr in element.iterchildren(qn("w:tr")):
                row = []
                for tc in tr.iterchildren(qn("w:tc")):
                    cell = []
                    for p in tc.iterchildren(qn("w:p")):
                        position += 1
                        cell.append(Line(Paragraph(p, source).text, position))
                    row.append(cell)
                document.rows.append(row)
    return document


def _odt(data: bytes) -> Document:
    from odfdo import Document as Odt

    source = Odt(io.BytesIO(data))
    document = Document()
    position = 0
    for element in source.body.children:
        if element.tag == "text:p":
            position += 1
            text = element.text_recursive
            if text.strip() and not document.rows:
                document.before.append(Line(text, position))
        elif element.tag == "table:table":
            for tr in element.get_rows():
                row = []
                for tc in tr.get_cells():
                    cell = []
                    for p in tc.get_elements("text:p"):
                        position += 1
                        cell.append(Line(p.text_recursive, position))
                    row.append(cell)
                document.rows.append(row)
    return document


# ---------------------------------------------------------------------------------------------------- interpreting


def _trimmed(cell: list[Line]) -> list[Line]:
    """Return a cell's lines without the blank ones that end it (the export's, not the agency's)."""
    lines = list(cell)
    while lines and not lines[-1].text.strip():
        lines.pop()
    return lines


def clean_cells(document: Document, source: Path, problems: Problems) -> tuple[Document, int]:
    """Return the document with Word's bookmarks (``[bookmark: _Hlk…]``) taken out, each reported; and how many."""
    dropped = 0

    def clean(line: Line) -> Line:
        nonlocal dropped
        found = _BOOKMARK.findall(line.text)
        for mark in found:
            dropped += 1
            problems.add(source, line.number, bi(f"a Word bookmark {mark} is dropped", f"已刪除 Word 書籤 {mark}"),
                         bi("nothing to do: it is an export artefact, not text", "無需處理：此為匯出時產生的標記，不是內文"),
                         code="W-IMPORT-BOOKMARK", severity=WARNING)
        return Line(_BOOKMARK.sub("", line.text), line.number) if found else line

    cleaned = Document([clean(line) for line in document.before],
                       [[[clean(line) for line in cell] for cell in row] for row in document.rows])
    return cleaned, dropped


def interpret(document: Document, source: Path, index: AgencyIndex, problems: Problems) -> ImportedPaper:
    """Return the white paper a table holds; what cannot be placed is reported with its line."""
    paper = ImportedPaper()
    before = [line for line in document.before if line.text.strip()]
    first = before[0] if before else Line("", 1)
    title = _TITLE.match(first.text.strip())
    if title is None:
        problems.add(source, first.number, bi(f"the title 「{first.text.strip()}」 does not name a publisher and a 「YYYY…白皮書」",
                                              f"標題「{first.text.strip()}」未寫出發布單位及「YYYY…白皮書」"),
                     bi("start the file with the table's title, e.g. 全國工業總會「2025白皮書」部會辦理情形",
                        "檔案請以表格標題開頭，例如：全國工業總會「2025白皮書」部會辦理情形"), code="E-IMPORT-TITLE")
    else:
        paper.title, paper.publisher, paper.year = first.text.strip(), title.group("publisher"), int(title.group("year"))
    chapter_line = before[1] if len(before) > 1 else Line("", first.number + 1)
    chapter = _CHAPTER.match(chapter_line.text.strip())
    if chapter is None:
        problems.add(source, chapter_line.number, bi("no chapter heading (壹、…) before the table", "表格前沒有章標題（壹、…）"),
                     bi("write the chapter's heading on the line after the title, e.g. 壹、產業發展", "請在標題下一行寫章標題，例如「壹、產業發展」"),
                     code="E-IMPORT-CHAPTER")
    else:
        paper.chapter = (_CHAPTER_NUMBERS.index(chapter.group(1)) + 1, chapter_line.text.strip(), chapter.group(2).strip())
    rows = document.rows
    if not rows or not _is_header(rows[0]):
        where = rows[0][0][0].number if rows and rows[0] and rows[0][0] else 0
        problems.add(source, where, bi("the table's first row is not its header (議題, 建議事項, 延續議題, 主管單位, 議題參採)",
                                       "表格第一列不是標題列（議題、建議事項、延續議題、主管單位、議題參採）"),
                     bi("give the whole table, header row included", "請提供含標題列的完整表格"), code="E-IMPORT-HEADER")
        return paper
    issue: ImportedIssue | None = None
    recommendation: ImportedRecommendation | None = None
    orders: dict[str, int] = {}
    for row in rows[1:]:
        start = next((cell[0].number for cell in row if cell), 0)
        if len(row) != len(COLUMNS):
            problems.add(source, start, bi(f"a row of {len(row)} cells; the table has {len(COLUMNS)} columns",
                                           f"此列有 {len(row)} 格，表格應有 {len(COLUMNS)} 欄"),
                         bi("check that no cell was split or merged in the export", "請檢查匯出時是否有儲存格被拆開或合併"),
                         code="E-IMPORT-ROW")
            continue
        issue_cell, rec_cell, continuing_cell, answer_cell, status_cell = (_trimmed(cell) for cell in row)
        issue_text = " ".join(line.text.strip() for line in issue_cell).strip()
        if issue_text:
            issue = _issue(issue_text, issue_cell[0].number, paper, source, problems)
            recommendation = None
            if issue is None:
                continue
        if issue is None:
            problems.add(source, start, bi("a row before the first issue (一、…)", "第一個議題（一、…）之前的列"),
                         bi("the first row of the table names its issue", "表格第一列須寫出議題"), code="E-IMPORT-ORDER")
            continue
        if rec_cell and rec_cell[0].text.strip():
            recommendation = _recommendation(rec_cell, issue, source, problems)
            if recommendation is None:
                continue
        if recommendation is None:
            problems.add(source, start, bi("a response with no recommendation ((一) …) above it", "回應上方沒有建議事項（(一) …）"),
                         bi("the first response to a recommendation has the recommendation in its row",
                            "建議事項的第一個回應列須寫出建議事項"), code="E-IMPORT-ORDER")
            continue
        rec_id = f"{paper.chapter[0]}.{issue.number}.{recommendation.number}"
        response = _response(rec_id, continuing_cell, answer_cell, status_cell, start, index, source, problems)
        if response is None:
            continue
        orders[rec_id] = response.order = orders.get(rec_id, 0) + 1
        twin = next((r for r in paper.responses if (r.recommendation, r.agency) == (rec_id, response.agency)), None)
        if twin is not None:
            problems.add(source, response.line, bi(f"a second response of {response.agency} to recommendation {rec_id} (the first on line {twin.line})",
                                                   f"{response.agency} 對建議事項 {rec_id} 的第二個回應（第一個在第 {twin.line} 行）"),
                         bi("merge the two rows, or tell the two bodies apart in content/agencies.yaml",
                            "請合併兩列，或在 content/agencies.yaml 區分兩個機關"), code="E-IMPORT-DUPLICATE")
            continue
        paper.responses.append(response)
    return paper


def _is_header(row: list[list[Line]]) -> bool:
    texts = ["".join(line.text.strip() for line in cell) for cell in row]
    return len(texts) == len(COLUMNS) and all(text.startswith(name) for text, name in zip(texts, COLUMNS))


def _issue(text: str, line: int, paper: ImportedPaper, source: Path, problems: Problems) -> ImportedIssue | None:
    found = _ISSUE.match(text)
    number = chinese_to_int(found.group(1)) if found else None
    expected = len(paper.issues) + 1
    if found is None or number != expected:
        problems.add(source, line, bi(f"「{text[:30]}」 is not issue {expected} (written 「{_numeral(expected)}、…」)",
                                      f"「{text[:30]}」不是第 {expected} 個議題（應寫「{_numeral(expected)}、…」）"),
                     bi("check the issue column: each issue starts with its number, in order", "請檢查議題欄：議題須依序以編號開頭"),
                     code="E-IMPORT-ISSUE")
        return None
    issue = ImportedIssue(number, text, found.group(2).strip(), line)
    paper.issues.append(issue)
    return issue


def _numeral(n: int) -> str:
    from ..content.i18n import chinese_number
    return chinese_number(n)


def _recommendation(cell: list[Line], issue: ImportedIssue, source: Path, problems: Problems) -> ImportedRecommendation | None:
    head = cell[0]
    found = _RECOMMENDATION.match(head.text.strip())
    number = chinese_to_int(found.group(1)) if found else None
    expected = len(issue.recommendations) + 1
    if found is None or number != expected:
        problems.add(source, head.number, bi(f"「{head.text.strip()[:30]}」 is not recommendation {expected} of issue {issue.number} (written 「({_numeral(expected)}) …」)",
                                             f"「{head.text.strip()[:30]}」不是議題 {issue.number} 的第 {expected} 項建議（應寫「({_numeral(expected)}) …」）"),
                     bi("check the recommendation column: each starts with its number in brackets, in order",
                        "請檢查建議事項欄：建議須依序以括號編號開頭"), code="E-IMPORT-RECOMMENDATION")
        return None
    text = "\n".join(line.text for line in cell[1:])
    if not text.strip():
        problems.add(source, head.number, bi(f"recommendation {expected} of issue {issue.number} has a title but no text",
                                             f"議題 {issue.number} 的第 {expected} 項建議只有標題，沒有內容"),
                     bi("give the recommendation's text in the lines after its title", "請在標題之後寫建議內容"), code="E-IMPORT-RECOMMENDATION")
        return None
    recommendation = ImportedRecommendation(number, head.text.rstrip(), found.group(2), text, head.number)
    issue.recommendations.append(recommendation)
    return recommendation


def _response(rec_id: str, continuing: list[Line], answer: list[Line], status: list[Line], start: int, index: AgencyIndex,
              source: Path, problems: Problems) -> ImportedResponse | None:
    if len(answer) < 2:
        problems.add(source, answer[0].number if answer else start, bi("a response without the body's name and its answer",
                                                                       "回應缺少主管單位名稱或辦理情形"),
                     bi("the 主管單位 cell starts with the body's name, then 1、 目前進度及未來規劃",
                        "主管單位欄請先寫機關名稱，再寫「1、 目前進度及未來規劃」"), code="E-IMPORT-RESPONSE")
        return None
    name = answer[0]
    agency = _agency(name, index, source, problems)
    heading = answer[1]
    if not _PROGRESS.match(heading.text.strip()):
        problems.add(source, heading.number, bi(f"「{heading.text.strip()[:30]}」 is not the heading 1、 目前進度及未來規劃",
                                                f"「{heading.text.strip()[:30]}」不是標題「1、 目前進度及未來規劃」"),
                     bi("the line after the body's name is 1、 目前進度及未來規劃", "機關名稱的下一行應為「1、 目前進度及未來規劃」"),
                     code="E-IMPORT-RESPONSE")
        return None
    rest = answer[2:]
    at = next((i for i, line in enumerate(rest) if _LAWS.match(line.text.strip())), None)
    progress_lines = rest if at is None else rest[:at]
    laws_heading = laws = None
    if at is not None:
        found = _LAWS.match(rest[at].text)
        laws_heading, inline = found.group(1), found.group(2)
        following = [line.text for line in rest[at + 1:]]
        laws = "\n".join(([inline] if inline else []) + following) or None
        if inline and following:
            laws = inline + "\n" + "\n".join(following)
    progress = "\n".join(line.text for line in progress_lines).strip("\n")
    if not progress.strip():
        problems.add(source, heading.number, bi("the response says nothing under 目前進度及未來規劃", "「目前進度及未來規劃」下沒有內容"),
                     bi("check that the cell was exported whole", "請確認儲存格已完整匯出"), code="E-IMPORT-RESPONSE")
        return None
    statuses = _statuses(status, start, source, problems)
    if agency is None or statuses is None:
        return None
    kept = "\n".join(line.text for line in continuing).strip()
    return ImportedResponse(rec_id, agency, 0, name.text.strip(), heading.text, progress, laws_heading, laws, statuses,
                            kept or None, name.number)


def _agency(name: Line, index: AgencyIndex, source: Path, problems: Problems) -> str | None:
    written = name.text.strip()
    found = index.find(written)
    if found is None:
        resolved = index.resolve_cell(written) or []
        ids = {agency_id for _, _, agency_id in resolved}
        found = ids.pop() if len(ids) == 1 and None not in ids else None
    if found is None:
        problems.add(source, name.number, bi(f"unknown responding body 「{written}」", f"主管單位「{written}」不在機關名冊中"),
                     did_you_mean(written, index.names()) or bi("add it to content/agencies.yaml (zh, en, and aliases for how the table writes it)",
                                                                "請在 content/agencies.yaml 新增（zh、en，以及表中寫法的 aliases）"),
                     code="E-AGENCY-UNKNOWN")
    return found


def _statuses(cell: list[Line], start: int, source: Path, problems: Problems) -> list[str] | None:
    """Return the option lines chosen, verbatim; None after reporting a cell that is not the four options."""
    lines = [line for line in cell if line.text.strip()]
    where = lines[0].number if lines else start
    names = []
    chosen = []
    for line in lines:
        text = line.text.strip()
        if text.startswith(UNCHECKED):
            names.append(text[len(UNCHECKED):].strip())
            continue
        choice = parse_status(text)
        names.append(STATUS_ZH[choice.status] if choice else text)
        if choice:
            chosen.append(text)
    if names != [STATUS_ZH[s] for s in STATUSES]:
        problems.add(source, where, bi(f"the status cell reads {' / '.join(names) or 'nothing'}, not the four options 已參採 / 部分參採 / 研議中 / 不參採",
                                       f"參採欄為「{'／'.join(names) or '空白'}」，不是「已參採／部分參採／研議中／不參採」四個選項"),
                     bi("give the four option lines, the unchosen ones marked ☐", "請列出四個選項，未勾選者以 ☐ 標示"), code="E-IMPORT-STATUS")
        return None
    if not chosen:
        problems.add(source, where, bi("no option is chosen: all four carry ☐", "四個選項都有 ☐，沒有勾選任何一項"),
                     bi("check the source: the chosen option is the one without ☐", "請核對原文：勾選的選項不帶 ☐"), code="E-IMPORT-STATUS")
        return None
    return chosen


# ---------------------------------------------------------------------------------------------------- writing


def _q(text: str) -> str:
    """Return a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _block(key: str, text: str, indent: str) -> list[str]:
    """Return a text field as a literal block where its lines allow one, else quoted."""
    lines = text.split("\n")
    plain = len(lines) > 1 and all(line == line.strip() and line for line in lines) and not text.startswith(("#", "-"))
    if not plain:
        return [f"{indent}{key}: {_q(text)}"]
    return [f"{indent}{key}: |-", *(f"{indent}  {line}" for line in lines)]


def response_file(response: ImportedResponse, paper_id: str, source: Path, note: str | None) -> str:
    """Return the text of a response file: front matter, then the answer's text."""
    lines = [
        "---",
        f"# Imported from {source.name}, line {response.line} | 由 {source.name} 第 {response.line} 行匯入",
        f"whitepaper: {paper_id}",
        f"recommendation: {_q(response.recommendation)}",
        f"agency: {response.agency}",
        f"order: {response.order}",
        f"reported_as: {_q(response.reported_as)}",
        f"progress_heading: {_q(response.progress_heading)}",
    ]
    if response.laws_heading is not None:
        lines.append(f"laws_heading: {_q(response.laws_heading)}")
    if response.laws is not None:
        lines.append(f"laws: {_q(response.laws)}")
    lines.append("status:")
    lines += [f"  - {_q(status)}" for status in response.statuses]
    if response.continuing is not None:
        lines.append(f"continuing: {_q(response.continuing)}")
    if note:
        lines.append(f"note: {_q(note)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + response.progress + "\n"


def whitepaper_yaml(paper: ImportedPaper, paper_id: str, source: Path, updated: date, kept: dict) -> str:
    """Return whitepaper.yaml: the Chinese as the table writes it, with what ``kept`` (the file as it was) adds:
    English, links to the plan, notes and the date."""
    def en(*path) -> str | None:
        node = kept
        for step in path:
            if isinstance(node, list):
                node = node[step] if isinstance(step, int) and step < len(node) else None
            elif isinstance(node, dict):
                node = node.get(step)
            else:
                return None
        return node if isinstance(node, str) else None

    def pair(indent: str, key: str, zh: str, *path) -> list[str]:
        out = [f"{indent}{key}:", *_block("zh", zh, indent + "  ")]
        english = en(*path, key, "en")
        if english:
            out += _block("en", english, indent + "  ")
        return out

    chapter_number, chapter_heading, chapter_title = paper.chapter
    out = [
        f"# {paper.title}: imported from {source.name}. Chinese exactly as the table writes it; English added by hand.",
        f"id: {paper_id}",
        *pair("", "title", paper.title),
        *pair("", "publisher", paper.publisher),
        f"year: {paper.year}",
        *pair("", "source", en("source", "zh") or f"{paper.title}（各部會填報之辦理情形表）"),
        f"updated: {kept.get('updated') or updated.isoformat()}",
    ]
    if en("note", "zh"):
        out += pair("", "note", en("note", "zh"))
    out += ["chapters:", f"  - number: {chapter_number}", f"    heading: {_q(chapter_heading)}",
            *pair("    ", "title", chapter_title, "chapters", 0), "    issues:"]
    for i, issue in enumerate(paper.issues):
        base = ("chapters", 0, "issues", i)
        out += [f"      - number: {issue.number}", f"        heading: {_q(issue.heading)}",
                *pair("        ", "title", issue.title, *base), "        recommendations:"]
        for r, rec in enumerate(issue.recommendations):
            where = (*base, "recommendations", r)
            out += [f"          - number: {rec.number}", f"            heading: {_q(rec.heading)}",
                    *pair("            ", "title", rec.title, *where), *pair("            ", "text", rec.text, *where)]
            node = kept
            for step in where:
                node = node[step] if isinstance(node, (list, dict)) and (isinstance(node, dict) and step in node or isinstance(node, list) and step < len(node)) else None
            measures = node.get("measures") if isinstance(node, dict) else None
            if measures:
                out.append("            measures: [" + ", ".join(_q(m) for m in measures) + "]")
            link_note = node.get("link_note") if isinstance(node, dict) else None
            if isinstance(link_note, dict) and link_note.get("zh"):
                out += pair("            ", "link_note", link_note["zh"], *where)
    return "\n".join(out) + "\n"


@dataclass
class ImportPlan:
    """The files an import writes, and those it leaves because they already hold the same text."""

    writes: dict[Path, str] = field(default_factory=dict)
    unchanged: list[Path] = field(default_factory=list)
    bookmarks: int = 0


def _existing(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}
    if isinstance(data, dict) and "updated" in data:
        data["updated"] = str(data["updated"])
    return data if isinstance(data, dict) else {}


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        return {}
    try:
        data = yaml.safe_load(text[4:text.index("\n---\n", 3)])
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def plan_files(project: Project, paper: ImportedPaper, paper_id: str, source: Path, updated: date,
               problems: Problems) -> ImportPlan:
    """Return what to write: whitepaper.yaml and one file per response, keeping what editors added."""
    result = ImportPlan()
    folder = project.content / FOLDER / paper_id
    head = folder / "whitepaper.yaml"
    planned = {head: whitepaper_yaml(paper, paper_id, source, updated, _existing(head))}
    for response in paper.responses:
        target = folder / "responses" / f"{response.recommendation}.{response.agency}.md"
        note = _front(target).get("note") if target.exists() else None
        planned[target] = response_file(response, paper_id, source, note if isinstance(note, str) else None)
    for target, text in planned.items():
        if target.exists():
            old = target.read_text(encoding="utf-8")
            if _same(old, text):
                result.unchanged.append(target)
                continue
            if target != head:
                problems.add(source, next(r.line for r in paper.responses if target.name.startswith(f"{r.recommendation}.{r.agency}.")),
                             bi(f"{problems.rel(target)} already exists with other text", f"{problems.rel(target)} 已存在且內容不同"),
                             bi("delete it first if this table replaces it", "若此表取代之，請先刪除該檔"), code="E-IMPORT-EXISTS")
                continue
        result.writes[target] = text
    return result


def _same(old: str, new: str) -> bool:
    """Return whether two files differ only in the comment naming the source."""
    strip = re.compile(r"^(# Imported from .*|# .*: imported from .*)$", re.MULTILINE)
    return strip.sub("", old) == strip.sub("", new)


def import_whitepaper(project: Project, source: Path, paper_id: str, updated: date,
                      dry_run: bool = False) -> tuple[ImportPlan, Problems]:
    """Import the table into content/whitepapers/<paper_id>/; raise BuildFailed, writing nothing, if anything
    cannot be placed."""
    problems = Problems(project.root)
    corpus = load(project, problems)
    if corpus is None:
        raise BuildFailed(problems)
    document = read_document(source, problems)
    if document is None or problems.errors:
        raise BuildFailed(problems)
    document, bookmarks = clean_cells(document, source, problems)
    paper = interpret(document, source, AgencyIndex(corpus.agencies.values()), problems)
    if not paper.responses and not problems.errors:
        problems.add(source, 0, bi("no responses found in the table", "表格中找不到任何回應"),
                     bi("give the table of the agencies' responses, as text, .docx or .odt", "請提供各部會回應表（文字檔、.docx 或 .odt）"),
                     code="E-IMPORT-EMPTY")
    if problems.errors:
        raise BuildFailed(problems)
    result = plan_files(project, paper, paper_id, source, updated, problems)
    result.bookmarks = bookmarks
    if not problems.errors:
        check_in_a_copy(project, result.writes, problems)
    if problems.errors:
        raise BuildFailed(problems)
    if not dry_run:
        write_files(result.writes)
    return result, problems


def normalised(text: str) -> str:
    """Return text as names are compared (for tests and messages only; never for what is published)."""
    return unicodedata.normalize("NFKC", text)
