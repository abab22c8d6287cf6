"""Reads a tracking table exported from Word as text: tab-separated cells, ``<p>`` fragments, page breaks.

What real exports do, and what this undoes:
- the header row is repeated at every page break, and the cells of the row it cut continue under it;
- a row's first cells can go missing, shifting the rest left (「2. …⇥【…】…⇥機關⇥經常辦理」);
- a long cell spills onto lines of its own, outside the tab-separated row;
- separator rows (``--⇥----``) and the HTML of the cell paragraphs (``<p>``, ``<ol>``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..base.errors import Problems
from ..content.sources import bi, decode_text
from .bounded import read_input
from .table_model import COLUMNS, Block, RawTable, is_header, report_extra_cells
from .table_rows import MEASURE_START, STRATEGY_START, RowItem, TextItem, assemble

_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_BLOCK_TAGS = {"p", "ol", "ul", "li", "br", "div"}
_SEPARATOR = re.compile(r"^[-\s]*$")


def read_text_table(path: Path, problems: Problems) -> RawTable | None:
    """Return the table in a text export, or None if the file cannot be read (the reason is in ``problems``)."""
    data = read_input(path, problems)  # the size refused before reading (issue 26)
    text = decode_text(path, data, problems) if data is not None else None
    if text is None:
        return None
    return assemble(_items(text, path, problems), path, problems)


def _items(text: str, path: Path, problems: Problems) -> Iterator[TextItem | RowItem]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) == 1:
            yield TextItem(line.strip(), number)
            continue
        if is_header(fields) or all(_SEPARATOR.match(f) for f in fields):
            continue
        aligned = _align(fields)
        if len(aligned) > len(COLUMNS):
            report_extra_cells(path, number, len(aligned), problems)
            continue
        cells = [[b for f in cell for b in _blocks(f, number, path, problems)] for cell in aligned]
        yield RowItem(tuple(tuple(c) for c in cells), number, cut_by_page=True)


def _align(fields: list[str]) -> list[list[str]]:
    """Return the six cells of a row as lists of fragments, putting back what an export shifted left."""
    first = _plain(fields[0])
    if MEASURE_START.match(first) and not STRATEGY_START.match(first):
        # The measure sits in the strategy column: the empty strategy cell was dropped. The outcome may
        # itself be split over several cells (「【機關】⇥text」); it runs up to the agency cell.
        rest = fields[1:]
        while rest and not _plain(rest[0]):
            rest.pop(0)
        outcome: list[str] = []
        while rest and (not outcome or not _looks_like_agencies(_plain(rest[0]))):
            outcome.append(rest.pop(0))
        cells = [[], [fields[0]], outcome, *([f] for f in rest)]
    else:
        cells = [[f] for f in fields]
    cells += [[] for _ in range(len(COLUMNS) - len(cells))]
    if any(_plain(f) for cell in cells[len(COLUMNS):] for f in cell):
        return cells  # more cells than columns: reported by the caller
    return cells[: len(COLUMNS)]


def _looks_like_agencies(text: str) -> bool:
    """Return whether a cell reads like 經濟部(智慧財產局)/文化部 rather than a sentence of outcome text."""
    return bool(text) and not text.startswith("【") and not any(mark in text for mark in "。，；：,;")


def _plain(fragment: str) -> str:
    return _TAG.sub(" ", fragment).strip()


def _blocks(fragment: str, line: int, path: Path, problems: Problems) -> list[Block]:
    """Return a cell's paragraphs: the text between block tags, each stripped; unknown tags are reported."""
    blocks = []
    position = 0
    for tag in [*_TAG.finditer(fragment), None]:
        end = tag.start() if tag else len(fragment)
        piece = fragment[position:end].strip()
        if piece:
            blocks.append(Block(piece, line))
        if tag is None:
            break
        if tag.group(2).lower() not in _BLOCK_TAGS:
            problems.add(path, line, bi(f"unexpected markup {tag.group(0)} in a cell", f"儲存格中有無法轉換的標記 {tag.group(0)}"),
                         bi("remove the markup, keeping its text", "請移除標記，保留文字"), code="E-TABLE-MARKUP")
        position = tag.end()
    return blocks
