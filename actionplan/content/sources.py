"""Reads content files: bytes to checked text, YAML to a node tree that remembers lines, front matter split.

Nothing here interprets what the content means; it only makes sure that what the later stages see is exactly
what the editor wrote, with the line numbers needed to point back at it.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import TypeVar, Union

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..base.errors import WARNING, Problem, Problems, bi
from ..base.parallel import ordered_map
from ..base.untrusted import (MAX_SOURCE_BYTES, LinkRefused, TooLarge, read_limited, report_too_large,
                              report_unread_link)

R = TypeVar("R")

# libyaml is several times faster; fall back to the pure-Python parser where it is not compiled in.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = Resolver()
_MAX_NODES = 100_000

_TAG_NAMES = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "integer",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
}
_SYNTAX_ZH = {
    "mapping values are not allowed here": "此處不可出現「: 」",
    "mapping values are not allowed in this context": "此處不可出現「: 」",
    "did not find expected key": "找不到預期的欄位名稱，多半是縮排或引號不對",
    "could not find expected ':'": "找不到欄位名稱後的「: 」",
    "found unexpected end of stream": "引號或括號沒有結束",
    "found character that cannot start any token": "出現不能作為開頭的字元",
}
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Where an editor's keyboard slips out of half-width mode after a field name: 「title：」「title:\u3000」「title:\xa0」.
KEY_COLON_SLIPS = {"：": ("a full-width colon (：)", "全形冒號（：）"),
                   "\u3000": ("an ideographic space (U+3000)", "全形空白（U+3000）"),
                   "\xa0": ("a no-break space (U+00A0)", "不換行空白（U+00A0）")}
_KEY_COLON_SLIP = re.compile(r"^[ \-]*[A-Za-z_][A-Za-z0-9_]*(：|:[\u3000\xa0])")
# Big5 lead bytes of the user-defined areas (造字): 8140–A0FE, C6A1–C8FE, FA40–FEFE.
_EUDC_LEADS = set(range(0x81, 0xA1)) | {0xC6, 0xC7, 0xC8} | set(range(0xFA, 0xFF))
_BIG5_TRAILS = set(range(0x40, 0x7F)) | set(range(0xA1, 0xFF))
# The bytes of UTF-8 Chinese are E0–EF leads and 80–BF continuations. Read as Big5, pairs of them become characters
# whose Big5 bytes are both in those ranges, those with an E0–EF lead from the rarely used second tier (次常用字),
# which real text here never strings together.
_UTF8_BYTES = set(range(0x80, 0xC0)) | set(range(0xE0, 0xF0))
_MOJIBAKE_MIN_RARE = 2
# BOM, replacement character, bidi controls and private use: the characters the whole-file check refuses.
_SUSPECT_CHARS = re.compile("[\ufeff\ufffd\u202a-\u202e\u2066-\u2069\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
# What text here is mostly made of, and holds neither invisible characters nor ：, U+3000 or U+00A0.
_ORDINARY_CHARS = re.compile("[\x00-\x9f\u00a1-\u00ac\u00ae-\u05ff\u3001-\u303f\u4e00-\u9fff\uff01-\uff19\uff1b-\uffef]+")
_TRAILING_COMMENT = re.compile(r"[ \t]+#")
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
"""NEL, LS and PS: line breaks to YAML 1.1, invisible to editors, so every YAML line number after one is wrong."""


def starts_with_key_colon_slip(text: str) -> bool:
    """Return whether text starts like a field with a slipped colon: ``title：專利``, ``title:\u3000專利``."""
    return _KEY_COLON_SLIP.match(text) is not None


# Every format character (category Cf) of Unicode 15 lies in these ranges (a test holds this against unicodedata):
# a text is searched for them at once, and only what is found is looked up.
MAYBE_FORMAT_CHAR = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u089f\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001345f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


def is_invisible(char: str) -> bool:
    """Return whether a character is an invisible format character (ZWSP, soft hyphen…) not reported otherwise."""
    return unicodedata.category(char) == "Cf" and char != "\ufeff" and char not in _BIDI_CONTROLS


@dataclass(frozen=True)
class Spot:
    """A character inside a scalar worth pointing at, with where it stands in the file."""

    char: str
    line: int
    col: int


@dataclass(frozen=True)
class Scalar:
    """A YAML scalar with its parsed value and the exact token the editor typed."""

    value: object
    raw: str
    kind: str
    """One of text, integer, number, boolean, null, date."""
    line: int
    col: int
    quoted: bool = False
    spots: tuple[Spot, ...] = ()
    """The invisible characters and the key-colon slips (：, U+3000, U+00A0) in the scalar's source, in order."""
    block: bool = False
    """Written as a block (| or >): its text starts on the line after the indicator."""

    @property
    def text_line(self) -> int:
        """Return the line on which the scalar's text starts."""
        return self.line + 1 if self.block else self.line


