"""Imports a whole document from a PDF's text export: the paragraphs rebuilt from the PDF's lines, what the PDF
added taken out (each removal reported with its line), and the headings' levels read from the source's numbering
(壹、 / 一、 / （一） / 1、 / (1)).

The export has a blank line after every line, spaces the PDF put around digits and Latin words, numbers split
across lines, running headers with page numbers at page breaks (a run of blank lines), and link targets the PDF
left after the text. Nothing else is dropped: every other character of the source lands in the document, in order
(``visible_characters`` is what a test holds the two to).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import Problems
from ..content.sources import bi

HEADING_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"(?:摘要|[壹貳參参肆伍陸柒捌玖拾]+、)")),
    (2, re.compile(r"(?:[一二三四五六七八九十]+、|附件\s*\d+、)")),
    (3, re.compile(r"[（(][一二三四五六七八九十]+[）)]")),
    (4, re.compile(r"\d+、")),
    (5, re.compile(r"[（(]\d+[）)]")),
)
"""The source's numbering, by level: a line that starts with one of these starts a section."""
RAW_SECTION = re.compile(r"附件\s*\d+、")
"""A section whose lines are kept as the source lays them out (an agenda, a questionnaire): no numbering is read
inside it, and its lines are not joined."""
_TOPIC = re.compile(r"「[^」]+」：|圓桌論壇")
"""A heading that is a sentence: a topic in brackets and who spoke on it, or the round table, as a meeting's agenda
items are headed."""
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_LINK = re.compile(r"(?:https?://|mailto:)\S+")
_SENTENCE_END = tuple("。！？：:")
_LATIN_END = re.compile(r"[A-Za-z0-9.,;:!?)\]'\"%&’”]\Z")
_LATIN_START = re.compile(r"[A-Za-z0-9(\['\"&‘“]")
_NUMBER_SPACE = re.compile(r"(?<=\d)(\s?[萬億])\s+(?=\d)")
"""A space inside a number written with 萬 or 億: 9 萬 4,089 is one number (9 萬4,089)."""
_FULL_LINE = 0.85
"""A line at least this share of the export's usual line width is full: its paragraph goes on."""


@dataclass(frozen=True)
class Removal:
    """Something the PDF added, taken out of the document."""

    line: int
    what: str
    """blank line, page number, running header, link target, space inside a number."""
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}: {self.text!r}"


@dataclass
class DraftSection:
    """A section as the source numbers it, with its paragraphs and subsections."""

    number: str
    """The source's numbering mark as written (``玖、``, ``（一）``), or empty for the text before the first one."""
    level: int
    line: int
    title: str = ""
    """The heading's words, where the numbered line is a heading rather than the start of a paragraph."""
    paragraphs: list[str] = field(default_factory=list)
    raw: bool = False
    """Its lines are kept as they are (an annex): ``paragraphs`` holds one text with a line break per line."""
    sections: list["DraftSection"] = field(default_factory=list)


@dataclass
class ImportedDocument:
    """What an export gives: the text before the first heading, the sections, and what was removed."""

    preamble: DraftSection
    sections: list[DraftSection]
    removals: list[Removal]


def read_export(path: Path, problems: Problems) -> str | None:
    """Return the text of an export, or None after reporting why it cannot be read (every read of a file the
    importer makes is here)."""
    try:
        return path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        problems.add(path, 0, bi(f"the export is not UTF-8 (byte {err.start})", f"匯出檔不是 UTF-8 編碼（第 {err.start} 位元組）"),
                     bi("export the PDF's text again as UTF-8", "請重新以 UTF-8 匯出 PDF 文字"), code="E-ENC-UNKNOWN")
    except OSError as err:
        problems.add(path, 0, bi(f"cannot read the export: {err.strerror}", f"無法讀取匯出檔：{err.strerror}"),
                     bi("check the path", "請確認路徑"), code="E-FILE-MISSING")
    return None


def width(text: str) -> int:
    """Return a line's width as the PDF laid it out: a CJK character is two Latin ones wide."""
    return sum(2 if ord(char) > 0x2e7f else 1 for char in text)


