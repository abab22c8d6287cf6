"""The editors' guide (docs/editors-guide.md, docs/editors-guide.en.md) as a page of the site, /zh/guide/ and
/en/guide/.

The guide is written to be read on GitHub as well, so its links are relative to the repository: the other
language's guide (``editors-guide.en.md``), or a file such as ``../README.md``. On the site, a link to the other
guide becomes a link to its page, a link to any other file of the repository becomes plain text (the site cannot
know where the repository is published), and a site address written as code (`/zh/quarters/2018-q3/`) becomes a
link where the site has that page. Headings get the ids GitHub gives them, so ``#一每季要交什麼何時交`` links the
same section on both.

Each file starts with a small front matter (``title``, ``updated``): the page's 更新日期 is that ``updated``. The
guide is checked like the entries' Markdown (raw HTML, unsafe links, text that fails to parse); its links to
sections and to files beside it must resolve, and no link may leave the repository. Every problem is reported at
its file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from . import markdown
from ..base.errors import Problems
from ..base.untrusted import is_linked
from .fields import FieldReader
from .sources import bi, parse_yaml, read_text, split_front_matter

GUIDE_FILES = {"zh": "editors-guide.md", "en": "editors-guide.en.md"}
"""The guide's file in ``docs/`` per language; the Chinese one is the original, the English one optional."""
GUIDE_FIELDS = ("title", "updated")
"""The front matter: the page's short title (the browser tab and the breadcrumb) and the date of its content."""
RESERVED_IDS = frozenset({"main", "guide-contents"})
"""Ids the page itself uses (the skip link's target, the table of contents): a heading with the same slug gets a
suffix, as a second heading of the same name does."""
TOC_MIN_SECTIONS = 3
"""A guide with at least this many ``##`` sections gets a table of contents."""

_LOCALHOST = re.compile(r"^http://(?:localhost|127\.0\.0\.1)(?::[0-9]+)?(?:/|$)", re.ASCII)
# GitHub's heading slugs: lower case, punctuation (ASCII and full-width alike) dropped, spaces made hyphens.
_NOT_SLUG = re.compile(r"[^\w\- ]")


@dataclass(frozen=True)
class GuideDoc:
    """One language's guide, read and checked."""

    lang: str
    title: str
    updated: date
    body: str
    """The Markdown after the front matter, starting with its ``#`` heading."""
    body_line: int
    path: Path
    anchors: frozenset[str]
    """The ids of its headings: the fragments a link may point at."""


@dataclass(frozen=True)
class Guide:
    """The guide in Chinese and, where translated, in English."""

    docs: dict[str, GuideDoc]
    root: Path
    """The repository the guide's relative links point into."""

    def doc(self, lang: str) -> GuideDoc:
        """Return the guide shown in ``lang``: the English guide, else the Chinese one standing in for it."""
        return self.docs.get(lang) or self.docs["zh"]

    def is_fallback(self, lang: str) -> bool:
        """Return whether the Chinese guide stands in for a missing translation on the ``lang`` page."""
        return lang not in self.docs


@dataclass(frozen=True)
class GuideParts:
    """A guide rendered for its page: the ``#`` heading and what precedes the first section, the sections' table
    of contents, and the sections."""

    head: Markup
    toc: tuple[tuple[str, str], ...]
    """(id, text) of each ``##`` section; empty for a short guide."""
    body: Markup


def _make_renderer() -> MarkdownIt:
    """Return the site's safe Markdown renderer, with a table wrapped in a scrolling region that keyboards can reach
    and that is named by the heading of its section."""
    md = markdown.make_renderer()

    def table_open(self, tokens: list[Token], idx: int, options, env) -> str:
        label = escape(tokens[idx].meta.get("label", ""))
        return (f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{label}">'
                + self.renderToken(tokens, idx, options, env))

    def table_close(self, tokens: list[Token], idx: int, options, env) -> str:
        return self.renderToken(tokens, idx, options, env) + "</div>\n"

    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    return md


_renderer = _make_renderer()


def load_guide(docs_dir: Path, problems: Problems) -> Guide | None:
    """Return the guide read from ``docs_dir``, or None when there is none (or it has errors, all in ``problems``)."""
    # A linked file or folder is reported by the build (``untrusted.report_links``) and never read.
    paths = {lang: docs_dir / name for lang, name in GUIDE_FILES.items()
             if (docs_dir / name).is_file() and not is_linked(docs_dir / name, docs_dir.parent)}
    if not paths:
        return None
    if "zh" not in paths:
        problems.add(paths["en"], 0, bi("the English guide has no Chinese original", "英文指南沒有對應的中文原文"),
                     bi(f"add docs/{GUIDE_FILES['zh']}, or remove the English file",
                        f"請新增 docs/{GUIDE_FILES['zh']}，或刪除英文檔"), code="E-GUIDE-MISSING")
        return None
    before = len(problems.errors)
    docs = {lang: doc for lang, path in paths.items() if (doc := _read_doc(lang, path, problems)) is not None}
    root = docs_dir.parent
    for doc in docs.values():
        _GuideCheck(doc, root, docs, problems).run(doc.body)
    if len(problems.errors) > before or "zh" not in docs:
        return None
    return Guide(docs, root)


