"""Editors' Markdown: rendered safely, and checked so that nothing unsafe is dropped without telling them."""
from __future__ import annotations

import re
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_block import reference as reference_rule
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token

from . import plain_markdown
from .plain_markdown import is_cjk
from ..base.errors import ERROR, WARNING, Problems
from ..base.parallel import ordered_map
from .fields import did_you_mean
from .sources import bi

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE | re.ASCII)
ALLOWED_SCHEMES = ("http", "https", "mailto")
_MAX_NESTING = 20
_FEW_BRACKETS = 6
"""Each bracket nests inline parsing one or two levels at most: this few stay far below ``_MAX_NESTING``."""


def is_safe_link(url: str) -> bool:
    """Return whether a link target may be published: http(s), mailto, or a path on this site.

    A percent-encoded scheme (%6Aavascript:) is harmless to browsers, but only an attempt to hide one writes it.
    """
    return _is_safe_target(url) and _is_safe_target(unquote(url))


def _is_safe_target(url: str) -> bool:
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
            if before.type == "text" and after.type == "text" and is_cjk(before.content[-1:]) and is_cjk(after.content[:1]):
                child.type, child.content = "text", ""


def _shortcut_plain_inline(md: MarkdownIt) -> None:
    """Make inline parsing of a text that holds no character any inline rule starts at (most table cells, many
    paragraphs) give its one text token at once, as the parser's own loop would, without setting it up."""
    terminators = getattr(md.inline, "terminator_re", None)
    if terminators is None:  # a markdown-it-py without it: parse as it does
        return
    parse = md.inline.parse

    def parse_inline(src: str, md: MarkdownIt, env: dict, tokens: list[Token]) -> list[Token]:
        if not src or terminators.search(src) is not None:
            return parse(src, md, env, tokens)
        token = Token("text", "", 0)
        token.content = src
        tokens.append(token)
        return tokens

    md.inline.parse = parse_inline


def _aligned_cells_as_classes(state: StateCore) -> None:
    """Give a table's aligned cells a class (``align-right``) instead of the ``style`` markdown-it gives them: the
    site's Content-Security-Policy allows no inline style, so a browser would drop the alignment and report it."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style", "").startswith("text-align:"):
            align = token.attrs.pop("style")[len("text-align:"):]
            token.attrs["class"] = f"align-{align}"


def make_renderer() -> MarkdownIt:
    """Return the markdown-it parser used for publishing: raw HTML off, unsafe links refused, tables on."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": _MAX_NESTING})
    md.enable("table")
    md.validateLink = is_safe_link
    md.core.ruler.push("cjk_soft_breaks", _drop_cjk_soft_breaks)
    md.core.ruler.push("aligned_cells_as_classes", _aligned_cells_as_classes)
    _shortcut_plain_inline(md)
    return md


_renderer = make_renderer()

def to_html(text: str) -> str:
    """Return the HTML of editor Markdown as the publishing parser makes it."""
    html = plain_markdown.html(text)
    return _renderer.render(text) if html is None else html


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _offset_headings(html: str, heading_offset: int) -> str:
    if heading_offset and "<h" in html:
        # With raw HTML off, every tag in the output is the renderer's own: a heading tag is a heading.
        html = _HEADING_TAG.sub(lambda tag: f"<{tag[1]}h{min(6, int(tag[2]) + heading_offset)}>", html)
    return html


def render(text: str, heading_offset: int = 0) -> str:
    """Return HTML for editor Markdown; headings start ``heading_offset`` levels below h1."""
    return _offset_headings(to_html(text), heading_offset)