def removals_of(lines: list[str]) -> list[Removal]:
    """Return what of the export's lines (1-based as ``Removal.line``) is the PDF's, not the document's."""
    found: dict[int, Removal] = {}
    blank = [not line.strip() for line in lines]
    for index, line in enumerate(lines):
        if blank[index]:
            found[index] = Removal(index + 1, "blank line", line)
    # A page break is a run of two blank lines or more; what follows it up to the text is the PDF's page furniture:
    # a running header (the chapter's name, spaced out) and the page number.
    for index, line in enumerate(lines):
        text = line.strip()
        if not _PAGE_NUMBER.fullmatch(text):
            continue
        before = [i for i in range(max(0, index - 8), index) if not blank[i]]
        header = before[-1] if before else None
        if header is not None and _is_running_header(lines[header]):
            previous = max([i for i in range(max(0, header - 8), header) if not blank[i]], default=-1)
            if _has_break(blank, previous + 1, header):
                found[index] = Removal(index + 1, "page number", line)
                found[header] = Removal(header + 1, "running header", lines[header])
                continue
        start = header + 1 if header is not None else max(0, index - 8)
        if _has_break(blank, start, index):
            found[index] = Removal(index + 1, "page number", line)
    # Link targets the PDF left: runs of lines that are each a whole link, one right after another.
    links = [bool(_LINK.fullmatch(line.strip())) for line in lines]
    for index, is_link in enumerate(links):
        if is_link and ((index > 0 and links[index - 1]) or (index + 1 < len(links) and links[index + 1])):
            found[index] = Removal(index + 1, "link target", lines[index])
    return [found[index] for index in sorted(found)]


def _has_break(blank: list[bool], start: int, end: int) -> bool:
    """Return whether lines start..end-1 hold two blank lines in a row."""
    return any(blank[i] and blank[i + 1] for i in range(start, end - 1))


def _is_running_header(line: str) -> bool:
    text = line.strip()
    return 0 < len(text.replace(" ", "")) <= 10 and not any(char in text for char in "，。、：")


def import_text(text: str) -> ImportedDocument:
    """Return the document an export's text holds."""
    lines = text.split("\n")
    removals = removals_of(lines)
    removed = {r.line for r in removals}
    kept = [(number, line.strip()) for number, line in enumerate(lines, 1) if number not in removed]
    full = _full_width([line for _, line in kept])
    preamble = DraftSection("", 0, 1)
    stack: list[DraftSection] = [preamble]
    top: list[DraftSection] = []
    joins: list[Removal] = []
    paragraph: list[tuple[int, str]] = []

    def close() -> None:
        if paragraph:
            stack[-1].paragraphs.append(_join(paragraph, joins, raw=stack[-1].raw))
            paragraph.clear()

    index = 0
    while index < len(kept):
        number, line = kept[index]
        raw_section = next((s for s in reversed(stack) if s.raw), None)
        heading = _heading(line) if raw_section is None or line.startswith(("附件",)) else None
        if heading is not None:
            close()
            level, mark = heading
            while len(stack) > 1 and stack[-1].level >= level:
                stack.pop()
            section = DraftSection(mark, level, number, raw=bool(RAW_SECTION.fullmatch(mark)))
            (stack[-1].sections if len(stack) > 1 else top).append(section)
            stack.append(section)
            rest = line[len(mark):].strip()
            first = [(number, rest)] if rest.strip() else []
            # The heading's words run on while its lines are full and end no sentence.
            while first and not section.raw and not first[-1][1].endswith(_SENTENCE_END) \
                    and width(first[-1][1]) >= full * _FULL_LINE and index + 1 < len(kept) \
                    and _heading(kept[index + 1][1]) is None:
                index += 1
                first.append(kept[index])
            if first:
                words = _join(first, joins)
                # A sentence is the start of a numbered paragraph, unless it names a topic and its speaker, as an
                # agenda item does (「topic」：by whom).
                if words.endswith("。") and not _TOPIC.match(words):
                    section.paragraphs.append(words)  # a numbered paragraph, not a heading
                else:
                    section.title = words
            index += 1
            continue
        paragraph.append((number, line))
        if not stack[-1].raw and (line.endswith(_SENTENCE_END[:3]) or width(line) < full * _FULL_LINE):
            close()
        index += 1
    close()
    return ImportedDocument(preamble, top, sorted([*removals, *joins], key=lambda r: (r.line, r.what)))


def _heading(line: str) -> tuple[int, str] | None:
    """Return the level and numbering mark a line starts with, if it starts a section."""
    for level, pattern in HEADING_LEVELS:
        found = pattern.match(line)
        if found and (level != 1 or found.group() != "摘要" or line.strip() == "摘要"):
            return level, found.group()
    return None


def _full_width(lines: list[str]) -> int:
    """Return the width of a full line: the commonest width of the lines at least half as wide as the widest
    (Latin letters are narrower than the width counts them, so lines with Latin words count wider)."""
    widths = [width(line) for line in lines if line]
    if not widths:
        return 0
    counts: dict[int, int] = {}
    for value in widths:
        if value * 2 >= max(widths):
            counts[value] = counts.get(value, 0) + 1
    return max(counts, key=lambda value: (counts[value], value))


