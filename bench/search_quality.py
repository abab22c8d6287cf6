"""Search quality on the built site: recall, precision and precision@5 per term, queried in headless chromium.

The truth for a term is every page whose indexed text (what Pagefind indexes: the ``data-pagefind-body`` element
minus ``data-pagefind-ignore`` parts) contains it — a Chinese term as a substring, an English term as whole
words, case-insensitively. The site is asked through its own search bundle, in the page's language, the way the
search page asks it (``ENGINE``), and every result is counted, not only the first page of them.

    python bench/search_quality.py            # builds the shipped content, prints the table
    python bench/search_quality.py --site DIR # an already built site
    python bench/search_quality.py --engine han-phrase  # the candidate engine of han_phrase_engine.js
"""
from __future__ import annotations

import argparse
import functools
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Terms readers type, each found in the shipped content: IP vocabulary, agencies, enforcement, units of figures.
CHINESE_TERMS = [
    "營業秘密", "仿冒", "邊境", "電腦伴唱機", "查緝", "原住民族", "著作權", "專利", "商標", "盜版", "光碟", "侵權",
    "海關", "網路", "宣導", "講習", "教育訓練", "校園", "智慧財產法院", "檢察署", "警政署", "保二總隊",
    "關務署", "智慧財產局", "經濟部", "文化部", "教育部", "法務部", "調查局", "國際交流", "美國", "執法", "起訴",
    "新臺幣", "億元", "查獲", "光碟小組", "著作權法", "數位", "機上盒", "服務團", "研討會", "案件", "移送", "侵害",
    "聯合查緝", "網路侵權", "數位匯流", "仿冒品", "盜版品", "智慧財產權", "臺美", "海外", "研發", "授權",
]
ENGLISH_TERMS = [
    "trade secrets", "customs", "counterfeit", "piracy", "patent", "trademark", "copyright", "border", "seizure",
    "enforcement", "police", "prosecutors", "Intellectual Property Office", "training", "indigenous", "campus",
    "online", "investigation", "counterfeit goods", "awareness", "APEC", "licensing", "e-commerce",
]

ENGINE = """async ([query, lang]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(query);
  const urls = [];
  for (const result of search.results) urls.push((await result.data()).url);
  return urls;
}"""
"""The query as the search page runs it: every result's page URL, best first."""

CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_BREAK = re.compile(rf"(?<=[{HAN}])(?=[^\s{HAN}<])|(?<=[^\s>])(?=[{HAN}])")
_TAG = re.compile(r"(<[^>]*>)")


def han_words(html: str) -> str:
    """Return the page with a zero-width space on each side of every Han character in its text (not its tags)."""
    parts = _TAG.split(html)
    return "".join(part if i % 2 else _HAN_BREAK.sub("\u200b", part) for i, part in enumerate(parts))


def reindex_with_han_words(site: Path) -> None:
    """Replace the site's search index with one built from copies of its pages made by ``han_words``."""
    from actionplan.search import pagefind_binary

    with tempfile.TemporaryDirectory() as tmp:
        for file in site.rglob("*.html"):
            copy = Path(tmp) / file.relative_to(site)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(han_words(file.read_text(encoding="utf-8")), encoding="utf-8")
        shutil.rmtree(site / "pagefind")
        subprocess.run([str(pagefind_binary()), "--site", tmp, "--output-path", str(site / "pagefind"), "--quiet"],
                       check=True, capture_output=True)


class _IndexedText(HTMLParser):
    """Collects the text Pagefind indexes: inside data-pagefind-body, outside data-pagefind-ignore."""

    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[bool, bool]] = []  # (inside body, ignored) per open element
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        body, ignored = self.stack[-1] if self.stack else (False, False)
        state = (body or "data-pagefind-body" in names, ignored or "data-pagefind-ignore" in names)
        if tag not in self._VOID:
            self.stack.append(state)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == (True, False):
            self.parts.append(data)


def indexed_text(html: str) -> str:
    reader = _IndexedText()
    reader.feed(html)
    reader.close()
    return " ".join("".join(reader.parts).split())


