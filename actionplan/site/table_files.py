"""The quarterly tracking table (列管追蹤表) as files to download: OpenDocument (.odt) and Word (.docx).

The layout is the table agencies send (seed 001): the plan's title and the months reported, then for each goal its
heading (一、…) and a table whose rows are the measures, in six columns 實施要領 / 執行措施 / 執行成效 /
主/(協)辦機關 / 完成期程 / 備註; a strategy's cell is merged down over its measures, and each reporting body's part
of an outcome cell opens with 【the body】. ``build.py import-table`` reads these files back to the same entries.

The bytes depend on the content only: the documents' dates are the newest entry's (or the edition's), and every zip
member is written anew with a fixed date, in a fixed order. odfdo and python-docx load only when a file is made.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from ..base.parallel import ordered_map
from ..content.i18n import chinese_number
from ..content.models import ROC_OFFSET, Corpus, Measure, Outcome, Plan, Quarter

HEADER_CELLS = ("實施要領", "執行措施", "執行成效", "主/(協)辦機關", "完成期程", "備註")
"""The header row of the table, as the seed writes it; the importer recognises it by these cells."""
FORMATS = ("odt", "docx")
"""The file formats, ODF first (ODF-CNS15251)."""
TABLE_FOLDER = "tables"
"""The folder of the site holding the files, beside the language folders (the table is in Chinese only)."""
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ITEM = re.compile(r"^(\d{1,2})\.\s")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # as importers/cell_markdown.plain_text undoes the importer's escapes


@dataclass(frozen=True)
class TableRow:
    """One measure's row: the six cells as paragraphs; ``strategy_rows`` is how many rows its strategy cell spans
    (0 where the row continues the strategy cell of the row above)."""

    cells: tuple[tuple[str, ...], ...]
    strategy_rows: int


@dataclass(frozen=True)
class TableGoal:
    """A goal's heading (一、…) and its rows."""

    heading: str
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class TableDocument:
    """A whole tracking table, ready to be written in either format."""

    heading: tuple[str, ...]
    """The lines above the tables: 「the plan's title」 and 107年7月至9月各機關列管追蹤表."""
    goals: tuple[TableGoal, ...]
    day: date
    """The date the document's properties carry: the newest entry's, or the edition's for a blank table."""
    title: str
    """The document's title property."""


def table_paths(quarter: Quarter, plan_id: str) -> dict[str, PurePosixPath]:
    """Return, by format, where a quarter's table of an edition is in the site: ``tables/tracking-table-2018-q3-2018.odt``."""
    return {ext: PurePosixPath(TABLE_FOLDER, f"tracking-table-{quarter.slug}-{plan_id}.{ext}") for ext in FORMATS}


def quarter_downloads(quarter: Quarter, plan_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """Return, by edition, the site-relative paths of a quarter's table files, as its page links them."""
    return {plan_id: {ext: path.as_posix() for ext, path in table_paths(quarter, plan_id).items()}
            for plan_id in sorted(plan_ids)}


def write_table_files(staging: Path, corpus: Corpus, quarters: Iterable[str] | None = None) -> list[PurePosixPath]:
    """Write the table of every quarter with entries (or of the quarters whose slugs are given), for each edition
    it has entries under, in both formats into ``staging``; return the site-relative paths written."""
    wanted = None if quarters is None else set(quarters)
    tables = [(quarter, plan_id, [o for o in outcomes if o.plan == plan_id])
              for quarter, outcomes in sorted(corpus.outcomes_by_quarter.items())
              if wanted is None or quarter.slug in wanted
              for plan_id in sorted({o.plan for o in outcomes}) if plan_id in corpus.plans]

    def write(table: tuple) -> list[PurePosixPath]:
        quarter, plan_id, outcomes = table
        document = quarter_table(corpus, quarter, corpus.plans[plan_id], outcomes)
        written = []
        for ext, relative in table_paths(quarter, plan_id).items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render(document, ext))
            written.append(relative)
        return written

    # A twenty-year archive has 80 quarters' tables, each a Word and an ODF file of 170 entries: 7.5 s on one core.
    # The workers write the files; only their paths come back.
    return [path for paths in ordered_map(write, tables, per_worker=4) for path in paths]