def _join(lines: list[tuple[int, str]], joins: list[Removal], raw: bool = False) -> str:
    """Return the lines of one paragraph as one text: joined as they run on, a space kept only between Latin words
    (and a link broken across lines joined whole); kept a line each in a raw section."""
    if raw:
        return "\n".join(line for _, line in lines)
    text = ""
    for number, line in lines:
        for match in _NUMBER_SPACE.finditer(line):
            joins.append(Removal(number, "space inside a number", line[max(0, match.start() - 3):match.end() + 3]))
        line = _NUMBER_SPACE.sub(r"\1", line)
        if text and _LATIN_END.search(text) and _LATIN_START.match(line) and "://" not in text.rsplit(" ", 1)[-1]:
            text += " "
        elif text and re.search(r"\d\s?[萬億]\Z", text) and line[:1].isdigit():
            joins.append(Removal(number, "space inside a number", text[-4:] + " | " + line[:6]))
        text += line
    return text


def visible_characters(text: str) -> str:
    """Return the characters of a text but whitespace, in order: what the import must keep."""
    return "".join(text.split())


def kept_source(text: str, removals: list[Removal]) -> str:
    """Return the visible characters of the export's lines the import keeps."""
    removed = {r.line for r in removals if r.what != "space inside a number"}
    return "".join(visible_characters(line) for number, line in enumerate(text.split("\n"), 1) if number not in removed)


def document_characters(sections: list[DraftSection]) -> str:
    """Return the visible characters of imported sections, in reading order."""
    return "".join(visible_characters(s.number + s.title + "".join(s.paragraphs)) + document_characters(s.sections)
                   for s in sections)


def _scalar(value: str) -> str:
    """Return a text as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _block(key: str, text: str, indent: str) -> list[str]:
    """Return ``key: |-`` and the text's lines indented under it."""
    inner = indent + "  "
    return [f"{indent}{key}: |-", *[(inner + line) if line else "" for line in text.split("\n")]]


def section_yaml(section: DraftSection, indent: str, reproduce: bool) -> list[str]:
    """Return a section as the lines of its YAML list item, its text kept only where ``reproduce``."""
    lines = []
    if section.number:
        lines.append(f"{indent}number: {_scalar(section.number)}")
    if section.title:
        lines += [f"{indent}title:", f"{indent}  zh: {_scalar(section.title)}"]
    if not reproduce:
        lines.append(f"{indent}reproduced: false")
        return lines
    if section.paragraphs:
        lines += _block("text", "\n\n".join(section.paragraphs), indent)
    if section.raw:
        lines.append(f"{indent}layout: lines")
    if section.sections:
        lines.append(f"{indent}sections:")
        for sub in section.sections:
            item = section_yaml(sub, indent + "    ", True)
            lines += [indent + "  - " + item[0].lstrip(), *item[1:]]
    return lines


def document_yaml(imported: ImportedDocument, meta: dict[str, str], reproduce: set[str] | None = None) -> str:
    """Return the content file of an imported document: ``meta`` gives its id, kind, issuer, title, period, date,
    source and updated day (Chinese; English is added by editors), and ``reproduce`` the numbering marks of the
    top-level sections whose text the site reproduces (all where None; the others are listed by heading)."""
    out = ["# Imported by `python build.py import-document`; the text is the source's, character for character.",
           "# Add English (en:, text_en:) and evidences: (this site's links to plan measures) by hand."]
    for key in ("id", "kind", "issuer"):
        out.append(f"{key}: {meta[key]}")
    for key in ("title", "period", "date", "source"):
        out += [f"{key}:", f"  zh: {_scalar(meta[key])}"]
    out.append(f"updated: {meta['updated']}")
    out.append("sections:")
    preamble = imported.preamble
    if preamble.paragraphs:
        paragraphs = list(preamble.paragraphs)
        # A first line standing alone, with no punctuation, is the document's title as its cover sets it.
        title = paragraphs.pop(0) if len(paragraphs[0]) <= 20 and not any(c in paragraphs[0] for c in "，。：") else ""
        item = section_yaml(DraftSection("", 0, preamble.line, title, paragraphs), "    ", True)
        out += ["  - " + item[0].lstrip(), *item[1:]]
    for section in imported.sections:
        item = section_yaml(section, "    ", reproduce is None or section.number in reproduce)
        out += ["  - " + item[0].lstrip(), *item[1:]]
    return "\n".join(out) + "\n"


def import_document(export: Path, target: Path, meta: dict[str, str], reproduce: set[str] | None,
                    problems: Problems) -> list[Removal] | None:
    """Import an export into ``target``; return what was removed, or None after reporting why it could not be read."""
    text = read_export(export, problems)
    if text is None:
        return None
    imported = import_text(text)
    if reproduce is not None:
        unknown = reproduce - {s.number for s in imported.sections}
        for mark in sorted(unknown):
            problems.add(export, 0, bi(f"the export has no top-level section numbered \"{mark}\"", f"匯出檔沒有編號為「{mark}」的章"),
                         bi("give the mark as the source writes it, e.g. 玖、", "請照來源寫法填寫編號，例如 玖、"), code="E-CONTENT")
        if unknown:
            return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(document_yaml(imported, meta, reproduce), encoding="utf-8")
    return imported.removals
