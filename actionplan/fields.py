"""Typed reading of YAML nodes: each field is checked for presence and type, and reported at its own line."""
from __future__ import annotations

import difflib
import unicodedata
from datetime import date
from pathlib import Path

from .errors import Problems
from .models import Text
from .sources import Mapping, Node, Scalar, Sequence, bi

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


class FieldReader:
    """Reads typed fields from the mappings of one file and reports every problem at its line."""

    def __init__(self, path: Path, problems: Problems) -> None:
        self.path = path
        self.problems = problems

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
        hint = bi("write the fields as \"name: value\" lines", "請以「欄位: 值」逐行填寫")
        raw = node.raw if isinstance(node, Scalar) else ""
        for marker, name in (("：", "a full-width colon (：)"), ("\u3000", "an ideographic space (U+3000)"),
                             ("\xa0", "a no-break space (U+00A0)")):
            if marker in raw:
                hint = bi(f"the file uses {name} after a field name; use an ASCII colon and space \": \"",
                          "欄位名稱後請用半形冒號加空白「: 」")
        self.error(node.line, bi(f"{what} must be a mapping of fields, not {kind_of(node)}",
                                 f"{what_zh}必須是「欄位: 值」的對照表"), hint, "E-YAML-NOTMAP")
        return None

    def check_keys(self, mapping: Mapping, allowed: tuple[str, ...], what: str) -> None:
        """Report every key that ``what`` does not have, with the closest known one."""
        for key, line in mapping.key_lines.items():
            if key not in allowed:
                hint = did_you_mean(key, allowed) or bi(
                    "known fields: " + ", ".join(allowed), "可用欄位：" + "、".join(allowed))
                self.error(line, bi(f"unknown field \"{key}\" in {what}", f"{what}沒有「{key}」這個欄位"), hint,
                           "E-FIELD-UNKNOWN")

    def _present(self, mapping: Mapping, key: str, required: bool) -> Node | None:
        node = mapping.items.get(key)
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            if required:
                line = mapping.key_lines.get(key, mapping.line)
                self.error(line, bi(f"field \"{key}\" is required", f"必須填寫「{key}」欄位"),
                           bi(f"write \"{key}: …\" with a value", f"請填寫「{key}: …」"), "E-FIELD-REQUIRED")
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

    def text(self, mapping: Mapping, key: str, required: bool = True) -> str | None:
        """Return a text field, refusing values YAML read as something else (NO, 1.10, 007)."""
        node = self._present(mapping, key, required)
        if node is None:
            return None
        if not isinstance(node, Scalar) or node.kind != "text":
            self._wrong_type(key, node, "text")
            return None
        value = str(node.value)
        if not value.strip():
            if required:
                self.error(node.line, bi(f"field \"{key}\" is empty", f"「{key}」欄位是空的"),
                           bi(f"write a value after \"{key}:\"", f"請在「{key}:」後填寫內容"), "E-FIELD-REQUIRED")
            return None
        return value

    def identifier(self, mapping: Mapping, key: str, pattern, example: str, required: bool = True) -> str | None:
        """Return an id-like text field that matches ``pattern`` (ASCII only: ３.１.２ is refused)."""
        value = self.text(mapping, key, required)
        if value is None:
            return None
        node = mapping.items[key]
        invisible = [c for c in value if unicodedata.category(c) == "Cf"]
        if invisible:
            self.error(node.line, bi(f"\"{key}\" contains an invisible character (U+{ord(invisible[0]):04X})",
                                     f"「{key}」含有看不見的字元（U+{ord(invisible[0]):04X}）"),
                       bi("retype the value", "請重新輸入這個值"), "E-CHAR-INVISIBLE", node.col)
            return None
        if not pattern.match(value):
            normal = unicodedata.normalize("NFKC", value)
            hint = bi(f"write it with ASCII digits and letters, like \"{example}\"",
                      f"請用半形英數字，例如「{example}」")
            if normal != value and pattern.match(normal):
                hint = bi(f"write \"{normal}\" (half-width)", f"請寫成半形「{normal}」")
            self.error(node.line, bi(f"\"{key}\" has an invalid value \"{value}\"", f"「{key}」的值「{value}」格式不正確"),
                       hint, "E-ID-FORMAT", node.col)
            return None
        return value

    def integer(self, mapping: Mapping, key: str, required: bool = True) -> int | None:
        """Return a whole-number field."""
        node = self._present(mapping, key, required)
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

    def date(self, mapping: Mapping, key: str, required: bool = True) -> date | None:
        """Return an ISO date field (2024-01-05)."""
        node = self._present(mapping, key, required)
        if node is None:
            return None
        if not isinstance(node, Scalar) or not isinstance(node.value, date) or node.quoted:
            self.error(node.line, bi(f"\"{key}\" must be a date written YYYY-MM-DD, not `{getattr(node, 'raw', '…')}`",
                                     f"「{key}」須為西元日期 YYYY-MM-DD，而非 `{getattr(node, 'raw', '…')}`"),
                       bi("for example 2024-10-15 (民國113年10月15日)", "例如 2024-10-15（民國113年10月15日）"),
                       "E-DATE", node.col)
            return None
        return node.value

    def bilingual(self, mapping: Mapping, key: str, required: bool = True) -> Text | None:
        """Return a ``{zh: …, en: …}`` field; Chinese is required, English optional."""
        node = self._present(mapping, key, required)
        if node is None:
            return None
        inner = self.as_mapping(node, f"\"{key}\"", node.line) if isinstance(node, Mapping) else None
        if inner is None:
            if not isinstance(node, Mapping):
                self.error(node.line, bi(f"\"{key}\" must have zh: and en: lines under it",
                                         f"「{key}」底下須有 zh: 與 en: 兩行"),
                           bi(f"write {key}:\\n  zh: …\\n  en: …", f"請寫成 {key}: 換行後縮排 zh: … 與 en: …"),
                           "E-YAML-TYPE", node.col)
            return None
        self.check_keys(inner, ("zh", "en"), f"\"{key}\"")
        zh = self.text(inner, "zh", required=True)
        en = self.text(inner, "en", required=False)
        return Text(zh, en) if zh is not None else None

    def sequence(self, mapping: Mapping, key: str, required: bool = True) -> tuple[Node, ...]:
        """Return the items of a list field."""
        node = self._present(mapping, key, required)
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
                values.append(str(item.value))
            else:
                self._wrong_type(key, item, "text")
        return tuple(values)
