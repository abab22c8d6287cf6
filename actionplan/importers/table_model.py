"""A quarterly tracking table (列管追蹤表) as read from a file, before anything in it is interpreted.

The text export and the Word file both become this shape; the importer works on it alone, so that both
formats import to the same entries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import Problems
from ..content.sources import bi

COLUMNS = ("strategy", "measure", "outcome", "agencies", "completion", "remarks")
"""The six columns of the table, in order: 實施要領 執行措施 執行成效 主/(協)辦機關 完成期程 備註."""
HEADER_CELLS = ("實施要領", "執行措施", "執行成效", "主/(協)辦機關", "完成期程", "備註")
GOAL_HEADING = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
PERIOD_HEADING = re.compile(r"(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*至\s*(\d{1,2})\s*月")


@dataclass(frozen=True)
class Block:
    """One paragraph of a cell, with the source line it starts on."""

    text: str
    line: int


@dataclass
class RawRow:
    """One row of the table: the six cells as lists of paragraphs."""

    line: int
    cells: dict[str, list[Block]] = field(default_factory=lambda: {c: [] for c in COLUMNS})

    def text(self, column: str, sep: str = "") -> str:
        """Return a cell's paragraphs joined by ``sep``."""
        return sep.join(b.text for b in self.cells[column])


@dataclass
class RawGoal:
    """A goal heading (一、…) and the rows under it."""

    number: int
    title: str
    line: int
    rows: list[RawRow] = field(default_factory=list)


@dataclass
class RawTable:
    """A whole tracking table: its heading lines and its goals."""

    heading: list[Block] = field(default_factory=list)
    goals: list[RawGoal] = field(default_factory=list)


def compact(text: str) -> str:
    """Return the text without any white space: how header cells and agency cells are compared."""
    return "".join(text.split())


def is_header(cells: list[str]) -> bool:
    """Return whether a row is the column header that Word repeats at the top of every page."""
    return [compact(c) for c in cells[: len(HEADER_CELLS)]] == list(HEADER_CELLS)


def report_extra_cells(path: Path, line: int, count: int, problems: Problems) -> None:
    """Report a row with more cells than the table's six columns: its extra text would have nowhere to go."""
    problems.add(path, line, bi(f"a row with {count} cells; the tracking table has six columns",
                                f"此列有 {count} 個儲存格；列管追蹤表只有六欄"),
                 bi("merge the extra cells into the right columns", "請將多出的儲存格併入正確欄位"),
                 code="E-TABLE-COLUMNS")


CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_to_int(numeral: str) -> int | None:
    """Return the value of a Chinese numeral up to 99 (一, 十, 十二, 二十三), or None."""
    if numeral in CHINESE_DIGITS:
        return CHINESE_DIGITS[numeral]
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        if (tens and tens not in CHINESE_DIGITS) or (ones and ones not in CHINESE_DIGITS):
            return None
        return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)
    return None


def report_narrow_table(path: Path, line: int, count: int, problems: Problems) -> None:
    """Report a table narrower than the six columns: it is not a tracking table, and its rows cannot be placed."""
    problems.add(path, line, bi(f"a table of {count} columns; the tracking table has six "
                                "(實施要領, 執行措施, 執行成效, 主/(協)辦機關, 完成期程, 備註)",
                                f"此表格只有 {count} 欄；列管追蹤表有六欄（實施要領、執行措施、執行成效、主/(協)辦機關、完成期程、備註）"),
                 bi("use the tracking table's layout (build.py blank-table makes one), or export it as text",
                    "請使用列管追蹤表的格式（可用 build.py blank-table 產生），或匯出為文字檔"),
                 code="E-TABLE-COLUMNS")
