"""Search quality and weight on the built site: recall, precision and precision@5 per term, and the bytes a
browser fetches for a first and a second query, asked in headless chromium through the site's own search.

The truth for a term is every page whose indexed text contains it: the page's text inside ``data-pagefind-body``
and outside ``data-pagefind-ignore``, read from the page itself, not from the copy Pagefind reads. A Chinese term counts where it appears as written. An English term counts where its
words appear in order, each word as any form with the same Snowball stem, which is how Pagefind matches English
(a reader asking for "counterfeit" wants "counterfeiting" too). The site is asked through ``window.siteSearch``,
the engine of its search page (static/search.js), and every result is counted, not only the first page of them.

    python bench/search_quality.py                  # builds the shipped content; quality table and bytes
    python bench/search_quality.py --site DIR       # an already built site
    python bench/search_quality.py --baseline       # the same questions to Pagefind indexing the pages itself
    python bench/search_quality.py --synthetic 20   # bytes on a 20-year synthetic archive (bench/synthetic.py)
"""
from __future__ import annotations

import argparse
import functools
import gzip
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actionplan.site.search import pagefind_binary  # noqa: E402
from actionplan.site.search.copies import BLOCK_ENDS, standard_ideographs  # noqa: E402

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
THRESHOLDS = {"zh": {"recall": 1.00, "precision": 0.95}, "en": {"recall": 0.95, "precision": 0.90}}
"""What the search must reach, on average over each language's terms (Chinese recall on every term)."""

SITE_ENGINE = """async ([query]) => {
  const found = await window.siteSearch.search(query);
  const urls = window.benchUrls = window.benchUrls || new Map();  // a page's URL, by Pagefind's id for it
  for (const result of found.results) if (!urls.has(result.id)) urls.set(result.id, (await result.data()).url);
  return found.results.map(result => urls.get(result.id));
}"""
"""The query as the search page runs it: every result's page URL, best first."""

SITE_SHOWS = """async ([query]) => {
  const found = await window.siteSearch.search(query);
  await Promise.all(found.results.slice(0, 10).map(result => result.data()));
}"""
"""What the search page fetches for a query: the results, and the excerpts of the first ten."""

BASELINE_SHOWS = """async ([query]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const found = await pagefind.search(query);
  await Promise.all(found.results.slice(0, 10).map(result => result.data()));
}"""

BASELINE_ENGINE = """async ([query]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const found = await pagefind.search(query);
  const urls = window.benchUrls = window.benchUrls || new Map();
  for (const result of found.results) if (!urls.has(result.id)) urls.set(result.id, (await result.data()).url);
  return found.results.map(result => urls.get(result.id));
}"""
"""Pagefind's own search, as its default interface asks it: the baseline."""

CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
BYTES_QUERIES = {"zh": ("營業秘密", "仿冒"), "en": ("trade secrets", "customs")}


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
        elif tag == "br" and state == (True, False):
            self.parts.append(" ")

    _BLOCKS = set(BLOCK_ENDS)
    """Elements whose end parts the words on either side, as in the copy Pagefind reads (search/copies.py)."""

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS and self.stack and self.stack[-1] == (True, False):
            self.parts.append(" ")
        if tag not in self._VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == (True, False):
            self.parts.append(data)


def indexed_text(html: str) -> str:
    """Return the text Pagefind indexes of a page as a reader sees it: read from the page itself, not from the copy
    Pagefind reads, with compatibility ideographs as readers type them (as the copy has them)."""
    reader = _IndexedText()
    reader.feed(html)
    reader.close()
    return " ".join(standard_ideographs("".join(reader.parts)).split())


def site_path(site: Path, file: Path) -> str:
    rel = file.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def pages_by_language(site: Path) -> dict[str, dict[str, str]]:
    """Return {lang: {url: indexed text}} for every page Pagefind indexes."""
    pages: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
    for lang in pages:
        for file in sorted((site / lang).rglob("*.html")):
            html = file.read_text(encoding="utf-8")
            if "data-pagefind-body" in html:
                pages[lang][site_path(site, file)] = indexed_text(html)
    return pages


@functools.lru_cache(maxsize=None)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=None)
def english_readings(text: str) -> tuple[tuple[str, ...], ...]:
    """Return the Snowball stems of a text's English words, read twice as Pagefind reads a hyphenated word: once
    whole (e-commerce is ecommerce) and once as its parts (cross-border has border)."""
    lower = text.lower()
    joined = re.sub(r"(?<=[a-z0-9])[-'’](?=[a-z0-9])", "", lower)
    return tuple(tuple(_stemmer().stemWords(re.findall(r"[a-z0-9]+", reading))) for reading in (joined, lower))