@dataclass(frozen=True)
class Mapping:
    """A YAML mapping; keys are text, each remembered with the line it stands on."""

    items: dict[str, "Node"]
    key_lines: dict[str, int]
    line: int
    col: int


@dataclass(frozen=True)
class Sequence:
    """A YAML sequence."""

    items: tuple["Node", ...]
    line: int
    col: int


Node = Union[Scalar, Mapping, Sequence]


@dataclass(frozen=True)
class SourceDoc:
    """One content file as read: its YAML (or front matter) tree and, for Markdown, its body."""

    path: Path
    data: Node | None
    """None when the file could not be parsed; its problems are already reported."""
    body: str | None = None
    body_line: int = 1
    """The line in the file on which the Markdown body starts."""
    lang: str = "zh"
    """Taken from the file name: ``x.en.md`` is English, anything else Chinese."""
    unreadable: bool = False
    """True when the file could not be decoded or parsed; its problems are already reported."""
    extra: dict[str, object] = field(default_factory=dict)


def read_text(path: Path, problems: Problems, limit: int = MAX_SOURCE_BYTES) -> str | None:
    """Return the file decoded as UTF-8 with line endings made LF, or None after reporting why it cannot be: among
    the reasons, a symbolic link (never followed) and more than ``limit`` bytes (found before reading any)."""
    try:
        data = read_limited(path, limit)
    except LinkRefused:
        report_unread_link(path, problems)
        return None
    except TooLarge as err:
        report_too_large(path, err, problems)
        return None
    return decode_text(path, data, problems)


def decode_text(path: Path, data: bytes, problems: Problems) -> str | None:
    """Return the bytes of the file at ``path`` decoded as UTF-8 with line endings made LF, or None after reporting
    why they cannot be."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        problems.add(path, 1, bi("the file is saved as UTF-32", "檔案以 UTF-32 儲存"),
                     bi("re-save it as UTF-8", "請另存為 UTF-8 編碼"), code="E-ENC-UTF16")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        problems.add(
            path, 1,
            bi("the file is saved as UTF-16 (Notepad's \"Unicode\")", "檔案以 UTF-16（記事本「Unicode」）儲存"),
            bi("re-save it as UTF-8", "請另存為 UTF-8 編碼"),
            code="E-ENC-UTF16",
        )
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        problems.add(
            path, 1, bi("a UTF-8 byte-order mark (BOM) was removed", "已移除 UTF-8 BOM"),
            bi("nothing to do; editors can save as \"UTF-8\" without BOM", "無須處理；可改存為無 BOM 的 UTF-8"),
            code="W-ENC-BOM", severity=WARNING,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        _report_not_utf8(path, data, err.start, problems)
        return None
    if "\r" in text:
        lone_cr = re.search(r"\r(?!\n)", text)
        if lone_cr:
            line, col = _line_and_col(text[: lone_cr.start()].replace("\r\n", "\n").replace("\r", "\n"))
            problems.add(
                path, line, bi("lone carriage returns (CR) were read as line breaks", "單獨的 CR 已視為換行"),
                bi("save the file with LF or CRLF line endings", "請以 LF 或 CRLF 換行儲存"),
                code="W-EOL-CR", col=col, severity=WARNING,
            )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(path, text, problems)
    return text


def _line_and_col(before: str) -> tuple[int, int]:
    """Return the 1-based line and column of the character that follows ``before``."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _report_not_utf8(path: Path, data: bytes, bad: int, problems: Problems) -> None:
    line = data.count(b"\n", 0, bad) + 1
    col = bad - (data.rfind(b"\n", 0, bad) + 1) + 1
    eudc = _big5_user_defined(data)
    if eudc is None:
        problems.add(
            path, line, bi("the file is not valid UTF-8", "檔案不是有效的 UTF-8 編碼"),
            bi("re-save it as UTF-8", "請另存為 UTF-8 編碼"), code="E-ENC-UNKNOWN", col=col,
        )
        return
    hint = bi("re-save it as UTF-8 (Notepad: Save As > Encoding: UTF-8)", "請另存為 UTF-8（記事本：另存新檔 > 編碼選 UTF-8）")
    if eudc:
        at_line = data.count(b"\n", 0, eudc[0]) + 1
        hint = bi(f"re-save it as UTF-8, and replace the user-defined character (造字) on line {at_line} with the standard "
                  "Unicode character, or an image with a text description",
                  f"請另存為 UTF-8，並將第 {at_line} 行的造字改為標準 Unicode 字元，或改用圖片加文字說明")
    problems.add(
        path, line,
        bi("the file is not UTF-8; it looks like Big5/CP950 (Windows Notepad \"ANSI\")",
           "檔案不是 UTF-8 編碼，看起來是 Big5/CP950（Windows 記事本「ANSI」）"),
        hint, code="E-ENC-CP950", col=col,
    )


