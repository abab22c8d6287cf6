"""Writes a tracking table as an office suite saves it in OpenDocument: odfdo, goal titles between tables, the header
row in the table's header rows, a strategy cell spanning the rows of its measures."""
from __future__ import annotations

from pathlib import Path

from odfdo import Cell, Document, Element, Paragraph, Row, Table

HEADER = ("實施要領", "執行措施", "執行成效", "主/(協)辦機關", "完成期程", "備註")


def write_odt(path: Path, heading: list[str], goals: list[tuple[str, list[list[list[str]]]]],
              title_rows: bool = False) -> Path:
    """Write ``goals`` (title, rows of six cells of paragraphs) as an .odt; an empty strategy cell is covered by the
    one above, which spans it. With ``title_rows``, a goal's title is a row of the table spanning its six columns."""
    document = Document("text")
    body = document.body
    body.clear()
    for line in heading:
        body.append(Paragraph(line))
    for number, (title, rows) in enumerate(goals, start=1):
        table = Table(f"T{number}")
        for _ in HEADER:
            table.append(Element.from_tag("<table:table-column/>"))
        if title_rows:
            row = Row()
            cell = Cell()
            cell.append(Paragraph(title))
            cell.set_attribute("table:number-columns-spanned", str(len(HEADER)))
            row.append(cell)
            for _ in HEADER[1:]:
                row.append(Element.from_tag("<table:covered-table-cell/>"))
            table.append(row)
        else:
            body.append(Paragraph(title))
        header = Element.from_tag("<table:table-header-rows/>")
        header.append(_row([[text] for text in HEADER]))
        table.append(header)
        made = [_row(row, covered=not row[0] and index > 0) for index, row in enumerate(rows)]
        top = 0
        for index, row in enumerate(rows):
            if row[0] or index == 0:
                top = index
            elif top is not None:
                span = index - top + 1
                made[top].get_elements("table:table-cell")[0].set_attribute("table:number-rows-spanned", str(span))
        for row in made:
            table.append(row)
        body.append(table)
    document.save(str(path))
    return path


def _row(cells: list[list[str]], covered: bool = False) -> Row:
    row = Row()
    for index, paragraphs in enumerate(cells):
        if index == 0 and covered:
            row.append(Element.from_tag("<table:covered-table-cell/>"))
            continue
        cell = Cell()
        for text in paragraphs:
            cell.append(Paragraph(text))
        row.append(cell)
    return row


def grid_cells(row) -> list:
    """Return a row's cells in grid order, covered ones included."""
    return [c for c in row.children if c.tag in ("table:table-cell", "table:covered-table-cell")]
