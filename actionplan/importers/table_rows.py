"""Assembles the lines and rows a reader found into goals and whole table rows.

Word breaks a table row across pages: the rest of its cells comes back under a repeated header row, and
the export cuts the paragraph where the page ended. A row whose strategy or measure cell starts a new
item (「(二)…」, 「3. …」) opens a new row; any other row continues the one before, cell by cell.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import Problems
from ..content.sources import bi
from .table_model import COLUMNS, GOAL_HEADING, Block, RawGoal, RawRow, RawTable, chinese_to_int, is_header

STRATEGY_START = re.compile(r"^[(（]\s*([一二三四五六七八九十]+)\s*[)）]\s*")
MEASURE_START = re.compile(r"^(\d+)\s*[.．](?!\d)\s*")
# A paragraph the page break cut ends mid-sentence; one that ends like these was whole.
_ENDS_WHOLE = tuple("。：:；;！!？?】")
_STARTS_ITEM = re.compile(r"^(【|[(（]\s*\d+\s*[)）]|\d+\s*[.．、]|[-‧•]\s)")


@dataclass(frozen=True)
class TextItem:
    """A line outside any table row: a heading, or text the export spilled out of a cell."""

    text: str
    line: int


@dataclass(frozen=True)
class RowItem:
    """A table row as found: six cells of paragraphs, in column order."""

    cells: tuple[tuple[Block, ...], ...]
    line: int
    cut_by_page: bool
    """True where the row may continue a paragraph the page break cut (text exports)."""


def cell_row_item(cells: list[list[Block]], line: int) -> TextItem | RowItem | None:
    """Return what one row of a Word or ODF table gives: nothing for a header row, a goal's title where the row is
    one written across the table, and otherwise the row of cells."""
    texts = [" ".join(block.text for block in cell) for cell in cells]
    if is_header(texts):
        return None
    if GOAL_HEADING.match(texts[0]) and not any(texts[1:]):
        return TextItem(texts[0], line)  # a goal title written as a full-width row of the table
    return RowItem(tuple(tuple(cell) for cell in cells), line, cut_by_page=False)


def assemble(items: Iterable[TextItem | RowItem], path: Path, problems: Problems) -> RawTable:
    """Return the table: headings, then goals with their rows, continuations merged into the row they continue."""
    table = RawTable()
    goal: RawGoal | None = None
    row: RawRow | None = None
    for item in items:
        if isinstance(item, TextItem):
            heading = GOAL_HEADING.match(item.text)
            number = chinese_to_int(heading.group(1)) if heading else None
            # An agency's own table may leave out goals it has no part in, so numbers need only increase.
            if number is not None and number > (table.goals[-1].number if table.goals else 0):
                goal = RawGoal(number, heading.group(2).strip(), item.line)
                table.goals.append(goal)
                row = None
            elif goal is None:
                table.heading.append(Block(item.text, item.line))
            elif row is None:
                problems.add(path, item.line, bi("text between a goal heading and its table", "目標標題與表格之間有文字"),
                             bi("move it into a cell of the table, or delete it", "請移入表格儲存格或刪除"),
                             code="E-TABLE-STRAY")
            else:
                _append(row, "outcome", (Block(item.text, item.line),), joinable=True)
            continue
        if goal is None:
            problems.add(path, item.line, bi("a table row before the first goal heading (一、…)", "第一個目標標題（一、…）之前有表格列"),
                         bi("put the goal heading above the table", "請在表格上方加上目標標題"), code="E-TABLE-STRAY")
            continue
        strategy, measure = (_first_text(item.cells[0]), _first_text(item.cells[1]))
        if STRATEGY_START.match(strategy) or MEASURE_START.match(measure) or row is None:
            row = RawRow(item.line)
            goal.rows.append(row)
            for column, blocks in zip(COLUMNS, item.cells):
                row.cells[column].extend(blocks)
        else:
            for column, blocks in zip(COLUMNS, item.cells):
                _append(row, column, blocks, joinable=item.cut_by_page)
    return table


def _first_text(blocks: tuple[Block, ...]) -> str:
    return blocks[0].text if blocks else ""


def _append(row: RawRow, column: str, blocks: tuple[Block, ...], joinable: bool) -> None:
    """Add paragraphs to a cell; the first one rejoins the cell's last paragraph if a page break cut it."""
    cell = row.cells[column]
    if blocks and cell and joinable and not cell[-1].text.endswith(_ENDS_WHOLE) and not _STARTS_ITEM.match(blocks[0].text):
        cell[-1] = Block(cell[-1].text + blocks[0].text, cell[-1].line)
        blocks = blocks[1:]
    cell.extend(blocks)