def _big5_user_defined(data: bytes) -> list[int] | None:
    """Return the offsets of user-defined characters (造字) if the bytes are Big5/CP950 apart from them, else None."""
    offsets: list[int] = []
    start = 0
    while True:
        try:
            # cp950, not big5: Windows' Big5 includes the Eten extensions that plain big5 rejects.
            data[start:].decode("cp950")
            return offsets
        except UnicodeDecodeError as err:
            at = start + err.start
            if data[at] not in _EUDC_LEADS or at + 1 >= len(data) or data[at + 1] not in _BIG5_TRAILS:
                return None
            offsets.append(at)
            start = at + 2


def _check_characters(path: Path, text: str, problems: Problems) -> None:
    """Report characters that would publish wrongly: stray BOMs, replacement marks, private-use, bidi overrides,
    compatibility ideographs, and text garbled by reading UTF-8 as Big5."""
    # Most files have none of them: the whole text is looked at first. A line end composes with nothing, so the
    # text is NFC where each of its lines is.
    if text.isascii() or (_SUSPECT_CHARS.search(text) is None and unicodedata.is_normalized("NFC", text)
                          and _GARBLED_RARE.isdisjoint(text)):
        return
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.isascii():
            continue
        for found in _SUSPECT_CHARS.finditer(line):
            char, col = found.group(), found.start() + 1
            if char == "\ufeff":
                problems.add(path, lineno, bi("a byte-order mark (U+FEFF) inside the text", "文字中間有 BOM 字元（U+FEFF）"),
                             bi("delete it; it usually comes from pasting files together", "請刪除；多半是合併檔案時帶入"),
                             code="E-CHAR-BOM-MID", col=col)
            elif char == "\ufffd":
                problems.add(path, lineno, bi("a replacement character (U+FFFD): the text was garbled by a wrong encoding",
                                              "出現替代字元（U+FFFD），文字已因編碼錯誤而損毀"),
                             bi("copy the text again from the original document", "請從原始文件重新複製"),
                             code="E-CHAR-FFFD", col=col)
            elif char in _BIDI_CONTROLS:
                problems.add(path, lineno, bi(f"a bidirectional control character (U+{ord(char):04X})", f"出現雙向控制字元（U+{ord(char):04X}）"),
                             bi("delete it", "請刪除"), code="E-CHAR-BIDI", col=col)
            else:
                problems.add(path, lineno, bi(f"a private-use character (U+{ord(char):04X}, 造字) that readers cannot see",
                                              f"出現造字（私用區字元 U+{ord(char):04X}），讀者無法顯示"),
                             bi("use the standard Unicode character instead, or an image with a text description",
                                "請改用標準 Unicode 字元，或改用圖片加文字說明"),
                             code="E-CHAR-PUA", col=col)
        if not unicodedata.is_normalized("NFC", line):
            _check_compatibility(path, lineno, line, problems)
        if not _GARBLED_RARE.isdisjoint(line):
            _check_mojibake(path, lineno, line, problems)


def _check_compatibility(path: Path, lineno: int, line: str, problems: Problems) -> None:
    """Warn about characters NFC replaces, such as the compatibility ideograph 兀 (U+FA0C) for 兀 (U+5140)."""
    for col, char in enumerate(line, start=1):
        standard = unicodedata.normalize("NFC", char)
        if standard != char:
            code, standard_code = f"U+{ord(char):04X}", f"U+{ord(standard[0]):04X}"
            problems.add(path, lineno,
                         bi(f"a compatibility character {char} ({code}, standard: {standard} {standard_code}) that "
                            "search and name lookups treat as a different character",
                            f"出現相容字元 {char}（{code}，標準字為 {standard} {standard_code}），搜尋與名稱比對會視為不同的字"),
                         bi(f"replace it with the standard character {standard}", f"請改用標準字元 {standard}"),
                         code="W-CHAR-COMPAT", col=col, severity=WARNING)