def pages_by_language(site: Path) -> dict[str, dict[str, str]]:
    """Return {lang: {url: indexed text}} for every page Pagefind indexes."""
    pages: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
    for lang in pages:
        for file in sorted((site / lang).rglob("*.html")):
            html = file.read_text(encoding="utf-8")
            if "data-pagefind-body" not in html:
                continue
            rel = file.relative_to(site).as_posix()
            url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
            pages[lang][url] = indexed_text(html)
    return pages


def contains(text: str, term: str, lang: str) -> bool:
    if lang == "zh":
        return term in text
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9])", text, re.IGNORECASE) is not None


@dataclass(frozen=True)
class TermScore:
    term: str
    lang: str
    truth: int
    returned: int
    recall: float
    precision: float
    precision_at_5: float


def score(term: str, lang: str, returned: list[str], pages: dict[str, str]) -> TermScore:
    truth = {url for url, text in pages.items() if contains(text, term, lang)}
    hits = [url for url in returned if url in truth]
    top = returned[:5]
    return TermScore(
        term, lang, len(truth), len(returned),
        recall=len(set(hits)) / len(truth) if truth else 1.0,
        precision=len(hits) / len(returned) if returned else (1.0 if not truth else 0.0),
        precision_at_5=sum(url in truth for url in top) / len(top) if top else (1.0 if not truth else 0.0),
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


def run_queries(site: Path, terms: dict[str, list[str]], engine: str) -> dict[str, list[list[str]]]:
    """Serve the site and ask its search for every term, in a page of the term's language."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results: dict[str, list[list[str]]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            for lang, words in terms.items():
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/{lang}/search/")
                results[lang] = [page.evaluate(engine, [word, lang]) for word in words]
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def measure(site: Path, engine: str = ENGINE) -> list[TermScore]:
    """Return the score of every golden term on the built site, asked through ``engine``."""
    pages = pages_by_language(site)
    terms = {"zh": CHINESE_TERMS, "en": ENGLISH_TERMS}
    returned = run_queries(site, terms, engine)
    return [score(term, lang, urls, pages[lang]) for lang in terms for term, urls in zip(terms[lang], returned[lang])]


def summary(scores: list[TermScore], lang: str) -> dict[str, float]:
    """Return the mean recall, precision and precision@5 of one language's terms, and the worst recall."""
    mine = [s for s in scores if s.lang == lang]
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    return {"terms": len(mine), "recall": mean([s.recall for s in mine]), "precision": mean([s.precision for s in mine]),
            "precision_at_5": mean([s.precision_at_5 for s in mine]), "min_recall": min(s.recall for s in mine),
            "min_precision": min(s.precision for s in mine)}


def table(scores: list[TermScore]) -> str:
    lines = [f"{'term':<30} {'lang':<4} {'truth':>5} {'found':>5} {'recall':>6} {'prec':>6} {'p@5':>6}"]
    for s in scores:
        lines.append(f"{s.term:<30} {s.lang:<4} {s.truth:>5} {s.returned:>5} {s.recall:>6.2f} {s.precision:>6.2f} "
                     f"{s.precision_at_5:>6.2f}")
    for lang in ("zh", "en"):
        m = summary(scores, lang)
        lines.append(f"overall {lang}: {m['terms']} terms, recall {m['recall']:.3f} (min {m['min_recall']:.2f}), "
                     f"precision {m['precision']:.3f} (min {m['min_precision']:.2f}), precision@5 {m['precision_at_5']:.3f}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the shipped content)")
    parser.add_argument("--engine", choices=("site", "han-phrase"), default="site",
                        help="site: the search as shipped; han-phrase: han_phrase_engine.js on a Han-word index")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from actionplan.pipeline import Project, build

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if args.site:
            shutil.copytree(args.site, site)
        else:
            build(Project(ROOT), site)
        engine = ENGINE
        if args.engine == "han-phrase":
            reindex_with_han_words(site)
            engine = (Path(__file__).parent / "han_phrase_engine.js").read_text(encoding="utf-8")
        print(table(measure(site, engine)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
