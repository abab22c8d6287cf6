"""Typed reading of YAML nodes: each field is checked for presence and type, and reported at its own line."""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from . import schema
from ..base.errors import Problems
from .models import Quarter, Text
from .schema import Field, Shape
from .sources import (
    KEY_COLON_SLIPS, Mapping, Node, Scalar, Sequence, SourceDoc, Spot, bi, is_invisible, report_invisible, report_invisible_text,
    starts_with_key_colon_slip,
)

_FIRST_ROC_YEAR = 1912
"""民國1年: a year before it is a 民國 year written where a Gregorian one belongs."""
_LOOSE_DATE = re.compile(r"^(?:民國)?\s*([0-9]{2,4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$", re.ASCII)
_KIND_ZH = {"text": "文字", "integer": "整數", "number": "數字", "boolean": "布林值（是/否）",
            "null": "空值", "date": "日期", "mapping": "對照表", "list": "清單"}


def kind_of(node: Node) -> str:
    """Return what kind of value a node holds, in the words used in messages."""
    if isinstance(node, Scalar):
        return node.kind
    return "mapping" if isinstance(node, Mapping) else "list"


def did_you_mean(value: str, choices) -> str:
    """Return ``; did you mean "x"?`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"? | 是否要寫「{close[0]}」？' if close else ""


def closest(value: str, choices, n: int = 3) -> list[str]:
    """Return up to ``n`` choices nearest ``value``, nearest first: by spelling, or for Chinese names that do not
    spell alike (警察局, 警政署) by the characters they share."""
    choices = list(dict.fromkeys(choices))
    close = difflib.get_close_matches(value, choices, n=n, cutoff=0.6)
    if close:
        return close
    wanted = set(value) - _GENERIC_NAME_CHARACTERS
    if not wanted or not any("\u4e00" <= char <= "\u9fff" for char in wanted):
        return []
    shared = [(len(wanted & set(choice)), -len(choice), choice) for choice in choices]
    return [choice for count, _, choice in sorted(shared, reverse=True)[:n] if count]


_GENERIC_NAME_CHARACTERS = frozenset("部局署會院處司中心政府")
"""Characters most agency names end in: sharing them says nothing about which agency was meant."""


def either(names: list[str], lang: str) -> str:
    """Return quoted names joined for a did-you-mean question: "a", "b" or "c"; 「a」、「b」或「c」."""
    if lang == "zh":
        quoted = [f"「{name}」" for name in names]
        return "、".join(quoted[:-1]) + "或" + quoted[-1] if len(quoted) > 1 else quoted[0]
    quoted = [f'"{name}"' for name in names]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


def unknown_measure(measure: str, plan_id: str, ids: list[str], otherwise: str | None = None) -> tuple[str, str]:
    """Return the message and hint for a measure number plan ``plan_id`` (of measures ``ids``) does not have: the
    closest number, or else ``otherwise``, or else the numbers it has and where they are listed."""
    first, last = (ids[0], ids[-1]) if ids else ("", "")
    listed = bi(f"plan {plan_id} numbers its measures {first} to {last}; each is listed on the plan page of the site "
                f"and in content/plans/",
                f"方案 {plan_id} 的措施編號自 {first} 至 {last}，逐項列於網站的方案頁面及 content/plans/")
    return (bi(f"measure \"{measure}\" is not in plan {plan_id}", f"方案 {plan_id} 沒有執行措施「{measure}」"),
            did_you_mean(measure, ids) or otherwise or listed)


_CURLY_QUOTES = "“”‘’„‟＂＇「」『』〝〞"
"""Quotation marks a word processor or an input method types, which YAML keeps as part of the value."""


def curly_quoted(value: str) -> str | None:
    """Return the value inside the curly or full-width quotes around it (“2.1.1”), or None when there are none."""
    inner = value.strip().strip(_CURLY_QUOTES).strip()
    return inner if inner != value.strip() and inner else None


def curly_quotes_problem(key: str, value: str, inner: str, quote: bool = True) -> tuple[str, str]:
    """Return the message and hint for a value written in curly quotes: the quotes are the problem. The value to
    write is in straight quotes where it needs them (``quote``, an id of digits), else bare."""
    message = bi(f"\"{key}\" is written in curly quotes, which become part of the value: {value}",
                 f"「{key}」的值用了彎引號或全形引號，引號會被當成值的一部分：{value}")
    if not quote:
        return message, bi(f"delete the quotes: {key}: {inner}", f"請刪除引號：{key}: {inner}")
    return message, bi(f"use straight quotes, typed with the \" key in half-width mode: {key}: \"{inner}\"",
                       f"請改用半形直引號（英數輸入模式下的 \" 鍵）：{key}: \"{inner}\"")


_LOOSE_QUARTER = re.compile(r"^(?:民國)?(\d{2,4})(?:年度?第?|[-/.]?Q|-)([1-4])季?$", re.IGNORECASE)
_QUARTER_NUMERALS = str.maketrans("一二三四", "1234")


def quarter_written(text: str):
    """Return the quarter a text names another way than 2024-Q3 (民國113年第3季, 113Q3, 2024Q3, ２０２４－Ｑ３), or
    None when it names none."""
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text.strip()).translate(_QUARTER_NUMERALS))
    plain = plain.strip(_CURLY_QUOTES + "\"'")
    found = _LOOSE_QUARTER.match(plain)
    if not found:
        return None
    year, number = int(found.group(1)), int(found.group(2))
    if year < _FIRST_ROC_YEAR:
        year += _FIRST_ROC_YEAR - 1
    return Quarter(year, number) if 1912 <= year <= 2200 else None


def quarter_hint(text: str, write: str) -> str:
    """Return what to write for a quarter written ``text``: its 2024-Q3 form after ``write`` (``quarter: `` or
    ``--quarter ``) when it names one, else how the form goes."""
    quarter = quarter_written(text)
    if quarter is not None:
        roc = "" if "年" in text else f"（民國{quarter.roc_year}年第{quarter.number}季）"
        return bi(f"{text} is {quarter.id}: write {write}{quarter.id}", f"{text}即 {quarter.id}{roc}，請寫成 {write}{quarter.id}")
    return bi("write the Gregorian year, a hyphen, Q and the quarter 1–4 (民國113年第3季 = 2024-Q3)",
              "請寫西元年、連字號、Q 及季別 1–4（民國113年第3季 = 2024-Q3）")


def unknown_agency(agency: str, known, otherwise: str | None = None) -> tuple[str, str]:
    """Return the message and hint for an entry's agency id that is none of the ``known`` ids: the closest of them,
    or else ``otherwise`` (by default, where the ids are)."""
    return (bi(f"unknown agency \"{agency}\"", f"沒有「{agency}」這個機關代號"),
            did_you_mean(agency, known) or otherwise
            or bi("use an id from content/agencies.yaml, e.g. tipo", "請使用 content/agencies.yaml 中的代號，例如 tipo"))


def _colon_slip(node: Node) -> tuple[int, int, str] | None:
    """Return the line, column and hint of a full-width colon, U+3000 or NBSP that kept ``key：value`` from being
    a field, or None."""
    if not isinstance(node, Scalar) or node.quoted or not starts_with_key_colon_slip(node.raw):
        return None
    slips = [spot for spot in node.spots if spot.char in KEY_COLON_SLIPS]
    if not slips:
        return None
    name, name_zh = KEY_COLON_SLIPS[slips[0].char]
    return slips[0].line, slips[0].col, bi(
        f"the file uses {name} after a field name; write \"name: value\" with a half-width colon and a space",
        f"欄位名稱後用了{name_zh}；請寫成「欄位: 值」（半形冒號加空白）")


def _iso_date(node: Node, pattern: re.Pattern[str]) -> date | None:
    """Return the date a node holds when written as the schema's pattern says (YYYY-MM-DD), quoted or not."""
    if not isinstance(node, Scalar) or node.kind not in ("date", "text"):
        return None
    # The token as typed: a timestamp (2024-10-14 10:00) is no date, and cannot be compared with other files' dates.
    if not pattern.match(node.raw):
        return None
    try:
        return date.fromisoformat(node.raw)
    except ValueError:
        return None  # 2024-02-30 has the form of a date, and YAML kept it as text


