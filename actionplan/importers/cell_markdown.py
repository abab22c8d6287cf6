"""Turns the paragraphs of a table cell into Markdown that renders them as written, and back to plain text.

Only the markup changes: paragraphs become blank-line-separated blocks, and the numbered items a cell
runs together (「1. … 2. …」) each start a line of their own. Characters Markdown would read as markup
are escaped, so that every character of the source appears on the page exactly once.
"""
from __future__ import annotations

import re

_LIST_START = re.compile(r"^(\d{1,2})\.\s|^-\s")
_NEXT_ITEM = re.compile(r"\s+(\d{1,2})\.\s")
_ALWAYS_ESCAPE = set("\\`*[]<>|")
_LINE_START = re.compile(r"^(#|>|\+\s|-|=+\s*$|\d{1,9}[.)])")
_ENTITY = re.compile(r"&(#?[A-Za-z0-9]+;)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def to_markdown(paragraphs: list[str]) -> str:
    """Return Markdown for a cell's paragraphs, one block per paragraph, numbered items on lines of their own."""
    blocks = []
    for paragraph in paragraphs:
        lines = [_escape_line(item) for item in _split_items(paragraph.strip())]
        blocks.append("\n".join(lines))
    return "\n\n".join(b for b in blocks if b) + "\n"


def plain_text(markdown: str) -> str:
    """Return the characters of imported Markdown without its escapes: the text the source cell held."""
    return _ESCAPED.sub(r"\1", markdown)


def _split_items(paragraph: str) -> list[str]:
    """Split 「1. aaa 2. bbb」 into items, but only at the numbers that continue the sequence."""
    start = _LIST_START.match(paragraph)
    if not start or not start.group(1):
        return [paragraph]
    expected = int(start.group(1)) + 1
    items, position = [], 0
    for match in _NEXT_ITEM.finditer(paragraph, start.end()):
        if int(match.group(1)) == expected:
            items.append(paragraph[position:match.start()].strip())
            position = match.start()
            expected += 1
    items.append(paragraph[position:].strip())
    return items


def _escape_line(line: str) -> str:
    """Escape what Markdown would take as markup; a leading item number (「1. 」, 「- 」) stays a list marker."""
    marker = _LIST_START.match(line)
    head, rest = (line[: marker.end()], line[marker.end():]) if marker else ("", line)
    escaped = "".join(_escape_char(rest, i) for i in range(len(rest)))
    escaped = _ENTITY.sub(r"\\&\1", escaped)
    if not head and _LINE_START.match(escaped):
        prefix = _LINE_START.match(escaped).group(0)
        if prefix[0].isdigit():
            escaped = prefix[:-1] + "\\" + escaped[len(prefix) - 1:]
        else:
            escaped = "\\" + escaped
    return head + escaped


def _escape_char(text: str, i: int) -> str:
    char = text[i]
    if char in _ALWAYS_ESCAPE:
        return "\\" + char
    if char == "_" and not (0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()):
        return "\\_"  # an underscore between letters or digits never starts emphasis
    return char
