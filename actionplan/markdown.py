"""Editors' Markdown: rendered safely, and checked so that nothing unsafe is dropped without telling them."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import WARNING, Problems
from .sources import bi

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE | re.ASCII)
ALLOWED_SCHEMES = ("http", "https", "mailto")
_MAX_NESTING = 20


def _is_cjk(char: str) -> bool:
    return bool(char) and (unicodedata.east_asian_width(char) in ("W", "F"))


def is_safe_link(url: str) -> bool:
    """Return whether a link target may be published: http(s), mailto, or a path on this site."""
    target = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    if target.startswith(("//", "\\\\", "/\\", "\\/")):
        return False
    match = _SCHEME.match(target)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def _drop_cjk_soft_breaks(state) -> None:
    """Remove a line break between two CJK characters: browsers would show it as a stray space."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        for i, child in enumerate(children):
            if child.type != "softbreak" or i == 0 or i + 1 >= len(children):
                continue
            before, after = children[i - 1], children[i + 1]
            if before.type == "text" and after.type == "text" and _is_cjk(before.content[-1:]) and _is_cjk(after.content[:1]):
                child.type, child.content = "text", ""


def _shift_heading(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    level = min(6, int(token.tag[1]) + int(env.get("heading_offset", 0)))
    token.tag = f"h{level}"
    return self.renderToken(tokens, idx, options, env)


def make_renderer() -> MarkdownIt:
    """Return the markdown-it parser used for publishing: raw HTML off, unsafe links refused, tables on."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": _MAX_NESTING})
    md.enable("table")
    md.validateLink = is_safe_link
    md.core.ruler.push("cjk_soft_breaks", _drop_cjk_soft_breaks)
    md.add_render_rule("heading_open", _shift_heading)
    md.add_render_rule("heading_close", _shift_heading)
    return md


_renderer = make_renderer()


def render(text: str, heading_offset: int = 0) -> str:
    """Return HTML for editor Markdown; headings start ``heading_offset`` levels below h1."""
    return _renderer.render(text, {"heading_offset": heading_offset})


# The checker accepts everything on purpose, so that it sees what the publishing parser would neutralise.
_checker = MarkdownIt("commonmark", {"html": True, "maxNesting": 1000})
_checker.enable("table")
_checker.validateLink = lambda url: True


def _depth(tokens: list[Token]) -> int:
    depth = deepest = 0
    for token in tokens:
        depth += token.nesting
        deepest = max(deepest, depth)
    return deepest


def check_markdown(text: str, path: Path, first_line: int, problems: Problems) -> None:
    """Report raw HTML, unsafe links, images without alt text and nesting the renderer would cut."""
    tokens = _checker.parse(text)
    if _depth(tokens) > _MAX_NESTING - 2:
        problems.add(path, first_line, bi("the text is nested too deeply (quotes or lists inside each other)",
                                          "內文層次過深（引言或清單層層相套）"),
                     bi("flatten the structure", "請減少巢狀層次"), code="E-MD-NESTING")
        return
    for token in tokens:
        block_line = first_line + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            _html_error(path, block_line, problems)
        # Inline tokens carry no line of their own: count the line breaks before them within the block.
        breaks = 0
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
                continue
            line = block_line + breaks
            if child.type == "html_inline":
                _html_error(path, line, problems)
            elif child.type in ("link_open", "image"):
                href = str(child.attrGet("href") or child.attrGet("src") or "")
                if not is_safe_link(href):
                    problems.add(path, line, bi(f"link target \"{href}\" is not allowed", f"不允許的連結目標「{href}」"),
                                 bi("link only to https://, http://, mailto: or a page of this site",
                                    "連結只能指向 https://、http://、mailto: 或本站頁面"), code="E-MD-LINK-SCHEME")
                elif href.lower().startswith("http:"):
                    problems.add(path, line, bi(f"link \"{href}\" uses plain http", f"連結「{href}」使用不加密的 http"),
                                 bi("use https:// if the site supports it", "若對方網站支援，請改用 https://"),
                                 code="W-MD-HTTP", severity=WARNING)
                if child.type == "image" and not "".join(c.content for c in child.children or ()).strip():
                    problems.add(path, line, bi("an image without a description (alt text)", "圖片缺少替代文字"),
                                 bi("write what the image shows between the brackets: ![說明](file.png)",
                                    "請在方括號內說明圖片內容：![說明](file.png)"), code="E-A11Y-ALT")


def _html_error(path: Path, line: int, problems: Problems) -> None:
    problems.add(path, line, bi("raw HTML is not allowed in entries", "執行成效內文不可使用 HTML 標籤"),
                 bi("write it in Markdown: - for lists, 1. for numbered items, a blank line between paragraphs, "
                    "![description](file.png) for images",
                    "請改用 Markdown：清單用 -，編號用 1.，段落間空一行，圖片用 ![說明](file.png)"), code="E-MD-HTML")