def _date_hint(key: str, raw: str) -> str:
    """Return what to write for a date written another way: 113/1/5 and 民國113年1月5日 are 2024-01-05."""
    found = _LOOSE_DATE.match(unicodedata.normalize("NFKC", raw.strip()))
    if found:
        year, month, day = (int(part) for part in found.groups())
        roc = year if year < _FIRST_ROC_YEAR else None
        try:
            iso = date(year + _FIRST_ROC_YEAR - 1 if roc else year, month, day).isoformat()
        except ValueError:
            return bi(f"there is no such day; write a real date as YYYY-MM-DD, e.g. {key}: 2024-10-15",
                      f"沒有這一天；請寫成實際存在的日期 YYYY-MM-DD，例如 {key}: 2024-10-15")
        if roc:
            return bi(f"民國{roc}年{month}月{day}日 is {iso}: write {key}: {iso}",
                      f"民國{roc}年{month}月{day}日即西元 {iso}，請寫成 {key}: {iso}")
        return bi(f"write {key}: {iso}", f"請寫成 {key}: {iso}")
    return bi(f"write year-month-day with hyphens, e.g. {key}: 2024-10-15 for 民國113年10月15日",
              f"請以西元年-月-日書寫，例如民國113年10月15日寫成 {key}: 2024-10-15")


