"""Reads content files: bytes to checked text, YAML to a node tree that remembers lines, front matter split.

Nothing here interprets what the content means; it only makes sure that what the later stages see is exactly
what the editor wrote, with the line numbers needed to point back at it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Union

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import WARNING, Problems

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


def bi(en: str, zh: str) -> str:
    """Return a message in both languages, as editors read them."""
    return f"{en} | {zh}"


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


def read_text(path: Path, problems: Problems) -> str | None:
    """Return the file decoded as UTF-8 with line endings made LF, or None after reporting why it cannot be."""
    data = path.read_bytes()
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
        line = data.count(b"\n", 0, err.start) + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        try:
            # cp950, not big5: Windows' Big5 includes the Eten extensions that plain big5 rejects.
            data.decode("cp950")
            problems.add(
                path, line,
                bi("the file is not UTF-8; it looks like Big5/CP950 (Windows Notepad \"ANSI\")",
                   "檔案不是 UTF-8 編碼，看起來是 Big5/CP950（Windows 記事本「ANSI」）"),
                bi("re-save it as UTF-8 (Notepad: Save As > Encoding: UTF-8)",
                   "請另存為 UTF-8（記事本：另存新檔 > 編碼選 UTF-8）"),
                code="E-ENC-CP950", col=col,
            )
        except UnicodeDecodeError:
            problems.add(
                path, line, bi("the file is not valid UTF-8", "檔案不是有效的 UTF-8 編碼"),
                bi("re-save it as UTF-8", "請另存為 UTF-8 編碼"), code="E-ENC-UNKNOWN", col=col,
            )
        return None
    if "\r" in text:
        if "\r" in text.replace("\r\n", ""):
            problems.add(
                path, 1, bi("lone carriage returns (CR) were read as line breaks", "單獨的 CR 已視為換行"),
                bi("save the file with LF or CRLF line endings", "請以 LF 或 CRLF 換行儲存"),
                code="W-EOL-CR", severity=WARNING,
            )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(path, text, problems)
    return text


def _check_characters(path: Path, text: str, problems: Problems) -> None:
    """Report characters that would publish wrongly: stray BOMs, replacement marks, private-use, bidi overrides."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        for col, char in enumerate(line, start=1):
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
            elif unicodedata.category(char) == "Co":
                problems.add(path, lineno, bi(f"a private-use character (U+{ord(char):04X}, 造字) that readers cannot see",
                                              f"出現造字（私用區字元 U+{ord(char):04X}），讀者無法顯示"),
                             bi("use the standard Unicode character instead", "請改用標準 Unicode 字元"),
                             code="E-CHAR-PUA", col=col)


def parse_yaml(text: str, path: Path, problems: Problems, first_line: int = 1) -> Node | None:
    """Return the YAML document as a node tree, or None after reporting why it cannot be read.

    ``first_line`` is the file line on which ``text`` starts (front matter starts on line 2).
    """
    try:
        return _TreeBuilder(path, problems, first_line - 1).build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 0
        problem = (err.problem or str(err)).strip()
        source_line = text.split("\n")[mark.line] if mark and mark.line < len(text.split("\n")) else ""
        message = bi(f"YAML syntax error: {problem}", f"YAML 語法錯誤：{_SYNTAX_ZH.get(problem, '請檢查本行格式')}")
        hint, code = "", "E-YAML-SYNTAX"
        # libyaml and the pure-Python scanner word a Tab differently; the line itself is what tells.
        if "\t" in source_line[: col] or "tab" in problem.lower():
            code = "E-YAML-TAB"
            message = bi("a Tab character is used for indentation", "以 Tab 字元縮排")
            hint = bi("indent with spaces, not Tab", "請用空白縮排，不要用 Tab")
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


class _TreeBuilder:
    """Builds nodes from parser events, refusing what content files must not use."""

    def __init__(self, path: Path, problems: Problems, line_offset: int) -> None:
        self.path = path
        self.problems = problems
        self.line_offset = line_offset
        self.count = 0
        self.constructor = SafeConstructor()

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
        return None if failed else root

    def _scalar(self, event: yaml.ScalarEvent) -> Scalar:
        line, col = self._line(event), event.start_mark.column + 1
        quoted = event.style in ("'", '"', "|", ">")
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit) if event.tag in (None, "!") else event.tag
        kind = _TAG_NAMES.get(tag, "text")
        value: object = event.value
        if kind != "text":
            try:
                value = self.constructor.construct_object(yaml.ScalarNode(tag, event.value))
            except (yaml.constructor.ConstructorError, ValueError):
                # e.g. 2024-13-01 looks like a date but is not one: keep it as text for the field checks.
                kind, value = "text", event.value
        return Scalar(value, event.value, kind, line, col, quoted)

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
    body_line = front.count("\n") + 3
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
        data = parse_yaml(front, path, problems, first_line=2)
        return SourceDoc(path, data, body, body_line, lang, unreadable=len(problems.errors) > before and data is None)
    data = parse_yaml(text, path, problems)
    return SourceDoc(path, data, lang=lang, unreadable=len(problems.errors) > before and data is None)


def read_sources(content_dir: Path, problems: Problems) -> list[SourceDoc]:
    """Return every YAML and Markdown file under ``content_dir``, parsed, in a stable order."""
    paths = sorted(
        p for p in content_dir.rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml", ".md") and not p.name.startswith(".")
    )
    return [read_source(p, problems) for p in paths]


def is_date(node: Node) -> bool:
    """Return whether a node holds a calendar date."""
    return isinstance(node, Scalar) and isinstance(node.value, date)