def contains(text: str, term: str, lang: str) -> bool:
    if lang == "zh":
        return term in text
    wanted = english_readings(term)[0]
    return any(stems[i:i + len(wanted)] == wanted
               for stems in english_readings(text) for i in range(len(stems) - len(wanted) + 1))


@dataclass(frozen=True)
class TermScore:
    term: str
    lang: str
    truth: int
    returned: int
    recall: float
    precision: float
    precision_at_5: float
    exact_first: bool
    """Every returned page that has the term comes before every returned page that lacks it."""


def score(term: str, lang: str, returned: list[str], pages: dict[str, str]) -> TermScore:
    truth = {url for url, text in pages.items() if contains(text, term, lang)}
    hits = [url for url in returned if url in truth]
    top = returned[:5]
    return TermScore(
        term, lang, len(truth), len(returned),
        recall=len(set(hits)) / len(truth) if truth else 1.0,
        precision=len(hits) / len(returned) if returned else (1.0 if not truth else 0.0),
        precision_at_5=sum(url in truth for url in top) / len(top) if top else (1.0 if not truth else 0.0),
        exact_first=all(url in truth for url in returned[:len(hits)]),
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


class ServedSite:
    """The site on a local port, and a headless chromium to ask it with."""

    def __init__(self, site: Path, browser=None) -> None:
        self.site = site
        self.browser = browser  # a running Playwright browser to use (the tests'), else one is started
        self.playwright = None

    def __enter__(self) -> "ServedSite":
        handler = functools.partial(_QuietHandler, directory=str(self.site))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        return self

    def __exit__(self, *exc) -> None:
        if self.playwright is not None:
            self.browser.close()
            self.playwright.stop()
        self.server.shutdown()
        self.server.server_close()

    def ask(self, lang: str, queries: list[str], engine: str = SITE_ENGINE) -> list[list[str]]:
        """Return the result URLs of each query, asked on the search page of ``lang``."""
        page = self.browser.new_page()
        page.goto(f"{self.base}/{lang}/search/")
        answers = [page.evaluate(engine, [query]) for query in queries]
        page.close()
        return answers

    def fetched_bytes(self, lang: str, first: str, second: str, show: str) -> list[dict[str, int]]:
        """Return the bytes the search page fetches to show the first page of results (ten, with their excerpts)
        of a first query and then of a second one, by kind of file: the search code, Pagefind's index, and the
        fragments the excerpts come from."""
        page = self.browser.new_page()
        sizes: list[tuple[str, int]] = []
        page.on("requestfinished", lambda request: sizes.append((request.url, request.sizes()["responseBodySize"])))
        page.goto(f"{self.base}/{lang}/search/")
        page.wait_for_load_state("networkidle")
        sizes.clear()  # the page itself, its stylesheet and search.js: the same for every page view
        measured = []
        for query in (first, second):
            page.evaluate(show, [query])
            # A request's "finished" event can arrive after the script that made it has gone on: wait for quiet.
            counted = -1
            while counted != len(sizes):
                counted = len(sizes)
                page.wait_for_timeout(500)
            measured.append(self._by_kind(sizes))
            sizes.clear()
        page.close()
        return measured

    def _by_kind(self, sizes: list[tuple[str, int]]) -> dict[str, int]:
        kinds = {"code": 0, "code (gzip)": 0, "index": 0, "facets": 0, "fragments": 0, "requests": len(sizes)}
        for url, size in sizes:
            path = url.split(self.base, 1)[-1].split("?")[0]
            if path.endswith((".js", ".pagefind")):
                kinds["code"] += size
                # As a server that compresses scripts and wasm (Netlify does) sends them; Pagefind's index files
                # are compressed already.
                kinds["code (gzip)"] += len(gzip.compress((self.site / path.lstrip("/")).read_bytes(), 6))
            elif "/fragment/" in path:
                kinds["fragments"] += size
            elif "/facets-" in path:
                kinds["facets"] += size
            else:
                kinds["index"] += size
        kinds["total"] = kinds["code"] + kinds["index"] + kinds["facets"] + kinds["fragments"]
        kinds["total (code gzip)"] = kinds["code (gzip)"] + kinds["index"] + kinds["facets"] + kinds["fragments"]
        return kinds


def measure(site: Path, engine: str = SITE_ENGINE, browser=None) -> list[TermScore]:
    """Return the score of every golden term on the built site, asked through ``engine``."""
    pages = pages_by_language(site)
    terms = {"zh": CHINESE_TERMS, "en": ENGLISH_TERMS}
    with ServedSite(site, browser) as served:
        returned = {lang: served.ask(lang, words, engine) for lang, words in terms.items()}
    return [score(term, lang, urls, pages[lang]) for lang in terms for term, urls in zip(terms[lang], returned[lang])]


def summary(scores: list[TermScore], lang: str) -> dict[str, float]:
    """Return the mean recall, precision and precision@5 of one language's terms, and the worst of each."""
    mine = [s for s in scores if s.lang == lang]
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    return {"terms": len(mine), "recall": mean([s.recall for s in mine]), "precision": mean([s.precision for s in mine]),
            "precision_at_5": mean([s.precision_at_5 for s in mine]), "min_recall": min(s.recall for s in mine),
            "min_precision": min(s.precision for s in mine), "exact_first": sum(s.exact_first for s in mine)}


def table(scores: list[TermScore]) -> str:
    lines = [f"{'term':<30} {'lang':<4} {'truth':>5} {'found':>5} {'recall':>6} {'prec':>6} {'p@5':>6}"]
    for s in scores:
        lines.append(f"{s.term:<30} {s.lang:<4} {s.truth:>5} {s.returned:>5} {s.recall:>6.2f} {s.precision:>6.2f} "
                     f"{s.precision_at_5:>6.2f}")
    for lang in ("zh", "en"):
        m = summary(scores, lang)
        lines.append(f"overall {lang}: {m['terms']} terms, recall {m['recall']:.3f} (min {m['min_recall']:.2f}), "
                     f"precision {m['precision']:.3f} (min {m['min_precision']:.2f}), precision@5 {m['precision_at_5']:.3f}, "
                     f"exact matches ranked first for {m['exact_first']} of {m['terms']}")
    return "\n".join(lines)


def bytes_table(site: Path, label: str, show: str = SITE_SHOWS) -> str:
    """Return the bytes fetched by a first and a second query in each language, as a table."""
    facets = sum(f.stat().st_size for f in (site / "pagefind").glob("facets-*.json"))
    facets_note = (f"; the filters' facets-<lang>.json, {facets / 1024 / 2:.0f} KiB a language, come with the first "
                   "filter or sort" if facets else "")
    lines = [f"bytes fetched on {label} ({index_size(site) / 1024:.0f} KiB of index on disk{facets_note})",
             f"{'query':<28} {'requests':>8} {'code':>9} {'code gz':>9} {'index':>9} {'facets':>8} {'fragments':>9} "
             f"{'total':>9} {'total gz':>9}"]
    with ServedSite(site) as served:
        for lang, (first, second) in BYTES_QUERIES.items():
            for name, kinds in zip((f"1st {first}", f"2nd {second}"), served.fetched_bytes(lang, first, second, show)):
                lines.append(f"{lang + ' ' + name:<28} {kinds['requests']:>8} " + " ".join(
                    f"{kinds[k] / 1024:>8.1f}K" for k in ("code", "code (gzip)", "index", "facets", "fragments",
                                                           "total", "total (code gzip)")))
    return "\n".join(lines)


def index_size(site: Path) -> int:
    return sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())