def _date_pattern() -> re.Pattern[str]:
    """Return the pattern of a date field, from the schemas (where a reader is given no field to take it from)."""
    return schema.shape("site").field("updated").pattern  # type: ignore[return-value]


def example_line(field: Field) -> str | None:
    """Return the field written with its schema's first example, quoted where it is text that YAML would read as
    something else or that starts with a digit: ``agency: tipo``, ``plan: "2018"``; None without such an example."""
    value = field.example
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    # Ids of digits are quoted even where YAML would read this one as text: "1.10" and "2018" it would not.
    if field.kind == "text" and (text[:1].isdigit() or not _reads_as_text(text)):
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{field.name}: {text}"


def _reads_as_text(value: str) -> bool:
    """Return whether YAML reads ``value``, written unquoted, as that same text (2018 and NO it does not)."""
    try:
        return value != "" and yaml.safe_load(value) == value
    except yaml.YAMLError:
        return False


def _write_hint(about: Field, en: str, zh: str, example: str | None = None) -> str:
    """Return what to write in a field, with its name for editors and an example: ``example``, else the schema's."""
    en, zh = f"{en} ({about.title('en')})", f"{zh}（{about.title('zh')}）"
    example = example or example_line(about)
    if example:
        en, zh = f"{en}, e.g. {example}", f"{zh}，例如 {example}"
    return bi(en, zh)


def _invisible(node: Node) -> list[Spot]:
    return [spot for spot in node.spots if is_invisible(spot.char)] if isinstance(node, Scalar) else []


