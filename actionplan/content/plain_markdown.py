"""The HTML of the plainest texts, made without parsing them: paragraphs, one-line list items and tables of plain words.

Most entries are such texts, and parsing and checking them took about seven times as long as writing them here
(on the benchmark archive, 6 CPU-seconds against 0.9). Anything else (a character an inline rule starts at, a line a
block could start at, a list that may be loose, a row of another width) is left to the parser: ``html`` returns
None. The HTML is the parser's own, byte for byte, and the checker finds nothing in such texts; tests hold both to
the parsers on every shipped entry and on random near misses (tests/test_fast_paths.py).
"""
from __future__ import annotations

import re
import unicodedata

# The characters inline rules start at (line ends aside), tabs, and the control characters the checker reports.
_NOT_PLAIN_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f<>`*_&\\!\[\]~\t]")
# Lines that may start a block other than a paragraph, or that the checker warns of (a heading without its space, a
# list typed with full-width digits or bullets), lines that start or end with white space, and pipes, which make
# tables.
_NOT_PLAIN_LINE = re.compile(r"^(?:[#>\-+=＃・•]|[0-9０-９]+[.)．）]|[^\S\n])|[^\S\n]$|\|", re.MULTILINE)
_ITEM = re.compile(r"(?:([-+])|([0-9]{1,9})([.)])) (.*)")
_DELIMITER_ROW = re.compile(r"\|(?: *:?-+:? *\|)+")


def html(text: str) -> str | None:
    """Return the HTML the publishing parser makes of ``text``, or None where it is not one of the plainest texts."""
    text = text.strip("\n")
    if not text or _NOT_PLAIN_CHAR.search(text):
        return None
    made = []
    after_list = False
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if not all(lines):  # three line ends in a row
            return None
        is_list = block[0] != "|" and _ITEM.match(lines[0]) is not None
        if block[0] == "|":
            found = _table(lines)
        elif is_list:
            # Two lists with only a blank line between may be one loose list: its items are paragraphs.
            found = None if after_list else _list(lines)
        else:
            found = None if _NOT_PLAIN_LINE.search(block) else _paragraph(lines)
        if found is None:
            return None
        made.append(found)
        after_list = is_list
    return "".join(made)


def is_cjk(char: str) -> bool:
    """Return whether ``char`` (one character, or none) is a CJK character, which takes no space beside another."""
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def _paragraph(lines: list[str]) -> str:
    joined = [lines[0]]
    for before, line in zip(lines, lines[1:]):
        # The renderer drops a line end between two CJK characters (markdown._drop_cjk_soft_breaks).
        joined.append("" if is_cjk(before[-1]) and is_cjk(line[0]) else "\n")
        joined.append(line)
    return f"<p>{_escape(''.join(joined))}</p>\n"


def _list(lines: list[str]) -> str | None:
    """Return a tight list of one-line items, all with the marker of the first."""
    first = _ITEM.match(lines[0])
    items = []
    for line in lines:
        item = _ITEM.fullmatch(line)
        if item is None or (item[1], item[3]) != (first[1], first[3]) or _NOT_PLAIN_LINE.search(item[4]):
            return None
        items.append(f"<li>{_escape(item[4])}</li>\n")
    if first[1]:
        return f"<ul>\n{''.join(items)}</ul>\n"
    start = int(first[2])
    opening = "<ol>" if start == 1 else f'<ol start="{start}">'
    return f"{opening}\n{''.join(items)}</ol>\n"


def _table(lines: list[str]) -> str | None:
    """Return a table whose every row is the width of its delimiter row, with a header, each line between pipes."""
    if len(lines) < 2 or not all(len(line) > 1 and line[0] == "|" and line[-1] == "|" for line in lines):
        return None
    if not _DELIMITER_ROW.fullmatch(lines[1]):
        return None
    styles = [_align_style(cell.strip(" ")) for cell in lines[1][1:-1].split("|")]
    rows = [_cells(line, len(styles)) for line in (lines[0], *lines[2:])]
    if any(row is None for row in rows) or not any(rows[0]):
        return None  # a row of another width, or a header of empty cells (which the checker reports)
    made = ["<table>\n<thead>\n", _row("th", rows[0], styles), "</thead>\n"]
    if len(rows) > 1:
        made += ["<tbody>\n", *(_row("td", row, styles) for row in rows[1:]), "</tbody>\n"]
    made.append("</table>\n")
    return "".join(made)


def _align_style(delimiter: str) -> str:
    align = ("center" if delimiter[0] == ":" else "right") if delimiter[-1] == ":" else (
        "left" if delimiter[0] == ":" else "")
    return f' class="align-{align}"' if align else ""  # as markdown.make_renderer has it: no inline style


def _cells(line: str, width: int) -> list[str] | None:
    cells = [cell.strip(" ") for cell in line[1:-1].split("|")]
    if len(cells) != width or any(cell != cell.strip() for cell in cells):
        return None
    return cells


def _row(tag: str, cells: list[str], styles: list[str]) -> str:
    made = "".join(f"<{tag}{style}>{_escape(cell)}</{tag}>\n" for cell, style in zip(cells, styles))
    return f"<tr>\n{made}</tr>\n"


def _escape(text: str) -> str:
    # &, < and > are not plain characters: of what the renderer escapes, only the double quote is left.
    return text.replace('"', "&quot;")