class RenderedTexts:
    """HTML by Markdown text, made once for a build: an entry is shown on its measure, agency and quarter pages, and
    parsing is most of the time a build takes. Each build owns one; a preview keeps its own from build to build, to
    re-render any page of the site at once. Worker processes forked while it is filled see what it holds."""

    def __init__(self) -> None:
        self._html: dict[str, str] = {}

    def render(self, text: str, heading_offset: int = 0) -> str:
        """Return ``render(text, heading_offset)``, parsing the text only if it was not parsed before."""
        html = self._html.get(text)
        if html is None:
            html = self._html[text] = to_html(text)
        return _offset_headings(html, heading_offset)

    def keep(self, texts: dict[str, str]) -> None:
        """Keep HTML already made of texts (by ``check_and_render``)."""
        self._html.update(texts)

    def prerender(self, texts: list[str], forget: bool = True, workers: int | None = None) -> None:
        """Parse ``texts`` on ``workers`` cores (default: all) and keep their HTML; with ``forget``, forget the texts
        not among them."""
        unique = sorted(set(texts))
        known = {text: self._html[text] for text in unique if text in self._html}
        todo = [text for text in unique if text not in known]
        made = dict(zip(todo, ordered_map(to_html, todo, workers)))
        self._html = {**known, **made} if forget else {**self._html, **made}


# The checker accepts everything on purpose, so that it sees what the publishing parser would neutralise. Its
# nesting limit need only lie past the renderer's: much deeper, Python's recursion limit would stop it first.
_checker = MarkdownIt("commonmark", {"html": True, "maxNesting": 100})
_checker.enable("table")
# Escaped characters (\*) stay tokens of their own, so that literal ** in a text token is markup the parser gave up on.
_checker.disable("text_join")
_checker.validateLink = lambda url: True
_shortcut_plain_inline(_checker)


def _recording_reference(state, start: int, end: int, silent: bool) -> bool:
    """Parse a link reference definition (``[a]: url``) as usual, and remember the line it stands on."""
    before = set(state.env.get("references", {}))
    found = reference_rule(state, start, end, silent)
    if found and not silent:
        for label in set(state.env.get("references", {})) - before:
            state.env.setdefault("definition_lines", {})[label] = start
    return found


_checker.block.ruler.at("reference", _recording_reference)

# C0 and C1 controls other than Tab and the line ends: invisible, and able to hide a link scheme from the parser.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HEADING_WITHOUT_SPACE = re.compile(r"^[ \t]*(?:#{1,6}(?![ \t#]|$)|＃)")
# Lines meant as list items that Markdown reads as text: indented with U+3000 (which the parser strips from a
# paragraph's first line, leaving a bare "- "), full-width digits or stops, bullets typed as characters, and, past
# a paragraph's first line, numbers other than 1 (such a list may not interrupt a paragraph).
_FALSE_LIST = re.compile(r"^[ \t]*(?:\u3000*(?:[-*+]|[0-9]+[.)])[ \t\u3000]|[０-９]+[.．)）]|[0-9]+[．）]|[・•])")


@dataclass(frozen=True)
class LinkTargets:
    """The pages of the site an editor may link to, by URL path, each with the fragments it is known to have."""

    base: str
    """The site's base path, such as ``/``: images live under ``{base}assets/``."""
    pages: dict[str, frozenset[str]]

    @cached_property
    def digest(self) -> str:
        """Return one hash of every page and anchor: what a text's links were checked against."""
        listed = repr(sorted((path, sorted(anchors)) for path, anchors in self.pages.items()))
        return hashlib.blake2b(listed.encode("utf-8", "surrogatepass") + b"\0", digest_size=16).hexdigest()


def _too_deep(tokens: list[Token]) -> int | None:
    """Return the line (within the text) where nesting passes what the renderer keeps, or None."""
    depth = 0
    line = 0
    for token in tokens:
        depth += token.nesting
        line = token.map[0] if token.map else line
        if depth > _MAX_NESTING - 2:
            return line
    return None


def _inline_lines(token: Token, block_line: int):
    """Yield each child of an inline token with its line: inline tokens carry none, so count the breaks."""
    breaks = 0
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            breaks += 1
            continue
        yield child, block_line + breaks


