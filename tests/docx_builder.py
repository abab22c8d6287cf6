"""Writes a tracking table as agencies send it: a Word file with python-docx, goal titles between tables."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HEADER = ("實施要領", "執行措施", "執行成效", "主/(協)辦機關", "完成期程", "備註")


def write_docx(path: Path, heading: list[str], goals: list[tuple[str, list[list[list[str]]]]]) -> Path:
    """Write ``goals`` (title, rows of six cells of paragraphs) as a .docx; an empty strategy cell is merged
    with the one above, as Word users lay the table out."""
    document = Document()
    for line in heading:
        document.add_paragraph(line)
    for title, rows in goals:
        document.add_paragraph(title)
        table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
        for cell, text in zip(table.rows[0].cells, HEADER):
            cell.text = text
        for r, row in enumerate(rows, start=1):
            for c, paragraphs in enumerate(row):
                cell = table.cell(r, c)
                if c == 0 and not paragraphs and r > 1:
                    _merge_with_above(cell)
                    continue
                for i, text in enumerate(paragraphs):
                    if i == 0:
                        cell.paragraphs[0].text = text
                    else:
                        cell.add_paragraph(text)
        _restart_merges(table)
    document.save(str(path))
    return path


def _merge_with_above(cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    merge = OxmlElement("w:vMerge")  # no w:val: continue the merge above
    properties.append(merge)


def _restart_merges(table) -> None:
    """Mark the top cell of every vertical merge, as Word does."""
    for r in range(1, len(table.rows) - 1):
        tc, below = table.cell(r, 0)._tc, table.cell(r + 1, 0)._tc
        if below.tcPr is not None and below.tcPr.find(qn("w:vMerge")) is not None:
            if tc.tcPr is None or tc.tcPr.find(qn("w:vMerge")) is None:
                merge = OxmlElement("w:vMerge")
                merge.set(qn("w:val"), "restart")
                tc.get_or_add_tcPr().append(merge)