class FieldReader:
    """Reads typed fields from the mappings of one file and reports every problem at its line."""

    def __init__(self, path: Path, problems: Problems, examples: dict[str, str] | None = None,
                 where: tuple[str, str] | None = None) -> None:
        self.path = path
        self.problems = problems
        self.examples = examples or {}
        """A line to write for a missing field, by its name, where the file itself tells its value (its name does)."""
        self.where = where
        """Where the fields are, in English and Chinese, for the message of a missing one: ("the front matter", …)."""

    def error(self, line: int, message: str, hint: str = "", code: str = "E-CONTENT", col: int = 0) -> None:
        """Report an error in this file."""
        self.problems.add(self.path, line, message, hint, code=code, col=col)

    def as_mapping(self, node: Node | None, what: str, line: int = 1, what_zh: str | None = None) -> Mapping | None:
        """Return the node if it is a mapping, else report that ``what`` must be one."""
        if isinstance(node, Mapping):
            return node
        what_zh = what_zh or what
        if node is None:
            self.error(line, bi(f"{what} is empty", f"{what_zh}沒有內容"),
                       bi("write the fields as \"name: value\" lines", "請以「欄位: 值」逐行填寫"), "E-FIELD-REQUIRED")
            return None
        line, col, hint = _colon_slip(node) or (
            node.line, node.col, bi("write the fields as \"name: value\" lines", "請以「欄位: 值」逐行填寫"))
        self.error(line, bi(f"{what} must be a mapping of fields, not {kind_of(node)}",
                            f"{what_zh}必須是「欄位: 值」的對照表"), hint, "E-YAML-NOTMAP", col)
        return None

    def front_matter(self, doc: SourceDoc, schema_name: str, what: str,
                     what_zh: str) -> tuple[Mapping, "ShapedFields"] | None:
        """Return a Markdown file's front matter and its fields to read as the schema ``schema_name`` describes them
        (``<schema_name>-en`` for an English file); None where the file was unreadable or its front matter is not a
        mapping, which is reported."""
        if doc.unreadable:
            return None
        data = self.as_mapping(doc.data, "the front matter", 2, "front matter 區塊")
        if data is None:
            return None
        shaped = schema.shape(f"{schema_name}-en" if doc.lang == "en" else schema_name)
        return data, self.fields(data, shaped, what, what_zh)

    def check_keys(self, mapping: Mapping, allowed: tuple[str, ...], what: str, what_zh: str | None = None) -> None:
        """Report every key that ``what`` (``what_zh`` in Chinese) does not have, with the closest known one."""
        what_zh = what_zh or what
        for key, line in mapping.key_lines.items():
            if key not in allowed:
                hint = did_you_mean(key, allowed) or bi(
                    "known fields: " + ", ".join(allowed), "可用欄位：" + "、".join(allowed))
                self.error(line, bi(f"unknown field \"{key}\" in {what}", f"{what_zh}沒有「{key}」這個欄位"), hint,
                           "E-FIELD-UNKNOWN")

    def fields(self, mapping: Mapping, shape: Shape, what: str, what_zh: str | None = None) -> "ShapedFields":
        """Report the keys of ``mapping`` its schema does not list, and return its fields to read as the schema
        describes them."""
        self.check_keys(mapping, shape.names, what, what_zh)
        return ShapedFields(self, mapping, shape)

    def _present(self, mapping: Mapping, key: str, required: bool, about: Field | None = None) -> Node | None:
        node = mapping.items.get(key)
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            if required:
                line = mapping.key_lines.get(key, mapping.line)
                if about is None:
                    hint = bi(f"write \"{key}: …\" with a value", f"請填寫「{key}: …」")
                elif about.kind == "bilingual":
                    hint = _write_hint(about, f"write \"{key}:\" with zh: and en: lines under it",
                                       f"請填寫「{key}:」，並在底下縮排寫 zh: 與 en:")
                else:
                    hint = _write_hint(about, f"write \"{key}: …\"", f"請填寫「{key}: …」", self.examples.get(key))
                if self.where is not None and key not in mapping.key_lines:
                    message = bi(f"field \"{key}\" is missing from {self.where[0]}", f"{self.where[1]}缺少「{key}」欄位")
                else:
                    message = bi(f"field \"{key}\" is required", f"必須填寫「{key}」欄位")
                self.error(line, message, hint, "E-FIELD-REQUIRED")
            return None
        return node

    def _wrong_type(self, key: str, node: Node, expected: str) -> None:
        got = kind_of(node)
        if isinstance(node, Scalar):
            message = bi(f"\"{key}\" expected {expected}, got {got} from `{node.raw}`",
                         f"「{key}」應為{_KIND_ZH.get(expected, expected)}，但 `{node.raw}` 被讀成{_KIND_ZH.get(got, got)}")
        else:
            message = bi(f"\"{key}\" expected {expected}, got a {got}",
                         f"「{key}」應為{_KIND_ZH.get(expected, expected)}，但寫成了{_KIND_ZH.get(got, got)}")
        hint = bi(f"put the value in double quotes: {key}: \"{node.raw}\"", f"請加雙引號：{key}: \"{node.raw}\"") \
            if isinstance(node, Scalar) and expected == "text" else ""
        self.error(node.line, message, hint, "E-YAML-TYPE", node.col)

    def text(self, mapping: Mapping, key: str, required: bool = True, about: Field | None = None) -> str | None:
        """Return a text field, refusing values YAML read as something else (NO, 1.10, 007); ``about`` is the
        field's schema, for hints."""
        value = self._text(mapping, key, required, about)
        if value is not None:
            self._warn_invisible(mapping.items[key])
        return value

    def _warn_invisible(self, node: Node) -> None:
        for spot in _invisible(node)[:1]:
            report_invisible_text(self.problems, self.path, spot.line, spot.col, spot.char)

    def _text(self, mapping: Mapping, key: str, required: bool, about: Field | None = None) -> str | None:
        node = self._present(mapping, key, required, about)
        if node is None:
            return None
        if not isinstance(node, Scalar) or node.kind != "text":
            self._wrong_type(key, node, "text")
            return None
        value = str(node.value)
        if not value.strip():
            if required:
                en, zh = f"write a value after \"{key}:\"", f"請在「{key}:」後填寫內容"
                self.error(node.line, bi(f"field \"{key}\" is empty", f"「{key}」欄位是空的"),
                           _write_hint(about, en, zh) if about else bi(en, zh), "E-FIELD-REQUIRED")
            return None
        return value

    def identifier(self, mapping: Mapping, key: str, pattern=None, example: str | None = None, required: bool = True,
                   id_of_name: Callable[[str], str | None] | None = None, about: Field | None = None) -> str | None:
        """Return an id-like text field that matches ``pattern`` (ASCII only: ３.１.２ is refused); ``about``, the
        field's schema, gives the pattern and the example where they are not given.

        ``id_of_name`` looks up the id of a name written where the id belongs, to hint it.
        """
        if about is not None:
            pattern = pattern or about.pattern
            example = example or str(about.example)
        value = self._text(mapping, key, required, about)
        if value is None:
            return None
        node = mapping.items[key]
        if any(unicodedata.category(c) == "Cf" for c in value):
            # A BOM or bidi control is reported where it stands, by the character check of the whole file.
            for spot in _invisible(node)[:1]:
                report_invisible(self.problems, self.path, f"\"{key}\"", f"「{key}」", spot)
            return None
        inner = curly_quoted(value)
        if inner is not None and not pattern.match(value):
            self.error(node.line, *curly_quotes_problem(key, value, inner), "E-ID-FORMAT", node.col)
            return None
        if not pattern.match(value):
            normal = unicodedata.normalize("NFKC", value)
            hint = bi(f"write it with ASCII digits and letters, like \"{example}\"",
                      f"請用半形英數字，例如「{example}」")
            named = id_of_name(value) if id_of_name else None
            if normal != value and pattern.match(normal):
                hint = bi(f"write \"{normal}\" (half-width)", f"請寫成半形「{normal}」")
            elif named:
                hint = bi(f"write the id \"{named}\", not the name", f"請寫代號「{named}」，不要寫名稱")
            self.error(node.line, bi(f"\"{key}\" has an invalid value \"{value}\"", f"「{key}」的值「{value}」格式不正確"),
                       hint, "E-ID-FORMAT", node.col)
            return None
        return value

    def integer(self, mapping: Mapping, key: str, required: bool = True, about: Field | None = None) -> int | None:
        """Return a whole-number field."""
        node = self._present(mapping, key, required, about)
        if node is None:
            return None
        if not isinstance(node, Scalar) or node.kind != "integer" or isinstance(node.value, bool):
            self._wrong_type(key, node, "integer")
            return None
        return int(node.value)  # type: ignore[arg-type]

    def boolean(self, mapping: Mapping, key: str, default: bool) -> bool:
        """Return a true/false field."""
        node = self._present(mapping, key, False)
        if node is None:
            return default
        if not isinstance(node, Scalar) or node.kind != "boolean":
            self._wrong_type(key, node, "boolean")
            return default
        return bool(node.value)

    def date(self, mapping: Mapping, key: str, required: bool = True, about: Field | None = None) -> date | None:
        """Return an ISO date field (2024-01-05) from the Republic's founding on, as the schema's pattern says; 民國
        and slashed dates are refused with the ISO form to write."""
        node = self._present(mapping, key, required, about)
        if node is None:
            return None
        value = _iso_date(node, about.pattern if about is not None and about.pattern else _date_pattern())
        if value is None:
            raw = node.raw if isinstance(node, Scalar) else "…"
            inner = curly_quoted(raw) if isinstance(node, Scalar) else None
            if inner is not None:
                self.error(node.line, *curly_quotes_problem(key, raw, inner, quote=False), "E-DATE", node.col)
                return None
            self.error(node.line, bi(f"\"{key}\" must be a Gregorian date written YYYY-MM-DD (2024-01-05), not `{raw}`",
                                     f"「{key}」須為西元日期，寫成 YYYY-MM-DD（2024-01-05），而非 `{raw}`"),
                       _date_hint(key, raw), "E-DATE", node.col)
            return None
        return value

    def bilingual(self, mapping: Mapping, key: str, required: bool = True, about: Field | None = None,
                  shape: Shape | None = None) -> Text | None:
        """Return a ``{zh: …, en: …}`` field; Chinese is required, English optional (``shape``, the pair's schema,
        says so where it is given). A caller that needs the English checks it, in its own words."""
        node = self._present(mapping, key, required, about)
        if node is None:
            return None
        inner = self.as_mapping(node, f"\"{key}\"", node.line) if isinstance(node, Mapping) else None
        if inner is None:
            if not isinstance(node, Mapping):
                line, col, hint = _colon_slip(node) or (node.line, node.col, bi(
                    f"write {key}:\\n  zh: …\\n  en: …", f"請寫成 {key}: 換行後縮排 zh: … 與 en: …"))
                self.error(line, bi(f"\"{key}\" must have zh: and en: lines under it",
                                    f"「{key}」底下須有 zh: 與 en: 兩行"), hint, "E-YAML-TYPE", col)
            return None
        self.check_keys(inner, shape.names if shape else ("zh", "en"), f"\"{key}\"")
        zh = self.text(inner, "zh", required=shape.field("zh").required if shape else True,
                       about=shape.field("zh") if shape else None)
        en = self.text(inner, "en", required=False, about=shape.field("en") if shape else None)
        return Text(zh, en) if zh is not None else None

    def sequence(self, mapping: Mapping, key: str, required: bool = True, about: Field | None = None) -> tuple[Node, ...]:
        """Return the items of a list field."""
        node = self._present(mapping, key, required, about)
        if node is None:
            return ()
        if not isinstance(node, Sequence):
            self._wrong_type(key, node, "list")
            return ()
        return node.items

    def texts(self, mapping: Mapping, key: str) -> tuple[str, ...]:
        """Return a list of texts, such as aliases."""
        values = []
        for item in self.sequence(mapping, key, required=False):
            if isinstance(item, Scalar) and item.kind == "text":
                self._warn_invisible(item)
                values.append(str(item.value))
            else:
                self._wrong_type(key, item, "text")
        return tuple(values)