def blank_table(corpus: Corpus, quarter: Quarter, plan_id: str) -> dict[str, bytes]:
    """Return, by format, the bytes of the table sent out to be filled for a quarter: every measure of the edition
    with its responsible agencies and schedule, the outcome cells empty."""
    document = quarter_table(corpus, quarter, corpus.plans[plan_id], None)
    return {ext: render(document, ext) for ext in FORMATS}


def blank_table_names(quarter: Quarter, plan_id: str) -> dict[str, str]:
    """Return, by format, the file name of a blank table: ``blank-tracking-table-2024-q3-2024-2026.odt``."""
    return {ext: f"blank-{path.name}" for ext, path in table_paths(quarter, plan_id).items()}


def render(document: TableDocument, ext: str) -> bytes:
    """Return the document's bytes as ``odt`` or ``docx``."""
    return to_odt(document) if ext == "odt" else to_docx(document)


def quarter_table(corpus: Corpus, quarter: Quarter, plan: Plan, outcomes: list[Outcome] | None) -> TableDocument:
    """Return the table of a quarter for an edition: every measure, with the entries given in its outcome cell
    (None: the blank table sent out to be filled, its outcome cells empty)."""
    by_measure: dict[str, list[Outcome]] = {}
    for outcome in outcomes or ():
        by_measure.setdefault(outcome.measure, []).append(outcome)
    goals = []
    for goal in plan.goals:
        rows = []
        for strategy in goal.strategies:
            for index, measure in enumerate(strategy.measures):
                strategy_cell = (f"({chinese_number(strategy.number)}){strategy.title.zh}",) if index == 0 else ()
                entries = sorted(by_measure.get(measure.id, []), key=lambda o: _entry_order(o, measure))
                rows.append(TableRow((strategy_cell, (f"{measure.number}. {measure.text.zh}",),
                                      _outcome_cell(corpus, entries), (_agencies_cell(measure),),
                                      _shared(entries, "completion") if outcomes is not None and entries
                                      else _one(measure.schedule.zh),
                                      _shared(entries, "remarks")),
                                     len(strategy.measures) if index == 0 else 0))
        goals.append(TableGoal(f"{chinese_number(goal.number)}、{goal.title.zh}", tuple(rows)))
    first, last = quarter.start.month, quarter.end.month
    day = max([o.updated for o in outcomes or ()] or [plan.updated])
    title = f"{quarter.year - ROC_OFFSET}年{first}月至{last}月各機關列管追蹤表"
    return TableDocument((f"「{plan.title.zh}」", title), tuple(goals), day, f"{plan.title.zh} {title}")


def _entry_order(outcome: Outcome, measure: Measure) -> tuple[int, str]:
    """Lead agencies first, then co-agencies, then the others, as the table lists the reporting bodies."""
    ids = (*measure.lead.ids, *measure.co.ids)
    return (ids.index(outcome.agency) if outcome.agency in ids else len(ids), outcome.agency)


def _one(text: str | None) -> tuple[str, ...]:
    return (text,) if text else ()


def _shared(entries: list[Outcome], field: str) -> tuple[str, ...]:
    """Return the row's completion or remarks cell: what its entries say (the importer gives each entry the row's)."""
    values = [getattr(o, field).zh for o in entries if getattr(o, field) is not None]
    return _one(values[0]) if values else ()


def _agencies_cell(measure: Measure) -> str:
    return f"{measure.lead.written}/{measure.co.written}" if measure.co.written else measure.lead.written