def _check_mojibake(path: Path, lineno: int, line: str, problems: Problems) -> None:
    """Warn about a run of characters that is UTF-8 text read as Big5 (蝬瞈… for 經濟…): one warning per line."""
    start, rare = 0, 0
    for col, char in enumerate(line + "\n", start=1):
        tier = _utf8_as_big5_tier(char)
        if tier is None:
            if rare >= _MOJIBAKE_MIN_RARE:
                garbled = line[start - 1 : col - 1]
                problems.add(path, lineno, bi(f"\"{garbled}\" looks garbled: UTF-8 text read as Big5 and saved again",
                                              f"「{garbled}」看起來是亂碼：UTF-8 文字被當成 Big5 讀取後又存檔"),
                             bi("copy the text again from the original document", "請從原始文件重新複製"),
                             code="W-CHAR-MOJIBAKE", col=start, severity=WARNING)
                return
            start, rare = 0, 0
            continue
        start = start or col
        rare += tier == 2


def _utf8_as_big5_tier(char: str) -> int | None:
    """Return 2 for a second-tier Big5 character, 1 for another, whose Big5 bytes could both come from UTF-8 text;
    0 for a lost character (?, U+FFFD) inside such a run; None for anything else."""
    if char in "?\ufffd":
        return 0
    if char in _GARBLED_RARE:
        return 2
    return 1 if char in _GARBLED_COMMON else None


def _garbled_characters(rare: bool) -> frozenset[str]:
    """Return the CJK characters whose Big5 bytes could both come from UTF-8 text, of the second tier or not."""
    leads = [b for b in _UTF8_BYTES if (b >= 0xE0) == rare]
    chars = set()
    for lead in leads:
        for trail in _UTF8_BYTES:
            try:
                char = bytes((lead, trail)).decode("cp950")
            except UnicodeDecodeError:
                continue
            if "\u4e00" <= char <= "\uffef":
                chars.add(char)
    return frozenset(chars)


_GARBLED_RARE = _garbled_characters(rare=True)
_GARBLED_COMMON = _garbled_characters(rare=False)


def parse_yaml(text: str, path: Path, problems: Problems, first_line: int = 1) -> Node | None:
    """Return the YAML document as a node tree, or None after reporting why it cannot be read.

    ``first_line`` is the file line on which ``text`` starts (front matter starts on line 2).
    """
    breaks = list(_YAML_ONLY_BREAKS.finditer(text))
    for found in breaks:
        line, col = _line_and_col(text[: found.start()])
        char = f"U+{ord(found.group()):04X}"
        problems.add(path, line + first_line - 1, bi(f"a line separator ({char}) that YAML reads as a line break",
                                                     f"出現 YAML 會當成換行的分行字元（{char}）"),
                     bi("delete it; press Enter where a new line is meant", "請刪除；要換行請直接按 Enter"),
                     code="E-CHAR-LINESEP", col=col)
    if breaks:
        return None
    builder = _TreeBuilder(path, problems, first_line - 1, text.split("\n"))
    try:
        return builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.reader.ReaderError as err:
        # A control character YAML refuses; libyaml gives its offset in bytes, so find it in the text instead.
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        offset = found.start() if found else 0
        line, col = _line_and_col(text[:offset])
        line += first_line - 1
        char = f"U+{ord(text[offset]):04X}" if found else str(err.character)
        problems.add(path, line, bi(f"an invisible control character ({char})", f"出現看不見的控制字元（{char}）"),
                     bi("delete it; it usually comes from copying out of another program", "請刪除；多半是從其他程式複製時帶入"),
                     code="E-CHAR-CONTROL", col=col)
        return None
    except yaml.MarkedYAMLError as err:
        if builder.failed:
            return None  # The parser tripped over what the builder already reported (U+3000 indentation).
        mark = err.problem_mark or err.context_mark
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 0
        if mark and mark.line > text.count("\n"):
            # libyaml ends a text that lacks a final newline with one of its own: point at the end of the last line.
            line, col = text.count("\n") + first_line, len(text) - text.rfind("\n")
        problem = (err.problem or str(err)).strip()
        source_line = text.split("\n")[mark.line] if mark and mark.line < len(text.split("\n")) else ""
        message = bi(f"YAML syntax error: {problem}", f"YAML 語法錯誤：{_SYNTAX_ZH.get(problem, '請檢查本行格式')}")
        hint, code = "", "E-YAML-SYNTAX"
        misplaced = _misplaced_character(text, err)
        # libyaml and the pure-Python scanner word a Tab differently; the line itself is what tells.
        if "\t" in source_line[: col] or "tab" in problem.lower():
            code = "E-YAML-TAB"
            message = bi("a Tab character is used for indentation", "以 Tab 字元縮排")
            hint = bi("indent with spaces, not Tab", "請用空白縮排，不要用 Tab")
            key = _top_level_key(text.split("\n"), mark.line) if mark else None
            if key is not None:
                # Indenting it with spaces instead, as the hint above says, would make it a worse error.
                message = bi(f"a Tab character before the field \"{key}\"", f"欄位「{key}」前面有 Tab 字元")
                hint = bi(f"delete the Tab: \"{key}:\" starts at the beginning of the line, as the other fields do",
                          f"請刪除 Tab：「{key}:」要從行首寫起，與其他欄位對齊")
        elif misplaced is not None:
            index, at, char = misplaced
            if char == "indent":
                report_ideographic_indent(problems, path, index + first_line, at)
                return None
            message, hint = key_colon_slip_message(char)
            problems.add(path, index + first_line, message, hint, code="E-YAML-SYNTAX", col=at)
            return None
        elif "mapping values are not allowed" in problem:
            hint = bi("put the value in double quotes when it contains \": \"", "值裡有「: 」時，請以雙引號括住整個值")
        elif "expected a single document" in problem or "but found another document" in problem:
            code = "E-YAML-MULTIDOC"
            message = bi("a second YAML document (---) in one file", "同一檔案中出現第二份 YAML 文件（---）")
            hint = bi("keep one document per file; remove the extra ---", "每個檔案只放一份文件，請刪除多餘的 ---")
        else:
            hint = bi("check the indentation and quoting on this line and the one above", "請檢查本行與上一行的縮排及引號")
        problems.add(path, line, message, hint, code=code, col=col)
        return None