def _read_doc(lang: str, path: Path, problems: Problems) -> GuideDoc | None:
    """Return one guide file with its front matter read, or None after reporting what is wrong with it."""
    text = read_text(path, problems)
    split = split_front_matter(text, path, problems) if text is not None else None
    if split is None:
        return None
    front, body, body_line = split
    fields = FieldReader(path, problems)
    mapping = fields.as_mapping(parse_yaml(front, path, problems, first_line=2), "the front matter", 2, "front matter")
    if mapping is None:
        return None
    fields.check_keys(mapping, GUIDE_FIELDS, "the guide's front matter", "指南的 front matter")
    title, updated = fields.text(mapping, "title"), fields.date(mapping, "updated")
    tokens = _renderer.parse(body, {})
    if not _has_one_title(tokens, body_line, path, problems) or title is None or updated is None:
        return None
    anchors = frozenset(slug for _, _, slug in _headings(tokens))
    return GuideDoc(lang, title, updated, body, body_line, path, anchors)


def _has_one_title(tokens: list[Token], body_line: int, path: Path, problems: Problems) -> bool:
    """Return whether the guide opens with its title as its only ``#`` heading (the page's one h1); else report."""
    titles = [t for t in tokens if t.type == "heading_open" and t.tag == "h1"]
    if len(titles) == 1 and tokens[0] is titles[0]:
        return True
    line = body_line + (titles[1].map[0] if len(titles) > 1 and titles[1].map else 0)
    problems.add(path, line, bi("the guide must open with its title as its one \"# \" heading",
                                "指南須以標題開頭，且只有這一個「# 」標題"),
                 bi("start the text with \"# title\" and use ## and ### for its sections",
                    "請以「# 標題」開頭，各節用 ## 與 ###"), code="E-GUIDE-TITLE")
    return False


def _headings(tokens: list[Token]) -> list[tuple[Token, str, str]]:
    """Return each heading's opening token, text and id, the ids as GitHub makes them (``-1``, ``-2`` for repeats)."""
    seen: dict[str, int] = {}
    found = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = "".join(child.content for child in tokens[index + 1].children or ()
                       if child.type in ("text", "code_inline"))
        base = _NOT_SLUG.sub("", text.strip().lower()).replace(" ", "-") or "section"
        slug, n = base, seen.get(base, 0)
        while slug in RESERVED_IDS or slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen[base], seen[slug] = n, 0
        found.append((token, text, slug))
    return found


def _relative_target(href: str, doc: GuideDoc, root: Path) -> tuple[str | None, str] | None:
    """Return (repository path, fragment) of a link relative to the guide's file, with None as the path where it
    leaves the repository; None for any other link (the web, mail, a site path, a #fragment of the page)."""
    if not href or markdown._SCHEME.match(href) or href.startswith(("/", "#", "\\")):
        return None
    parts = urlsplit(href)
    target = (doc.path.parent / unquote(parts.path)).resolve()
    try:
        return target.relative_to(root.resolve()).as_posix(), unquote(parts.fragment)
    except ValueError:
        return None, unquote(parts.fragment)


def _guide_language(repository_path: str) -> str | None:
    """Return the language whose guide a repository path is, or None."""
    return next((lang for lang, name in GUIDE_FILES.items() if repository_path == f"docs/{name}"), None)