def _outcome_cell(corpus: Corpus, entries: list[Outcome]) -> tuple[str, ...]:
    """Return each entry's part of the outcome cell: 【the reporting body】, then its paragraphs."""
    paragraphs: list[str] = []
    for outcome in entries:
        name = outcome.reported_as
        if name is None or (name == "" and len(entries) > 1):
            agency = corpus.agencies.get(outcome.agency)
            name = agency.zh if agency else outcome.agency
        if name:
            paragraphs.append(f"【{name}】")
        paragraphs.extend(cell_paragraphs(outcome.body.zh))
    return tuple(paragraphs)


def cell_paragraphs(markdown: str) -> list[str]:
    """Return the paragraphs of a cell holding an entry's Markdown: what the importer reads back as the same text.

    The importer writes a cell's paragraphs blank-line-separated, the numbered items it found in one (「1. … 2. …」)
    on lines of their own, and escapes what Markdown would take as markup. So a block is a paragraph, its items
    rejoined where they number on from the first; any other line (an entry written by hand: a table row, a soft line
    break) is a paragraph of its own, as written. The importer's escapes are undone."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", markdown.strip("\n")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        numbers = [_ITEM.match(line) for line in lines]
        if len(lines) > 1 and all(numbers) and [int(m.group(1)) for m in numbers] == list(
                range(int(numbers[0].group(1)), int(numbers[0].group(1)) + len(lines))):
            lines = [" ".join(lines)]
        paragraphs.extend(_ESCAPED.sub(r"\1", line) for line in lines)
    return paragraphs


# --- OpenDocument -------------------------------------------------------------------------------------------------
# The tables are written as XML and parsed once each: odfdo makes each element it is asked for by parsing a snippet,
# which for a quarter's thousand cells and paragraphs took longer than rendering its pages.

COLUMN_SHARES = (14, 18, 38, 12, 9, 9)
"""The columns' widths in hundredths of the table's: the outcome column takes the most."""


def to_odt(document: TableDocument) -> bytes:
    """Return the table as an OpenDocument text file."""
    from odfdo import Document, Element, Paragraph

    odt = Document("text")
    body = odt.body
    body.clear()
    for line in document.heading:
        body.append(Paragraph(line))
    for number, goal in enumerate(document.goals, start=1):
        body.append(Paragraph(goal.heading))
        header = "<table:table-header-rows>" + _odt_row([(text,) for text in HEADER_CELLS], 1) + "</table:table-header-rows>"
        rows = "".join(_odt_row(row.cells, row.strategy_rows) for row in goal.rows)
        body.append(Element.from_tag(f'<table:table table:name="{_xml(f"目標{number}")}">'
                                     + "<table:table-column/>" * len(HEADER_CELLS) + header + rows + "</table:table>"))
    stamp = datetime(document.day.year, document.day.month, document.day.day)
    meta = odt.meta
    meta.set_creation_date(stamp)
    meta.set_modification_date(stamp)
    meta.set_title(document.title)
    meta.set_generator("actionplan")
    meta.set_editing_cycles(1)
    buffer = io.BytesIO()
    odt.save(buffer)
    return fixed_zip(buffer.getvalue())


def _odt_row(cells: Iterable[Iterable[str]], strategy_rows: int) -> str:
    """Return a row; its first cell spans ``strategy_rows`` rows, or is covered by the one above where that is 0."""
    out = ["<table:table-row>"]
    for index, paragraphs in enumerate(cells):
        if index == 0 and strategy_rows == 0:
            out.append("<table:covered-table-cell/>")
            continue
        span = f' table:number-rows-spanned="{strategy_rows}"' if index == 0 and strategy_rows > 1 else ""
        out.append(f'<table:table-cell office:value-type="string"{span}>'
                   + "".join(f"<text:p>{_odt_text(text)}</text:p>" for text in paragraphs) + "</table:table-cell>")
    return "".join(out) + "</table:table-row>"


_SPACES = re.compile(r"\t|\n| {2,}|^ ")


def _odt_text(text: str) -> str:
    """Return a paragraph's text as ODF writes it: runs of spaces, tabs and line breaks as elements of their own
    (a reader collapses the white space of the text itself)."""
    def element(match: re.Match) -> str:
        run = match.group(0)
        if run == "\t":
            return "<text:tab/>"
        if run == "\n":
            return "<text:line-break/>"
        count = len(run) if match.start() == 0 else len(run) - 1
        spaces = "<text:s/>" if count == 1 else f'<text:s text:c="{count}"/>'
        return spaces if match.start() == 0 else " " + spaces

    return "".join(_xml(part) if i % 2 == 0 else part
                   for i, part in enumerate(_split_keep(_SPACES, text, element)))


def _split_keep(pattern: re.Pattern, text: str, replace) -> list[str]:
    """Return the text cut at the pattern's matches: text, replacement, text, …"""
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts += [text[position:match.start()], replace(match)]
        position = match.end()
    return parts + [text[position:]]