_INDENTED_KEY = re.compile(r"^[ \t]*\t[ \t]*([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]|$)")


def _top_level_key(lines: list[str], index: int) -> str | None:
    """Return the field name on line ``index`` when a Tab indents it where a top-level field belongs: the line
    before it (comments and blank lines aside) is a whole field at the start of its line, or there is none."""
    if index >= len(lines):
        return None
    found = _INDENTED_KEY.match(lines[index])
    if not found:
        return None
    for before in reversed(lines[:index]):
        if not before.strip() or before.lstrip().startswith("#"):
            continue
        if before.strip() == "---":
            break  # the front matter's first field
        opens_block = re.search(r":[ \t]*(?:#.*)?$", before) is not None  # "goals:" opens what is indented under it
        return found.group(1) if not before[:1].isspace() and not opens_block else None
    return found.group(1)


def report_invisible(problems: Problems, path: Path, what: str, what_zh: str, spot: Spot) -> None:
    """Report an invisible character in a key or id, where nobody can see why the value does not match."""
    problems.add(path, spot.line, bi(f"{what} contains an invisible character (U+{ord(spot.char):04X})",
                                     f"{what_zh}含有看不見的字元（U+{ord(spot.char):04X}）"),
                 bi("delete the character: retype the value, or delete and retype the characters around it",
                    "請刪除這個字元：重新輸入這個值，或刪除後重打前後的字"),
                 code="E-CHAR-INVISIBLE", col=spot.col)


def report_ideographic_indent(problems: Problems, path: Path, line: int, col: int) -> None:
    """Report a full-width space (U+3000) where YAML expects indentation."""
    problems.add(path, line, bi("a full-width space (U+3000) is used for indentation", "以全形空白（U+3000）縮排"),
                 bi("indent with half-width spaces", "請用半形空白縮排"), code="E-CHAR-IDEOSPACE", col=col)


def key_colon_slip_message(char: str) -> tuple[str, str]:
    """Return the message and hint for a full-width colon, U+3000 or NBSP where YAML needs ": " after a field name."""
    name, name_zh = KEY_COLON_SLIPS[char]
    return (bi(f"{name} after a field name, where YAML needs a half-width colon and a space",
               f"欄位名稱後用了{name_zh}，YAML 需要半形冒號加空白"),
            bi("write \"name: value\" with a half-width colon and a space", "請寫成「欄位: 值」（半形冒號加空白）"))