class _TextCheck:
    """Checks one Markdown text of one file and reports each finding at its line."""

    def __init__(self, path: Path, first_line: int, problems: Problems, targets: LinkTargets | None) -> None:
        self.path = path
        self.first_line = first_line
        self.problems = problems
        self.targets = targets
        self.linked = False
        """Whether the text links anywhere, so that what was found depends on the site's pages."""
        self.failed = False
        """Whether an error was found: such a text is never published."""
        self.tokens: list[Token] | None = None
        self.env: dict = {}

    def add(self, line: int, message: str, hint: str, code: str, severity: str = ERROR, col: int = 0) -> None:
        self.failed = self.failed or severity == ERROR
        self.problems.add(self.path, line, message, hint, code=code, severity=severity, col=col)

    def run(self, text: str) -> None:
        self.control_characters(text)
        env = self.env
        tokens = _checker.parse(text, env)
        deep = _too_deep(tokens)
        if deep is not None:
            self.add(self.first_line + deep, bi("the text is nested too deeply (quotes or lists inside each other)",
                                                "內文層次過深（引言或清單層層相套）"),
                     bi("flatten the structure", "請減少巢狀層次"), "E-MD-NESTING")
            return
        for label, line in env.get("definition_lines", {}).items():
            self.link(env["references"][label]["href"], self.first_line + line, image=False)
        self.blocks(tokens)
        self.tokens = tokens

    def published_html(self, text: str) -> str | None:
        """Return the text's HTML as the publishing parser makes it, from the checker's tokens, or None where they
        may differ from its own. They differ only where the checker accepts what the renderer refuses: raw HTML and
        unsafe links (errors, so never published), and nesting past the renderer's limit, which only brackets and
        blocks reach (blocks that deep are an error; with few brackets, inline parsing stays far below it)."""
        if self.tokens is None or self.failed or "<" in text or text.count("[") > _FEW_BRACKETS:
            return None
        state = StateCore(text, _renderer, self.env, self.tokens)
        # The publishing parser's own core rules after parsing, in its order: the checker leaves them out.
        text_join(state)
        _drop_cjk_soft_breaks(state)
        _aligned_cells_as_classes(state)
        return _renderer.renderer.render(state.tokens, _renderer.options, self.env)

    def control_characters(self, text: str) -> None:
        # YAML refuses these when it reads a file; a Markdown body is not YAML, so they are refused here.
        for offset, text_line in enumerate(text.split("\n")):
            for found in _CONTROL.finditer(text_line):
                char = f"U+{ord(found.group()):04X}"
                self.add(self.first_line + offset, bi(f"an invisible control character ({char})", f"出現看不見的控制字元（{char}）"),
                         bi("delete it; it usually comes from copying out of another program",
                            "請刪除；多半是從其他程式複製時帶入"), "E-CHAR-CONTROL", col=found.start() + 1)

    def blocks(self, tokens: list[Token]) -> None:
        previous_level = 0
        table_line = 0
        header_cells: list[str] | None = None
        for index, token in enumerate(tokens):
            line = self.first_line + (token.map[0] if token.map else 0)
            if token.type == "html_block":
                self.html(line)
            elif token.type == "heading_open":
                previous_level = self.heading_level(int(token.tag[1]), previous_level, line)
            elif token.type == "table_open":
                table_line = line
            elif token.type == "thead_open":
                header_cells = []
            elif token.type == "thead_close" and header_cells is not None:
                if not any(cell.strip() for cell in header_cells):
                    self.add(table_line, bi("the table has no header row (its first row is empty)", "表格沒有標題列（第一列是空的）"),
                             bi("write the column names in the first row, e.g. | 項目 | 件數 |",
                                "請在第一列寫出各欄名稱，例如 | 項目 | 件數 |"), "E-A11Y-TABLE-HEADER")
                header_cells = None
            elif token.type == "inline":
                if header_cells is not None:
                    header_cells.append(token.content)
                if index and tokens[index - 1].type == "paragraph_open":
                    self.paragraph_lines(token.content, line)
                self.inline(token, line)

    def heading_level(self, level: int, previous: int, line: int) -> int:
        if level > previous + 1:
            self.add(line, bi(f"the heading jumps from level {previous} to level {level} ({'#' * level})",
                              f"標題層級從第 {previous} 級跳到第 {level} 級（{'#' * level}）"),
                     bi(f"use {'#' * (previous + 1)} here: headings go down one level at a time",
                        f"此處請用 {'#' * (previous + 1)}：標題層級須逐級往下"), "W-MD-HEADING-SKIP", WARNING)
        return level

    def paragraph_lines(self, content: str, block_line: int) -> None:
        """Warn about lines meant as headings or list items that Markdown reads as plain text."""
        for offset, text in enumerate(content.split("\n")):
            line = block_line + offset
            if _HEADING_WITHOUT_SPACE.match(text):
                self.add(line, bi("this line looks like a heading but is shown as text", "這一行看似標題，但會顯示為一般文字"),
                         bi("start a heading with a half-width # and a space: # 標題 (write \\# to keep a # as text)",
                            "標題請以半形 # 加一個空白開頭：# 標題（若要顯示 # 字元請寫 \\#）"), "W-MD-HEADING", WARNING)
            elif _FALSE_LIST.match(text):
                self.add(line, bi("this line looks like a list item but is run into the paragraph",
                                  "這一行看似清單項目，但會併入前後文成為同一段"),
                         bi("start list items at the left margin with \"- \" or \"1. \" (half-width, then a space), "
                            "the first numbered item being 1.",
                            "清單項目請頂格以半形「- 」或「1. 」開頭（編號清單須從 1. 開始）"), "W-MD-LIST", WARNING)

    def inline(self, token: Token, block_line: int) -> None:
        for child, line in _inline_lines(token, block_line):
            if child.type == "html_inline":
                self.html(line)
            elif child.type == "link_open":
                self.link(str(child.attrGet("href") or ""), line, image=False)
            elif child.type == "image":
                self.link(str(child.attrGet("src") or ""), line, image=True)
                if not "".join(c.content for c in child.children or ()).strip():
                    self.add(line, bi("an image without a description (alt text)", "圖片缺少替代文字"),
                             bi("write what the image shows between the brackets: ![說明](/assets/file.png)",
                                "請在方括號內說明圖片內容：![說明](/assets/file.png)"), "E-A11Y-ALT")
            elif child.type == "text" and ("**" in child.content or "__" in child.content):
                self.add(line, bi(f"emphasis markers are shown as they are: \"{child.content.strip()}\"",
                                  f"強調記號會原樣顯示：「{child.content.strip()}」"),
                         bi("put punctuation outside the markers, 「**重要**」的規定 rather than **「重要」**的規定, "
                            "or remove them",
                            "請把標點放在記號外面，寫成「**重要**」的規定，而非 **「重要」**的規定；或刪除記號"),
                         "W-MD-EMPHASIS", WARNING)

    def html(self, line: int) -> None:
        self.add(line, bi("raw HTML is not allowed in the text", "內文不可使用 HTML 標籤"),
                 bi("write it in Markdown: - for lists, 1. for numbered items, a blank line between paragraphs, "
                    "![description](file.png) for images",
                    "請改用 Markdown：清單用 -，編號用 1.，段落間空一行，圖片用 ![說明](file.png)"), "E-MD-HTML")

    def link(self, href: str, line: int, image: bool) -> None:
        self.linked = True
        if not is_safe_link(href):
            self.add(line, bi(f"link target \"{href}\" is not allowed", f"不允許的連結目標「{href}」"),
                     bi("link only to https://, http://, mailto: or a page of this site",
                        "連結只能指向 https://、http://、mailto: 或本站頁面"), "E-MD-LINK-SCHEME")
            return
        if href.lower().startswith("http:"):
            self.add(line, bi(f"link \"{href}\" uses plain http", f"連結「{href}」使用不加密的 http"),
                     bi("use https:// if the site supports it", "若對方網站支援，請改用 https://"), "W-MD-HTTP", WARNING)
        if self.targets is None:
            return
        if image:
            self.image(href, line)
        elif not _SCHEME.match(href):
            self.internal(unquote(href), line)

    def image(self, src: str, line: int) -> None:
        """Images must be files this site publishes: the site's security policy blocks images from elsewhere."""
        assets = f"{self.targets.base}assets/"
        if not src.startswith(assets) or ".." in src.split("/"):
            self.add(line, bi(f"image \"{unquote(src)}\" is not a file of this site, so browsers will not show it",
                              f"圖片「{unquote(src)}」不是本站的檔案，瀏覽器不會顯示"),
                     bi(f"add the image to static/ and write ![description]({assets}name.png)",
                        f"請將圖片放入 static/，並寫成 ![說明]({assets}name.png)"), "E-MD-IMAGE")

    def internal(self, url: str, line: int) -> None:
        """Check a link to this site against its pages and their anchors."""
        path, _, fragment = url.partition("#")
        pages = self.targets.pages
        example = f"{self.targets.base}zh/plans/2024-2026/measures/3.1.5/"
        if not path.startswith("/"):
            what = (bi(f"link \"{url}\" points into the page it is shown on, but this text is shown on several pages",
                       f"連結「{url}」指向所在頁面，但這段文字會出現在好幾個頁面") if not path else
                    bi(f"relative link \"{url}\" cannot be resolved", f"無法解析相對連結「{url}」"))
            self.add(line, what, bi(f"link from the site root, such as {example}#entry-…",
                                    f"請寫從網站根目錄起算的連結，例如 {example}#entry-…"), "E-LINK-INTERNAL")
        elif path not in pages:
            self.add(line, bi(f"link \"{url}\": this site has no page {path}", f"連結「{url}」：本站沒有 {path} 這一頁"),
                     did_you_mean(path, pages) or bi(f"copy the address of the page from the browser, without the domain, "
                                                     f"such as {example}", f"請從瀏覽器複製該頁網址（不含網域），例如 {example}"),
                     "E-LINK-INTERNAL")
        elif fragment and fragment not in pages[path]:
            self.add(line, bi(f"link \"{url}\": page {path} has no anchor #{fragment}",
                              f"連結「{url}」：{path} 頁面沒有 #{fragment} 這個錨點"),
                     did_you_mean(fragment, pages[path]) or bi(
                         "link to an entry as its \"Link to this entry\" link shows (#entry-…), or leave out the #…",
                         "請依該筆執行成效的「本筆連結」寫 #entry-…，或刪除 # 之後的部分"), "E-LINK-INTERNAL")


def check_markdown(text: str, path: Path, first_line: int, problems: Problems, targets: LinkTargets | None = None) -> bool:
    """Report raw HTML, unsafe or broken links, images without alt text, headerless tables, nesting the renderer would
    cut, and CJK Markdown that silently fails to parse; links to this site are checked when ``targets`` is given.
    Return whether the text has links, whose findings depend on the site's pages."""
    check = _TextCheck(path, first_line, problems, targets)
    check.run(text)
    return check.linked


def check_and_render(text: str, path: Path, first_line: int, problems: Problems,
                     targets: LinkTargets | None = None) -> tuple[bool, str | None]:
    """Check the text as ``check_markdown`` does; return whether it has links and, when it can be published, its
    HTML from the same parse (None when it cannot be made from it): parsing is most of what checking and rendering
    an entry cost."""
    html = plain_markdown.html(text)
    if html is not None:
        return False, html
    check = _TextCheck(path, first_line, problems, targets)
    check.run(text)
    return check.linked, check.published_html(text)
