"""The copies of the pages that Pagefind reads: their main content, without what the search ignores, and every Han
character a word of its own.

Pagefind's extended binary segments Chinese with a dictionary and its browser side with the browser's
(``Intl.Segmenter``); where the two cut a term differently the term is not found (智慧財產局 found 1 page of the 132
that have it), and a dictionary word matches pages that only share it (執法 returned 180 pages for 29). So each
Han character is made a word at its own position, with a space on each side, and the search page asks for a term
as the exact phrase of its characters (``static/search.js``), which Pagefind answers from those positions. The
Chinese copies are indexed as a language that Pagefind neither segments nor stems (``INDEXED_AS``): it splits
them at the spaces, which is quicker than its segmenter (docs/search.md).

Pagefind keeps a page's text as its words with a space between them, and the search page shows excerpts from it.
A space the page had beside a Han character is marked with ``SPACE`` at the end of the word before it, so that
the search page puts back only the page's own (``目標四 落實``, ``107年``: ``readable`` in search.js).
"""
from __future__ import annotations

import re
import unicodedata

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""CJK unified ideographs (basic, extensions A to H) and compatibility ideographs: the characters made words."""
SPACE = "\u2063"
"""INVISIBLE SEPARATOR at the end of a word after which the page had a space, where it or the word after is Han:
not a word character to Pagefind, which keeps it in the text and drops it from the word."""
INDEXED_AS = "und"
"""The language the Chinese copies are indexed as: Pagefind segments zh, ja and th with a dictionary."""

_HTML_TAG = re.compile(r"<html\b[^>]*>")
_LANG = re.compile(r'\blang="[^"]*"')
_TAGS = re.compile(r"(<[^>]*>)")
_IS_HAN = re.compile(f"[{HAN}]")
_CUT = "\x00"
"""Stands for a tag in the page's text while it is changed: pages hold no NUL."""
_MARKED = re.compile(f"(?<=[{HAN}])(?={_CUT}*\\s)|(?<=[^\\s{HAN}{_CUT}])(?={_CUT}*\\s[\\s{_CUT}]*[{HAN}])")
"""Where ``SPACE`` goes: after a Han character with a space after it, and after another word with a space and then
a Han character after it, tags (``_CUT``) between or not."""
_APART = re.compile(f"(?=[{HAN}])|(?<=[{HAN}])(?!{SPACE})")
"""Where a space goes: on each side of a Han character, but between it and its ``SPACE``."""
_COMPAT = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
BLOCK_ENDS = ("p", "li", "dt", "dd", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "div", "caption", "blockquote",
              "pre", "address", "figcaption")
"""Elements whose end, like a ``<br>``, parts the words on either side: the copy puts a space there, so that the words
of adjacent cells (a ``<dt>`` and its ``<dd>``) don't run together."""
_BLOCK_END = re.compile(f"</(?:{'|'.join(BLOCK_ENDS)})>|<br>")
_IGNORED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-ignore\b[^>]*>")
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def indexable(html: str, lang: str | None = None) -> str:
    """Return the copy of a page that Pagefind reads: its ``<html>`` tag, its main content and the search's meta
    after it (``_indexed_part``), without the elements marked ``data-pagefind-ignore``, with each Han character of
    its text a word of its own (``_encode_han``). Tags and character references are left as they are. ``lang``, where given,
    replaces the page's language (``INDEXED_AS`` for the Chinese pages)."""
    html = _without_ignored(_indexed_part(html))
    if lang is not None:
        html = _HTML_TAG.sub(lambda tag: _LANG.sub(f'lang="{lang}"', tag.group()), html, count=1)
    return _encode_han(html)


def _indexed_part(html: str) -> str:
    """Return what Pagefind reads of a page: the ``<html>`` tag, and from ``<main>`` (``data-pagefind-body``) to the
    footer, which holds the result's meta. The head, the header's navigation and the footer are left out: Pagefind
    indexes nothing of them. A page not laid out so is whole."""
    opening, start = _HTML_TAG.search(html), html.find("<main ")
    end = html.find("<footer", start)
    if opening is None or start < 0 or end < 0 or "data-pagefind-body" not in html[start:html.find(">", start)]:
        return html
    return f"{opening.group()}<body>{html[start:end]}</body></html>"


def _without_ignored(html: str) -> str:
    """Return ``html`` without the elements marked ``data-pagefind-ignore`` (a breadcrumb, an entry repeated on a
    measure's page), which Pagefind would read and drop: the copies are smaller, and a page whose indexed text is
    the same gives the same copy. An element that holds the search's meta or filters is kept, as Pagefind reads
    those inside ignored elements."""
    parts, at = [], 0
    for found in _IGNORED.finditer(html):
        if found.start() < at:
            continue  # inside an element already left out
        end = _element_end(html, found.group(1).lower(), found.end())
        if end is None or "data-pagefind-meta" in html[found.start():end] or "data-pagefind-filter" in html[found.start():end]:
            continue
        parts.append(html[at:found.start()])
        parts.append(" ")  # the element's edges parted the words beside it
        at = end
    parts.append(html[at:])
    return "".join(parts)


def _element_end(html: str, name: str, start: int) -> int | None:
    """Return where the element named ``name`` whose start tag ends at ``start`` ends, or None if it doesn't."""
    if name in VOID:
        return start
    depth = 1
    for tag in re.compile(rf"<(/?){name}\b[^>]*>", re.I).finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


def _encode_han(html: str) -> str:
    """Return ``html`` with a space on each side of every Han character of its text, ``SPACE`` at the end of a
    word the page had a space after, where it or the word after is Han, and a space after each block that ends, so
    that the words of adjacent cells (a ``<dt>`` and its ``<dd>``) don't run together. Attributes are left as they
    are. Each step is one pass of a regular expression over the page's text, tags cut out."""
    pieces = _TAGS.split(html)  # text, tag, text, ...
    text = _CUT.join(pieces[0::2])
    if _IS_HAN.search(text):  # most English pages have none: the two passes would change nothing, at every character
        if _COMPAT.search(text):
            text = standard_ideographs(text)
        text = _APART.sub(" ", _MARKED.sub(SPACE, text))
        pieces[0::2] = text.split(_CUT)
    return _BLOCK_END.sub("\\g<0> ", "".join(pieces))


def standard_ideographs(text: str) -> str:
    """Return text with each CJK compatibility ideograph (數 U+F969, kept byte-exact where the source has it, as in
    the white paper's responses) as the unified one NFC makes of it (數 U+6578): the one readers type. Pagefind
    finds no phrase with a character on a page that also has the character's compatibility form."""
    return _COMPAT.sub(lambda found: unicodedata.normalize("NFC", found.group()), text)