def reindex_as_pagefind_would(site: Path) -> None:
    """Replace the site's index with Pagefind's own, built from the pages as they are: the baseline."""
    shutil.rmtree(site / "pagefind")
    subprocess.run([str(pagefind_binary()), "--site", str(site), "--quiet"], check=True, capture_output=True)


def build_site(root: Path, out: Path) -> Path:
    from actionplan.build.pipeline import Project, build
    from actionplan.build.reuse import Reuse

    build(Project(root), out, reuse=Reuse())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the shipped content)")
    parser.add_argument("--baseline", action="store_true",
                        help="ask Pagefind as it indexes and searches by itself (the numbers before this engine)")
    parser.add_argument("--synthetic", type=int, metavar="YEARS",
                        help="report bytes only, on a synthetic archive of this many years (bench/synthetic.py)")
    args = parser.parse_args()

    show = BASELINE_SHOWS if args.baseline else SITE_SHOWS
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if args.synthetic:
            sys.path.insert(0, str(Path(__file__).parent))
            from synthetic import generate

            counts = generate(Path(tmp) / "archive", args.synthetic)
            build_site(Path(tmp) / "archive", site)
            label = f"a {args.synthetic}-year synthetic archive ({counts['entries']:,} entries, {counts['files']:,} files)"
        elif args.site:
            shutil.copytree(args.site, site)
            label = str(args.site)
        else:
            build_site(ROOT, site)
            label = "the shipped content"
        if args.baseline:
            reindex_as_pagefind_would(site)
            label += ", indexed by Pagefind itself"
        if not args.synthetic:
            print(table(measure(site, BASELINE_ENGINE if args.baseline else SITE_ENGINE)))
            print()
        print(bytes_table(site, label, show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