class _GuideCheck(markdown._TextCheck):
    """The entries' Markdown check (the same findings, at the same lines), with the guide's links instead of the
    entries': relative to the repository, and to its sections."""

    def __init__(self, doc: GuideDoc, root: Path, docs: dict[str, GuideDoc], problems: Problems) -> None:
        super().__init__(doc.path, doc.body_line, problems, None)
        self.doc, self.root, self.docs = doc, root, docs

    def link(self, href: str, line: int, image: bool) -> None:
        shown = unquote(href)  # the parser percent-encodes what it reads; editors wrote the characters
        if image:
            self.add(line, bi(f"the guide cannot show the image \"{shown}\" on the site", f"網站上的指南無法顯示圖片「{shown}」"),
                     bi("describe it in words, or show the text it contains", "請以文字說明，或直接寫出圖中的文字"),
                     "E-GUIDE-IMAGE")
            return
        if href.startswith("#"):
            self.fragment(shown, shown[1:], self.doc, line)
            return
        if href.startswith("/"):
            self.add(line, bi(f"link \"{shown}\" starts at a root that GitHub and the site read differently",
                              f"連結「{shown}」從根目錄起算，GitHub 與網站的解讀不同"),
                     bi("link a file of the repository relative to this file (../README.md); write a site address as "
                        "code, `/zh/quarters/`, which the site links",
                        "請以相對於本檔的路徑連結儲存庫中的檔案（../README.md）；網站網址請寫成程式碼 `/zh/quarters/`，網站會自動連結"),
                     "E-GUIDE-LINK")
            return
        relative = _relative_target(href, self.doc, self.root)
        if relative is None:
            if not _LOCALHOST.match(href):  # the preview runs on plain http on the editor's own machine
                super().link(href, line, image)
            return
        path, fragment = relative
        # Only the guide's own folder is checked: other files of the repository are shown as text on the site, and
        # a copy of the project (a test's, a preview's) need not hold them.
        if path is None or (path.startswith("docs/") and not (self.root / path).exists()):
            what = (bi(f"link \"{shown}\" leads out of the repository", f"連結「{shown}」指向儲存庫之外") if path is None
                    else bi(f"link \"{shown}\": there is no such file in the repository", f"連結「{shown}」：儲存庫中沒有這個檔案"))
            self.add(line, what, bi("write the path relative to this file, e.g. editors-guide.en.md or ../README.md",
                                    "請寫相對於本檔的路徑，例如 editors-guide.en.md 或 ../README.md"), "E-GUIDE-LINK")
            return
        lang = _guide_language(path)
        if fragment and lang in self.docs:
            self.fragment(shown, fragment, self.docs[lang], line)

    def fragment(self, href: str, fragment: str, target: GuideDoc, line: int) -> None:
        if fragment not in target.anchors:
            self.add(line, bi(f"link \"{href}\": the guide has no heading #{fragment}",
                              f"連結「{href}」：指南沒有 #{fragment} 這個標題"),
                     markdown.did_you_mean(fragment, target.anchors) or bi(
                         "link to a heading as GitHub does: its text in lower case, punctuation dropped, spaces as -",
                         "請依 GitHub 的寫法連結標題：標題文字，去掉標點，空白改為 -"), "E-GUIDE-LINK")


def render_guide(guide: Guide, lang: str, base: str, site_paths: frozenset[str], urls: dict[str, str]) -> GuideParts:
    """Return the guide of the ``lang`` page rendered: links into the repository made site links or text, site
    addresses written as code (``/zh/agencies/``) linked where the site has the page (``site_paths``, such as
    ``zh/agencies/``, under the site's ``base`` path), and headings given ids; ``urls`` are the guide pages'
    addresses by language."""
    doc = guide.doc(lang)
    env = {"heading_offset": 0}
    tokens = _renderer.parse(doc.body, env)
    headings = _headings(tokens)
    for token, _, slug in headings:
        token.attrSet("id", slug)
    label = ""  # the id of the heading above: a table's scrolling region is named by its section
    for token in tokens:
        if token.type == "heading_open":
            label = str(token.attrGet("id"))
        elif token.type == "table_open":
            token.meta["label"] = label
        elif token.type == "inline" and token.children:
            token.children = _site_links(token.children, doc, guide.root, base, site_paths, urls)
    sections = [(slug, text) for token, text, slug in headings if token.tag == "h2"]
    split = next((i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"), len(tokens))
    render = _renderer.renderer.render
    return GuideParts(Markup(render(tokens[:split], _renderer.options, env)),
                      tuple(sections) if len(sections) >= TOC_MIN_SECTIONS else (),
                      Markup(render(tokens[split:], _renderer.options, env)))


def _site_links(children: list[Token], doc: GuideDoc, root: Path, base: str, site_paths: frozenset[str],
                urls: dict[str, str]) -> list[Token]:
    """Return an inline's tokens with the links the site can follow and without those it cannot."""
    out: list[Token] = []
    kept: list[bool] = []  # for the link open: whether it stays one
    for token in children:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            relative = _relative_target(href, doc, root)
            if relative is not None:
                path, fragment = relative
                lang = _guide_language(path or "")
                if lang is None:
                    kept.append(False)  # a file of the repository: its text stays, as text
                    continue
                token.attrSet("href", urls[lang] + (f"#{fragment}" if fragment else ""))
            kept.append(True)
            out.append(token)
        elif token.type == "link_close":
            if kept.pop():
                out.append(token)
        elif (token.type == "code_inline" and not any(kept) and token.content.startswith("/")
              and token.content[1:] in site_paths):
            link = Token("link_open", "a", 1, attrs={"href": base + token.content[1:]})
            out += [link, token, Token("link_close", "a", -1)]
        else:
            out.append(token)
    return out