def _misplaced_character(text: str, err: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """Return (line index, column, "indent") of a full-width space indenting, or (…, the character) of a key-colon
    slip, on the lines a syntax error names; the parser points past them, at the next key."""
    lines = text.split("\n")
    for mark in (err.context_mark, err.problem_mark):
        if mark is None or mark.line >= len(lines):
            continue
        line = lines[mark.line]
        indent = len(line) - len(line.lstrip(" "))
        if line[indent : indent + 1] == "\u3000":
            return mark.line, indent + 1, "indent"
        slip = _KEY_COLON_SLIP.match(line)
        if slip:
            at = slip.start(1) if slip.group(1) == "：" else slip.start(1) + 1
            return mark.line, at + 1, line[at]
    return None


class _TreeBuilder:
    """Builds nodes from parser events, refusing what content files must not use."""

    def __init__(self, path: Path, problems: Problems, line_offset: int, lines: list[str]) -> None:
        self.path = path
        self.problems = problems
        self.line_offset = line_offset
        self.lines = lines
        """The source text's lines, to point inside scalars and see what follows them."""
        self.count = 0
        self.constructor = SafeConstructor()
        self.failed = False
        """Set when a character breaks the structure (a key with ZWSP, U+3000 indentation): the tree would mislead."""

    def _line(self, event: yaml.Event) -> int:
        return event.start_mark.line + 1 + self.line_offset

    def build(self, events) -> Node | None:
        root: Node | None = None
        documents = 0
        stack: list[list] = []  # [start event, items, pending key, key lines, seen keys]
        failed = False
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problems.add(
                        self.path, self._line(event),
                        bi("a second YAML document (---) in one file", "同一檔案中出現第二份 YAML 文件（---）"),
                        bi("keep one document per file; remove the extra ---", "每個檔案只放一份文件，請刪除多餘的 ---"),
                        code="E-YAML-MULTIDOC",
                    )
                    return None
            elif isinstance(event, yaml.AliasEvent):
                self.problems.add(
                    self.path, self._line(event),
                    bi("YAML aliases (*name) are not allowed in content files", "內容檔不可使用 YAML 別名（*name）"),
                    bi("write the value out in full", "請直接寫出完整的值"), code="E-YAML-ALIAS",
                    col=event.start_mark.column + 1,
                )
                failed = True
                node: Node | None = Scalar(None, "", "null", self._line(event), 0)
                root = self._attach(stack, node, root)
            elif isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self.count += 1
                if self.count > _MAX_NODES:
                    self.problems.add(self.path, self._line(event),
                                      bi("the file is too large or deeply nested", "檔案過大或層次過深"),
                                      bi("split it into smaller files", "請拆成較小的檔案"), code="E-YAML-SIZE")
                    return None
                if event.tag is not None and event.tag != "!":
                    self.problems.add(
                        self.path, self._line(event),
                        bi(f"explicit YAML tag {event.tag!r} is not allowed", f"不可使用 YAML 標記 {event.tag!r}"),
                        bi("remove the tag; quote the value if it must stay text", "請刪除標記；若要當作文字請加引號"),
                        code="E-YAML-TAG", col=event.start_mark.column + 1,
                    )
                    failed = True
                if isinstance(event, yaml.ScalarEvent):
                    root = self._attach(stack, self._scalar(event), root)
                else:
                    stack.append([event, [], None, {}, {}])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                start, items, _, key_lines, _ = stack.pop()
                line, col = self._line(start), start.start_mark.column + 1
                if isinstance(start, yaml.MappingStartEvent):
                    node = Mapping(dict(items), key_lines, line, col)
                else:
                    node = Sequence(tuple(items), line, col)
                root = self._attach(stack, node, root)
        return None if failed or self.failed else root

    def _source(self, index: int) -> str:
        return self.lines[index] if index < len(self.lines) else ""

    def _scalar(self, event: yaml.ScalarEvent) -> Scalar:
        line, col = self._line(event), event.start_mark.column + 1
        quoted = event.style in ("'", '"', "|", ">")
        if not quoted:
            self._check_trailing_comment(event)
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit) if event.tag in (None, "!") else event.tag
        kind = _TAG_NAMES.get(tag, "text")
        value: object = event.value
        if kind != "text":
            try:
                value = self.constructor.construct_object(yaml.ScalarNode(tag, event.value))
            except (yaml.constructor.ConstructorError, ValueError):
                # e.g. 2024-13-01 looks like a date but is not one: keep it as text for the field checks.
                kind, value = "text", event.value
        return Scalar(value, event.value, kind, line, col, quoted, self._spots(event), event.style in ("|", ">"))

    def _spots(self, event: yaml.ScalarEvent) -> tuple[Spot, ...]:
        """Return the invisible characters and key-colon slips in the scalar's source, where they stand."""
        start, end = event.start_mark, event.end_mark
        spots = []
        for index in range(start.line, end.line + 1):
            line = self._source(index)
            first = start.column if index == start.line else 0
            last = end.column if index == end.line else len(line)
            col = first
            while col < last:
                ordinary = _ORDINARY_CHARS.match(line, col, last)
                if ordinary:
                    col = ordinary.end()
                    continue
                if line[col] in KEY_COLON_SLIPS or is_invisible(line[col]):
                    spots.append(Spot(line[col], index + 1 + self.line_offset, col + 1))
                col += 1
        return tuple(spots)

    def _check_trailing_comment(self, event: yaml.ScalarEvent) -> None:
        """Warn when a ` #` after a plain value made the rest of the line a comment, which YAML drops silently."""
        end = event.end_mark
        # Match in place: a flow list can put a whole file on one line, and slicing it per scalar is quadratic.
        comment = _TRAILING_COMMENT.match(self._source(end.line), end.column)
        if comment:
            rest = self._source(end.line)[end.column :]
            self._report_trailing_comment(event, rest, end.line + 1 + self.line_offset, comment.end())

    def _report_trailing_comment(self, event: yaml.ScalarEvent, rest: str, line: int, col: int) -> None:
        comment = rest.strip()
        meant = (event.value + rest).strip().replace("\\", "\\\\").replace('"', '\\"')
        self.problems.add(
            self.path, line,
            bi(f"the text after \" #\" is a YAML comment and will not be published: \"{comment}\"",
               f"「 #」之後的文字是 YAML 註解，不會刊出：「{comment}」"),
            bi(f"if it belongs to the value, put the whole value in double quotes: \"{meant}\"; "
               "if it is a note, put it on a line of its own",
               f"若是內容的一部分，請以雙引號括住整個值：\"{meant}\"；若是註記，請移到獨立一行"),
            code="W-YAML-COMMENT", col=col, severity=WARNING,
        )

    def _check_key(self, key: Scalar) -> None:
        """Refuse a key that only looks right: indented with U+3000 (YAML reads it as part of the name) or holding
        an invisible character."""
        if str(key.value).startswith("\u3000") and not key.quoted:
            report_ideographic_indent(self.problems, self.path, key.line, key.col)
            self.failed = True
        invisible = [spot for spot in key.spots if is_invisible(spot.char)]
        if invisible:
            report_invisible(self.problems, self.path, f"key \"{key.value}\"", f"鍵「{key.value}」", invisible[0])
            self.failed = True

    def _attach(self, stack: list[list], node: Node, root: Node | None) -> Node | None:
        if not stack:
            return node
        start, items, pending, key_lines, seen = stack[-1]
        if isinstance(start, yaml.SequenceStartEvent):
            items.append(node)
            return root
        if pending is None:
            if not isinstance(node, Scalar) or node.kind != "text":
                raw = node.raw if isinstance(node, Scalar) else "…"
                self.problems.add(
                    self.path, node.line,
                    bi(f"key {raw!r} is not text", f"鍵 {raw!r} 不是文字"),
                    bi("quote the key", "請以引號括住鍵名"), code="E-YAML-KEY", col=node.col,
                )
                stack[-1][2] = ("\0invalid", node.line)
                return root
            self._check_key(node)
            stack[-1][2] = (node.value, node.line)
            return root
        key, key_line = pending
        stack[-1][2] = None
        if key == "\0invalid":
            return root
        if key in seen:
            self.problems.add(
                self.path, key_line,
                bi(f"duplicate key \"{key}\" (first on line {seen[key]})", f"重複的鍵「{key}」（第 {seen[key]} 行已有）"),
                bi("keep one of them; YAML would silently keep only the last", "請只保留一個；YAML 會默默只留最後一個"),
                code="E-YAML-DUPKEY",
            )
            return root
        seen[key] = key_line
        key_lines[key] = key_line
        items.append((key, node))
        return root


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[str, str, int] | None:
    """Return (front matter, body, body's first line) of a Markdown file, or None after reporting."""
    if not text.startswith("---\n"):
        problems.add(
            path, 1, bi("the file does not start with a front matter block (---)", "檔案開頭缺少 front matter 區塊（---）"),
            bi("start the file with a line \"---\", the fields, and another \"---\"", "請以一行「---」開頭，寫欄位，再以一行「---」結束"),
            code="E-FRONTMATTER",
        )
        return None
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            problems.add(
                path, 1, bi("the front matter block is not closed", "front matter 區塊沒有結束"),
                bi("add a line \"---\" after the last field", "請在最後一個欄位之後加一行「---」"), code="E-FRONTMATTER",
            )
            return None
    front = text[4 : end + 1]
    body = text[end + 5 :]
    # A file that ends with the closing --- has no body line: point at the --- itself, not past the end.
    body_line = min(front.count("\n") + 3, text.count("\n") + 1)
    return front, body, body_line


