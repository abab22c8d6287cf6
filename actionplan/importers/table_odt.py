"""Reads a tracking table from an OpenDocument text file (.odt), into the same rows as a Word file.

As in a Word file, paragraphs outside tables are the heading and the goal titles, and each table row gives six cells
of paragraphs. A cell covered by a merge (``table:covered-table-cell``) continues the one above or beside it and is
empty; a cell spanning columns is followed by empty cells. Line numbers count paragraphs and table rows from the top
of the document, as for Word files.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..base.errors import Problems
from ..content.sources import bi
from .bounded import check_office_zip, read_input
from .table_model import COLUMNS, Block, RawTable, report_extra_cells, report_narrow_table
from .table_rows import RowItem, TextItem, assemble, cell_row_item

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
ODT_PARTS = ("mimetype", "content.xml")
"""The parts every OpenDocument text has."""
_PARAGRAPHS = ("text:p", "text:h")
_ROW_GROUPS = ("table:table-header-rows", "table:table-rows", "table:table-row-group")


def read_odt_table(path: Path, problems: Problems) -> RawTable | None:
    """Return the table in an OpenDocument text file, or None if it cannot be opened (the reason is in ``problems``)."""
    body = open_odt(path, problems)
    if body is None:
        return None
    return assemble(_items(body, path, problems), path, problems)


def open_odt(path: Path, problems: Problems):
    """Return the body of the document (``office:text``), or None with the reason in ``problems``. The file, its
    parts and their XML are checked against the import limits (``bounded``) before odfdo reads any."""
    import io
    import zipfile

    from lxml.etree import LxmlError
    from odfdo import Document

    data = read_input(path, problems)
    if data is None or not check_office_zip(data, path, ODT_PARTS, problems):
        return None
    try:
        mimetype = zipfile.ZipFile(io.BytesIO(data)).read("mimetype").decode("ascii", "replace").strip()
        if mimetype != ODT_MIMETYPE:
            reason = bi(f"not an OpenDocument text: its type is {mimetype or 'missing'}",
                        f"不是 OpenDocument 文字檔：檔案類型為 {mimetype or '（缺少）'}")
        else:
            body = Document(io.BytesIO(data)).body
            if body is not None and body.tag == "office:text":
                return body
            reason = bi("it has no text body", "沒有文字內容")
    except (LxmlError, KeyError, ValueError, TypeError, AttributeError, OSError, zipfile.BadZipFile) as err:
        reason = bi(f"it is damaged ({type(err).__name__}: {str(err)[:200]})", f"檔案已損壞（{type(err).__name__}：{str(err)[:200]}）")
    problems.add(path, 0, bi(f"not a readable OpenDocument .odt file: {reason.split(' | ')[0]}",
                             f"無法讀取的 OpenDocument .odt 檔：{reason.split(' | ')[-1]}"),
                 bi("save it again as .odt (OpenDocument text), or as .docx, or export it as text",
                    "請重新另存為 .odt（開放文件文字檔）或 .docx，或匯出為文字檔"), code="E-TABLE-FORMAT")
    return None


def _items(body, path: Path, problems: Problems) -> Iterator[TextItem | RowItem]:
    position = 0
    for element in body.children:
        if element.tag in _PARAGRAPHS:
            position += 1
            text = element.text_recursive.strip()
            if text:
                yield TextItem(text, position)
        elif element.tag == "table:table":
            rows = list(_rows(element))
            widest = 0
            found = []
            for row in rows:
                position += 1
                cells = _cells(row, position, path, problems)
                widest = max(widest, len(cells))
                found.append((cells, position))
            if rows and widest < len(COLUMNS):
                report_narrow_table(path, found[0][1], widest, problems)
                continue
            for cells, line in found:
                item = cell_row_item((cells + [[] for _ in COLUMNS])[: len(COLUMNS)], line)
                if item is not None:
                    yield item


def _rows(table) -> Iterator:
    """Yield the rows of a table in order, those in header and grouped rows included."""
    for child in table.children:
        if child.tag == "table:table-row":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _cells(row, position: int, path: Path, problems: Problems) -> list[list[Block]]:
    """Return the row's cells in grid order; a covered cell, or one a span leaves, is empty."""
    cells: list[list[Block]] = []
    for cell in row.children:
        if cell.tag not in ("table:table-cell", "table:covered-table-cell"):
            continue
        repeated = int(cell.get_attribute("table:number-columns-repeated") or 1)
        span = int(cell.get_attribute("table:number-columns-spanned") or 1)
        blocks: list[Block] = []
        if cell.tag == "table:table-cell":
            blocks = _blocks(cell, position, path, problems)
        if blocks or len(cells) < len(COLUMNS) + 1:
            # Office suites end a row with one cell repeated a thousand times over: only the ones that matter count.
            for _ in range(min(repeated, len(COLUMNS) + 1)):
                cells.append(list(blocks))
                cells.extend([] for _ in range(span - 1))
    while cells and not cells[-1] and len(cells) > len(COLUMNS):
        cells.pop()
    if len(cells) > len(COLUMNS) and any(cells[len(COLUMNS):]):
        report_extra_cells(path, position, len(cells), problems)
    return cells


def _blocks(cell, position: int, path: Path, problems: Problems) -> list[Block]:
    blocks = []
    for child in cell.children:
        if child.tag in _PARAGRAPHS:
            text = child.text_recursive.strip()
            if text:
                blocks.append(Block(text, position))
        elif child.tag == "text:list":
            text = child.text_recursive.strip()
            problems.add(path, position, bi(f"「{text[:20]}」… uses automatic numbering or bullets, which are not part of the text",
                                            f"「{text[:20]}」…使用自動編號或項目符號，編號不在文字之中"),
                         bi("type the numbers (1. 2. …) as text, then import again", "請將編號改為直接輸入的文字（1. 2. …）後再匯入"),
                         code="E-TABLE-NUMBERING")
        elif child.text_recursive.strip():
            problems.add(path, position, bi(f"unexpected {child.tag} in a cell", f"儲存格中有無法轉換的 {child.tag}"),
                         bi("keep only paragraphs of text in the cells of the table", "表格儲存格中請只保留文字段落"),
                         code="E-TABLE-MARKUP")
    return blocks