class ShapedFields:
    """The fields of one mapping, read as its schema describes them: which are required, what each holds, the
    pattern an id follows; hints name the field as the schema does, with its example."""

    def __init__(self, read: FieldReader, mapping: Mapping, shape: Shape) -> None:
        self.read = read
        self.mapping = mapping
        self.shape = shape

    def field(self, key: str) -> Field:
        """Return a field's schema; a field the schema does not list is a programming error (KeyError)."""
        return self.shape.field(key)

    def node(self, key: str) -> Node | None:
        """Return the node a field holds, as written, or None."""
        return self.mapping.items.get(key)

    def value(self, key: str):
        """Return a field's value, read by what its schema says it holds; None (or the default of a true/false
        field) when it is absent or wrong, which is reported."""
        field = self.field(key)
        read, mapping = self.read, self.mapping
        kind = field.kind
        if kind == "text":
            return read.text(mapping, key, field.required, about=field)
        if kind == "date":
            return read.date(mapping, key, field.required, about=field)
        if kind == "bilingual":
            return read.bilingual(mapping, key, field.required, about=field, shape=self.shape.inner(key))
        if kind == "integer":
            return read.integer(mapping, key, field.required, about=field)
        if kind == "boolean":
            if field.required:
                raise ValueError(f"a true/false field is optional, with a default: \"{key}\"")
            return read.boolean(mapping, key, bool(field.default))
        if kind == "texts":
            return read.texts(mapping, key)
        raise TypeError(f"\"{key}\" holds a {kind}: read it with sequence() or node()")

    def identifier(self, key: str, id_of_name: Callable[[str], str | None] | None = None) -> str | None:
        """Return an id field, which must match the schema's pattern."""
        field = self.field(key)
        if field.pattern is None:
            raise ValueError(f"the schema gives \"{key}\" no pattern")
        return self.read.identifier(self.mapping, key, required=field.required, id_of_name=id_of_name, about=field)

    def sequence(self, key: str) -> tuple[Node, ...]:
        """Return the items of a list field."""
        field = self.field(key)
        return self.read.sequence(self.mapping, key, field.required, about=field)