def language_of(path: Path) -> str:
    """Return the language a file holds, from its suffix: ``.en.md`` / ``.en.yaml`` is English."""
    return "en" if path.suffixes[-2:-1] == [".en"] else "zh"


def read_source(path: Path, problems: Problems) -> SourceDoc:
    """Return one content file read and parsed; problems go to ``problems``."""
    text = read_text(path, problems)
    lang = language_of(path)
    if text is None:
        return SourceDoc(path, None, lang=lang, unreadable=True)
    before = len(problems.errors)
    if path.suffix == ".md":
        split = split_front_matter(text, path, problems)
        if split is None:
            return SourceDoc(path, None, lang=lang, unreadable=True)
        front, body, body_line = split
        _check_invisible_in_body(path, body, body_line, problems)
        data = parse_yaml(front, path, problems, first_line=2)
        return SourceDoc(path, data, body, body_line, lang, unreadable=len(problems.errors) > before and data is None)
    data = parse_yaml(text, path, problems)
    return SourceDoc(path, data, lang=lang, unreadable=len(problems.errors) > before and data is None)


def _check_invisible_in_body(path: Path, body: str, body_line: int, problems: Problems) -> None:
    """Warn about invisible characters in the text: they break search for the words around them."""
    if body.isascii() or not MAYBE_FORMAT_CHAR.search(body):  # the common case, without a loop over every character
        return
    for lineno, line in enumerate(body.split("\n"), start=body_line):
        for found in MAYBE_FORMAT_CHAR.finditer(line):
            if is_invisible(found.group()):
                report_invisible_text(problems, path, lineno, found.start() + 1, found.group())


