"""Reads a tracking table from the Word file (.docx) agencies send, into the same rows as a text export.

Paragraphs outside tables are the heading and the goal titles; each table row gives six cells of
paragraphs. Word's own structure replaces the export's guesswork: a vertically merged cell continues the
one above, and a row never breaks. Line numbers count paragraphs and table rows from the top of the
document, so problems can still be pointed at.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from zipfile import BadZipFile

from docx import Document
from docx.exceptions import InvalidXmlError
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from ..base.errors import Problems
from ..content.sources import bi
from .bounded import check_office_zip, read_input
from .table_model import COLUMNS, Block, RawTable, report_extra_cells, report_narrow_table
from .table_rows import RowItem, TextItem, assemble, cell_row_item

DOCX_PARTS = ("[Content_Types].xml", "_rels/.rels")
"""The parts every .docx has, by which python-docx finds the others."""
_DOCX_ERRORS = (BadZipFile, KeyError, ValueError, NotImplementedError, etree.LxmlError, InvalidXmlError,
                PackageNotFoundError, TypeError, AttributeError, IndexError)
"""What python-docx raises on a file it cannot make sense of, opening it or reading its elements. The last three
come from its insides on a broken part (a relationship with no target: a TypeError, found by fuzzing)."""


def read_docx_table(path: Path, problems: Problems) -> RawTable | None:
    """Return the table in a Word file, or None if it cannot be opened (the reason is in ``problems``). The file,
    its parts and their XML are checked against the import limits before python-docx reads any (issue 26)."""
    data = read_input(path, problems)
    if data is None or not check_office_zip(data, path, DOCX_PARTS, problems):
        return None
    try:
        document = Document(io.BytesIO(data))
    except _DOCX_ERRORS as err:
        _report_unreadable(path, err, problems)
        return None
    return assemble(_guarded(_items(document, path, problems), path, problems), path, problems)


def _report_unreadable(path: Path, err: Exception, problems: Problems) -> None:
    reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
    problems.add(path, 0, bi(f"not a Word .docx file that can be read ({reason})", f"不是可讀取的 Word .docx 檔（{reason}）"),
                 bi("save it from Word as .docx, or export it as text", "請在 Word 另存為 .docx，或匯出為文字檔"),
                 code="E-TABLE-FORMAT")


def _guarded(items: Iterator[TextItem | RowItem], path: Path, problems: Problems) -> Iterator[TextItem | RowItem]:
    """Yield ``items`` until python-docx finds an element it cannot read; report that, and stop."""
    try:
        yield from items
    except _DOCX_ERRORS as err:
        _report_unreadable(path, err, problems)


def _items(document, path: Path, problems: Problems) -> Iterator[TextItem | RowItem]:
    position = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            position += 1
            text = Paragraph(element, document).text.strip()
            if text:
                yield TextItem(text, position)
        elif element.tag == qn("w:tbl"):
            found = []
            for row in element.iterchildren(qn("w:tr")):
                position += 1
                found.append((_cells(row, document, position, path, problems), position))
            widest = max((width for (_, width), _ in found), default=0)
            if found and widest < len(COLUMNS):
                report_narrow_table(path, found[0][1], widest, problems)
                continue
            for (cells, _), line in found:
                item = cell_row_item(cells, line)
                if item is not None:
                    yield item


def _cells(row, document, position: int, path: Path, problems: Problems) -> tuple[list[list[Block]], int]:
    """Return the row's six cells in grid order, a cell merged with the one above empty, and how many cells it has."""
    cells: list[list[Block]] = []
    for tc in row.iterchildren(qn("w:tc")):
        properties = tc.find(qn("w:tcPr"))
        span, continues = 1, False
        if properties is not None:
            grid_span = properties.find(qn("w:gridSpan"))
            if grid_span is not None:
                # A cell spans at most the table: a span of a billion would otherwise make a billion cells.
                span = min(max(int(grid_span.get(qn("w:val"), "1")), 1), len(COLUMNS))
            v_merge = properties.find(qn("w:vMerge"))
            continues = v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"
        blocks: list[Block] = []
        if not continues:
            for p in tc.iterchildren(qn("w:p")):
                paragraph = Paragraph(p, document)
                text = paragraph.text.strip()
                if not text:
                    continue
                if p.pPr is not None and p.pPr.numPr is not None:
                    problems.add(path, position, bi(f"「{text[:20]}」… uses Word's automatic numbering, which is not part of the text",
                                                    f"「{text[:20]}」…使用 Word 自動編號，編號不在文字之中"),
                                 bi("type the numbers (1. 2. …) as text, then import again", "請將編號改為直接輸入的文字（1. 2. …）後再匯入"),
                                 code="E-TABLE-NUMBERING")
                blocks.append(Block(text, position))
        cells.append(blocks)
        cells.extend([] for _ in range(span - 1))
    if len(cells) > len(COLUMNS) and any(cells[len(COLUMNS):]):
        report_extra_cells(path, position, len(cells), problems)
    return (cells + [[] for _ in COLUMNS])[: len(COLUMNS)], len(cells)