def _xml(text: str) -> str:
    """Return text escaped for XML, without the control characters XML 1.0 cannot hold."""
    text = "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 0x20)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- Word ---------------------------------------------------------------------------------------------------------

def to_docx(document: TableDocument) -> bytes:
    """Return the table as a Word file, on a landscape page."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    word = Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    width = (section.page_width - section.left_margin - section.right_margin) // 635  # EMU to twentieths of a point
    columns = [width * share // 100 for share in COLUMN_SHARES]
    for line in document.heading:
        word.add_paragraph(line)
    body = word.element.body
    for goal in document.goals:
        word.add_paragraph(goal.heading)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in columns)
        header = _docx_row([(text,) for text in HEADER_CELLS], 1, columns, header=True)
        rows = "".join(_docx_row(row.cells, row.strategy_rows, columns) for row in goal.rows)
        table = parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="dxa" w:w="{sum(columns)}"/>'
                          f'<w:tblLook w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
                          f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{rows}</w:tbl>")
        body.sectPr.addprevious(table)
    stamp = datetime(document.day.year, document.day.month, document.day.day)
    properties = word.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = "actionplan"
    properties.comments = ""
    properties.created = properties.modified = stamp
    properties.last_printed = stamp
    properties.revision = 1
    buffer = io.BytesIO()
    word.save(buffer)
    return fixed_zip(buffer.getvalue())


def _docx_row(cells: Iterable[Iterable[str]], strategy_rows: int, columns: list[int], header: bool = False) -> str:
    """Return a row; its first cell starts a vertical merge over ``strategy_rows`` rows, or continues the one above
    where that is 0. The header row is repeated at the top of every page."""
    out = ["<w:tr>" + ("<w:trPr><w:tblHeader/></w:trPr>" if header else "")]
    for index, (paragraphs, width) in enumerate(zip(cells, columns)):
        merge = ""
        if index == 0 and strategy_rows != 1:
            merge = '<w:vMerge w:val="restart"/>' if strategy_rows > 1 else "<w:vMerge/>"
        texts = "".join(f"<w:p><w:r>{_docx_text(text)}</w:r></w:p>" for text in paragraphs) or "<w:p/>"
        out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{merge}</w:tcPr>{texts}</w:tc>')
    return "".join(out) + "</w:tr>"


def _docx_text(text: str) -> str:
    """Return a run's content: the text, with its tabs and line breaks as Word's elements."""
    def element(match: re.Match) -> str:
        return "<w:tab/>" if match.group(0) == "\t" else "<w:br/>"

    parts = _split_keep(re.compile(r"\t|\n"), text, element)
    return "".join(f'<w:t xml:space="preserve">{_xml(part)}</w:t>' if i % 2 == 0 else part
                   for i, part in enumerate(parts) if part)


# --- Both ---------------------------------------------------------------------------------------------------------

def fixed_zip(data: bytes) -> bytes:
    """Return the zip with every member dated 1980-01-01 and its metadata fixed, in the same order (an ODF file's
    ``mimetype`` stays first and stored), so that the same document always gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if member.filename == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16 if not member.filename.endswith("/") else (0o755 << 16) | 0x10
            target.writestr(info, source.read(member.filename), compresslevel=6)
    return out.getvalue()