def report_invisible_text(problems: Problems, path: Path, line: int, col: int, char: str) -> None:
    """Warn about an invisible character in displayed text."""
    problems.add(path, line, bi(f"an invisible character (U+{ord(char):04X}) in the text", f"文字中有看不見的字元（U+{ord(char):04X}）"),
                 bi("delete it; search cannot find the words it splits", "請刪除；被它隔開的詞搜尋不到"),
                 code="W-CHAR-INVISIBLE", col=col, severity=WARNING)


CONTENT_SUFFIXES = (".yaml", ".yml", ".md")


def content_files(content_dir: Path) -> list[Path]:
    """Return every YAML and Markdown file under ``content_dir``, in a stable order: not hidden files (an editor's
    swap file) nor what is in hidden folders, as the build record does not hash them either."""
    found: list[Path] = []

    def walk(folder: str) -> None:  # no link, to a file or a folder (issue 26); entries spare a stat a file
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or entry.is_symlink():
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path)
                    elif entry.name.endswith(CONTENT_SUFFIXES) and entry.is_file(follow_symlinks=False):
                        found.append(Path(entry.path))
        except OSError:
            pass

    if not content_dir.is_symlink():  # links are reported by the build (``untrusted.report_links``), never read
        walk(str(content_dir))
    return sorted(found, key=lambda path: path.parts)  # the order of paths, without comparing Path objects


def read_sources(paths: list[Path], problems: Problems, then: Callable[[SourceDoc, Problems], R] | None = None) -> list:
    """Return the files at ``paths`` parsed, in their order, reading them on every core; with ``then``, return
    what it makes of each file and its problems instead, computed in the worker that read it (so that what
    crosses back is what the caller keeps, not the whole parsed tree)."""
    def read(path: Path) -> tuple[object, list[Problem]]:
        found = Problems(problems.root)
        doc = read_source(path, found)
        return (doc if then is None else then(doc, found)), found.found  # what crosses back, and no more

    results = []
    for result, found in ordered_map(read, paths):
        problems.include(found)
        results.append(result)
    return results


def is_date(node: Node) -> bool:
    """Return whether a node holds a calendar date."""
    return isinstance(node, Scalar) and isinstance(node.value, date)
