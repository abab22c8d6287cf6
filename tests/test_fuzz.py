"""Random and mutated content never crashes the loader: every outcome is a corpus, or problems that name a file,
a line inside it and what is wrong in both languages. Rendered Markdown never carries script or unsafe links.

Each example rewrites one file of a copy of the mini corpus, loads it, and puts the file back. The copy is made
once per module: Hypothesis runs every example inside one call of the test, so a function-scoped fixture such as
``make_site`` would be shared by all of them anyway. Runs are derandomized, so CI sees the same examples every
time. The ``@example`` cases marked "found by fuzzing" crashed the loader or put a line past the end of its file
before the fix named beside them.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actionplan.base.errors import ERROR, WARNING, BuildFailed, Problems
from actionplan.content.markdown import render
from actionplan.content.models import Quarter
from actionplan.build.pipeline import Project, check, load
from actionplan.site.routes import plan_routes
from actionplan.content.sources import parse_yaml, read_source, read_text
from conftest import FIXTURES, ROOT, _project_with, count

FUZZ_EXAMPLES = {
    "random_bytes_entry": 30,
    "random_text_entry": 30,
    "random_front_matter": 50,
    "mutated_file": 100,
    "tricky_scalars": 60,
    "entry_at_its_path": 40,
    "markdown_body": 40,
    "read_source": 200,
    "parse_yaml": 200,
    "render": 300,
}
"""Random examples each Hypothesis test tries; docs/quality-gates.md reports their sum. The explicit @example cases
and the grid of ``GRID_CASES`` (every tricky scalar in every field) come on top."""

CUSTOMS = "outcomes/2024-Q3/2.1.1.customs.md"
"""The entry nothing else refers to: what is written over it cascades into no other file."""
TIPO_EN = "outcomes/2024-Q3/1.1.1.tipo.en.md"
CUSTOMS_EN = "outcomes/2024-Q3/2.1.1.customs.en.md"
"""Not in the mini corpus: written for an example, then removed."""
PLAN = "plans/2024-2026/plan.yaml"
REAL_ENTRY = "outcomes/2018-Q3/1.1.1.ida.md"
"""An imported entry from the shipped content; in the mini corpus its plan is unknown, which is reported."""

ENTRY_TARGETS = (CUSTOMS, TIPO_EN, CUSTOMS_EN)
VALID = {
    **{rel: (FIXTURES / "mini" / rel).read_text(encoding="utf-8")
       for rel in (CUSTOMS, "outcomes/2024-Q3/1.1.1.tipo.md", TIPO_EN, PLAN, "agencies.yaml", "site.yaml")},
    REAL_ENTRY: (ROOT / "content" / REAL_ENTRY).read_text(encoding="utf-8"),
}

# Characters editors' tools really produce, and the ones that break naive readers.
AWKWARD = ("：\u3000\ufeff\u200b\u202e\u2066\ue000\uf8ff\ufffd\r\t\x00\n\x85\u2028\xa0\x1b\x7f"
           "「」（）、。，！？＃＊－＞［］｛｝３．１")
SYNTAX = "-:#'\"{}[]*&!|>%@`,? \n"
characters = st.one_of(
    st.characters(exclude_categories=("Cs",)),
    st.sampled_from(AWKWARD),
    st.sampled_from(SYNTAX),
)
texts = st.text(characters, max_size=200)


def fuzz_settings(name: str) -> settings:
    """Return the settings of one fuzz test: reproducible, no deadline, its own number of examples."""
    return settings(max_examples=FUZZ_EXAMPLES[name], derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow], print_blob=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Return one copy of the mini corpus for the whole module; each example restores what it rewrote."""
    project = _project_with(tmp_path_factory.mktemp("fuzz"), FIXTURES / "mini")
    # Interface strings are the templates' contract, not the loader's: one keeps the file valid and loads fast.
    (project.content / "strings.yaml").write_text("home:\n  zh: 首頁\n  en: Home\n", encoding="utf-8")
    return project


@contextlib.contextmanager
def rewritten(project: Project, files: dict[str, str | bytes]) -> Iterator[None]:
    """Write ``files`` into the project's content for the duration of the block, then put the corpus back."""
    count("fuzz examples tried")
    saved = {}
    for rel, data in files.items():
        target = project.content / rel
        saved[rel] = target.read_bytes() if target.exists() else None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    try:
        yield
    finally:
        for rel, data in saved.items():
            target = project.content / rel
            if data is None:
                target.unlink()
            else:
                target.write_bytes(data)


def lines_in(path: Path) -> int:
    """Return how many lines a text editor shows for a file (CR, LF and CRLF each end a line)."""
    data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data.count(b"\n") + 1


def editor_text(path: Path) -> list[str] | None:
    """Return a file's lines as an editor shows them (a BOM hidden), or None when it is not UTF-8."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def is_bilingual(text: str) -> bool:
    """Return whether a message reads in English and in Chinese."""
    return " | " in text and bool(re.search(r"[A-Za-z]", text)) and bool(re.search(r"[\u3400-\u9fff]", text))


def assert_reported(project: Project, problems: Problems) -> None:
    """Assert every problem is located in a content file, bilingual, and printable."""
    for problem in [*problems.errors, *problems.warnings]:
        assert problem.path.startswith("content/"), problem
        assert problem.line >= 0 and problem.col >= 0, problem
        path = project.root / problem.path
        if path.is_file():
            assert problem.line <= lines_in(path), problem
            text = editor_text(path)
            if problem.col and text is not None:
                assert problem.line and problem.col <= len(text[problem.line - 1]) + 1, problem
        assert is_bilingual(problem.message), problem
        assert not problem.hint or is_bilingual(problem.hint), problem
        assert re.fullmatch(r"[EW]-[A-Z0-9]+(-[A-Z0-9]+)*", problem.code), problem
        assert problem.severity == (WARNING if problem.code.startswith("W-") else ERROR), problem
    assert isinstance(problems.report(), str)


def load_never_crashes(project: Project) -> Problems:
    """Load the corpus and check the outcome: a corpus with no errors, or errors and no corpus."""
    problems = Problems(project.root)
    corpus = load(project, problems)
    assert (corpus is None) == bool(problems)
    assert_reported(project, problems)
    if corpus is not None:
        # A corpus that loads must also be routable: dates and ids are what page paths are made of.
        routing = Problems(project.root)
        plan_routes(corpus, routing)
        assert not routing
    return problems


# (a) random bytes and text as an entry


@fuzz_settings("random_bytes_entry")
@given(target=st.sampled_from(ENTRY_TARGETS), data=st.binary(max_size=400))
@example(target=CUSTOMS, data=b"\xff\xfe-\x00-\x00")  # UTF-16
@example(target=CUSTOMS, data="---\nplan: 經濟部\n---\n".encode("cp950"))  # Big5
def test_random_bytes_as_entry_are_reported_not_raised(project, target, data):
    with rewritten(project, {target: data}):
        try:
            problems = check(project)
        except BuildFailed as err:
            problems = err.problems
            assert err.format_message() == problems.report()
        assert_reported(project, problems)


@fuzz_settings("random_text_entry")
@given(target=st.sampled_from(ENTRY_TARGETS), text=texts)
def test_random_text_as_entry_is_reported_not_raised(project, target, text):
    with rewritten(project, {target: text}):
        load_never_crashes(project)


@fuzz_settings("random_front_matter")
@given(target=st.sampled_from(ENTRY_TARGETS), front=texts, body=texts)
@example(target=CUSTOMS, front="\x07", body="x")  # found by fuzzing: ReaderError escaped (sources.parse_yaml)
def test_random_front_matter_is_reported_not_raised(project, target, front, body):
    with rewritten(project, {target: f"---\n{front}\n---\n{body}"}):
        load_never_crashes(project)


# (b) valid files, mutated

TOKENS = (":", ": ", "#", " #", "-", "- ", "---", "---\n", "...", "\t", "'", '"', "{", "}", "[", "]", "*", "&a ",
          "*a", "!!python/object/apply:os.system ", "!!str ", "!foo ", "? ", "|", ">", "%YAML 1.2\n", "：", "\u3000",
          "\xa0", "\ufeff", "\u200b", "\u202e", "\ue000", "\r", "\r\n", "\x00", "\x07", "\n", "  ", "NO", "1.10",
          "007", "~", "2024-10-14 10:00:00", "<script>", "[x](javascript:alert(1))", "３", "\\", "\\x", "\\u")


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """Return a valid content file's path and its text after one to four random edits."""
    rel = draw(st.sampled_from(sorted(VALID)))
    text = VALID[rel]
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        line = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(("delete", "duplicate", "swap", "insert", "indent", "truncate", "replace")))
        if kind == "delete" and len(lines) > 1:
            del lines[line]
        elif kind == "duplicate":
            lines.insert(line, lines[line])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
        elif kind == "indent":
            stripped = lines[line].lstrip(" ")
            lines[line] = draw(st.sampled_from(("", " ", "   ", "\t", "\u3000", "  \t"))) + stripped
        text = "\n".join(lines)
        position = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:position] + draw(st.sampled_from(TOKENS)) + text[position:]
        elif kind == "truncate":
            text = text[:position]
        elif kind == "replace" and position < len(text):
            text = text[:position] + draw(characters) + text[position + 1:]
    return rel, text


@fuzz_settings("mutated_file")
@given(case=mutated())
# Found by fuzzing: a timestamp beside the Chinese file's date could not be compared (fields: dates only).
@example(case=(TIPO_EN, VALID[TIPO_EN].replace("quarter: 2024-Q3", "quarter: 2024-Q3\nupdated: 2024-10-20 10:00:00")))
@example(case=(CUSTOMS, VALID[CUSTOMS].replace("2024-Q3", "0000-Q1")))
# Found by fuzzing: "no text" pointed one line past a file ending with the closing --- (sources.split_front_matter).
@example(case=(CUSTOMS, VALID[CUSTOMS].split("\n---\n")[0] + "\n---"))
def test_mutated_valid_files_are_reported_not_raised(project, case):
    rel, text = case
    with rewritten(project, {rel: text}):
        load_never_crashes(project)


# (c) YAML scalars of every tricky kind in every front-matter field

GRID_SCALARS = ("NO", "yes", "1.10", "007", "0x1A", "1:30", "1e3", "~", "", "2024-10-14", "2024-13-01",
                "2024-10-14 10:00:00", "113/1/5", "[a, b]", "{zh: x, en: y}", "\n  - a\n  - b", "|\n  block\n  text",
                "!!python/object/apply:os.system [ls]", "&a x", "[unclosed")
"""YAML's own surprises, one of each kind: the grid test puts every one into every field."""
YAML_SCALARS = GRID_SCALARS + (
    "off", "On", "y", "FALSE", "3.1", "010", "0o17", "1_000", ".inf", ".nan", "-1", "0", "null", '""', "2024-02-30",
    "2024-10-14T10:00:00Z", "113-01-05", "0001-01-01", "[]", "{}", "\n  zh: 文字\n  en: text", ">-\n  folded", "!!str 1",
    "!!binary aGk=", "*a", "? x", "- x", '"\\u0000"', '"\\x85"', '"unterminated', "{a: 1, a: 2}", "註: 說明",
    "第1號 #重要", "x\ty",
)
ID_LIKE = ('"3.1.5"', "'tipo'", '"2024-2026"', "2024-Q3", "2024-Q5", "2024-q3", "0000-Q1", "99999-Q1", "2024-Q3 ",
           "２０２４-Q3", "３.１.１", "3.1.1.1", "1.1.1", "99999999999999999999.1.1", "0.0.0", "tipo", "TIPO", "tipo\u200b",
           "customs", "a--b", "-tipo", "..", "../x", "a/b", "CON", "2024-2026", "2018", "9999-0000", "經濟部",
           "「經常辦理」", "9999-12-31", "'it''s'")
"""Values shaped like ids, quarters and names, valid for some fields and not others."""
TRICKY = YAML_SCALARS + ID_LIKE
OUTCOME_FIELDS = ("plan", "measure", "agency", "quarter", "updated", "reported_as", "completion", "remarks", "note")
GRID_CASES = len(OUTCOME_FIELDS) * len(GRID_SCALARS)


def with_fields(text: str, values: dict[str, str]) -> str:
    """Return an entry whose front matter has each field set to the raw YAML given (added if missing)."""
    front, body = text[4:].split("\n---\n", 1)
    lines = front.split("\n")
    for key, raw in values.items():
        line = f"{key}: {raw}" if not raw.startswith("\n") else f"{key}:{raw}"
        index = next((i for i, old in enumerate(lines) if old.startswith(f"{key}:")), None)
        if index is None:
            lines.append(line)
        else:
            lines[index] = line
    return "---\n" + "\n".join(lines) + "\n---\n" + body


scalars = st.one_of(st.sampled_from(TRICKY), st.text(characters, max_size=20))


@fuzz_settings("tricky_scalars")
@given(target=st.sampled_from((CUSTOMS, TIPO_EN)),
       values=st.dictionaries(st.sampled_from((*OUTCOME_FIELDS, "unknown_field")), scalars, min_size=1, max_size=4))
@example(target=TIPO_EN, values={"updated": "2024-10-20 10:00:00"})
@example(target=CUSTOMS, values={"updated": "2024-10-20 10:00:00"})
@example(target=CUSTOMS, values={"quarter": "0000-Q1"})
def test_tricky_scalars_in_entry_fields_are_reported_not_raised(project, target, values):
    with rewritten(project, {target: with_fields(VALID[target], values)}):
        load_never_crashes(project)


@fuzz_settings("entry_at_its_path")
@given(year=st.one_of(st.integers(0, 9999), st.sampled_from((0, 1, 1911, 2024, 2026, 2027, 9999))),
       number=st.integers(1, 4),
       measure=st.sampled_from(("1.1.1", "2.1.1", "1.1.2", "0.0.0", "01.1.1", "99999999999999999999.1.1")),
       agency=st.sampled_from(("tipo", "customs", "ida", "moj", "nobody", "a-b")),
       updated=st.dates(), english=st.booleans())
# Found by fuzzing: year 0000 passed the quarter pattern, then failed as a date (models.QUARTER_PATTERN).
@example(year=0, number=1, measure="2.1.1", agency="customs", updated=date(2024, 10, 15), english=False)
def test_entry_at_the_path_its_fields_name_is_reported_not_raised(project, year, number, measure, agency, updated,
                                                                  english):
    # Placed where its own fields say it belongs, an entry passes the file-name check and reaches the
    # cross-references, the period check and the routes with whatever values it holds.
    quarter = f"{year:04d}-Q{number}"
    rel = f"outcomes/{Quarter(year, number).id}/{measure}.{agency}{'.en' if english else ''}.md"
    text = with_fields(VALID[CUSTOMS], {"measure": f'"{measure}"', "agency": agency, "quarter": quarter,
                                        "updated": updated.isoformat()})
    with rewritten(project, {rel: text}):
        load_never_crashes(project)


def test_every_tricky_scalar_in_every_field_is_reported_not_raised(project):
    # The exhaustive grid behind the random draws above: each tricky value once in each field.
    for key in OUTCOME_FIELDS:
        for raw in GRID_SCALARS:
            with rewritten(project, {CUSTOMS: with_fields(VALID[CUSTOMS], {key: raw})}):
                load_never_crashes(project)


# (d) Markdown bodies

SCHEMES = ("http://", "https://", "HTTPS://", "mailto:", "javascript:", "JaVaScRiPt:", "java\tscript:", " javascript:",
           "\x01javascript:", "javascript&colon;", "&#106;avascript:", "%6Aavascript:", "vbscript:", "data:text/html,",
           "file:///", "ftp://", "//", "\\\\", "/\\", "\\/", "/", "./", "../", "#", "?", "", "mailto", "http:")
words = st.text(st.one_of(st.sampled_from("ab 字。「」*_`<>&\"'()[]!\\"), characters), max_size=12)
target_tails = st.text(st.sampled_from("ab/.:@%()<> \"'\\\t字#?="), max_size=10)
links = st.builds(lambda bang, label, scheme, tail, title: f"{bang}[{label}]({scheme}{tail}{title})",
                  st.sampled_from(("", "!")), words, st.sampled_from(SCHEMES), target_tails,
                  st.sampled_from(("", ' "t"', " 'onclick=x'", ' "a\\" onmouseover=x"')))
autolinks = st.builds(lambda scheme, tail: f"<{scheme}{tail}>", st.sampled_from(SCHEMES), target_tails)
references = st.builds(lambda label, scheme, tail: f"[{label}][r]\n\n[r]: {scheme}{tail}\n",
                       words, st.sampled_from(SCHEMES), target_tails)
HTML = ("<script>alert(1)</script>", "<SCRIPT SRC=//x>", "<img src=x onerror=alert(1)>", "<iframe src=javascript:x>",
        "<span onclick=\"x\">a</span>", "<!-- note -->", "</p>", "<a href='javascript:x'>x</a>", "<svg onload=alert(1)>",
        "<div>\n\nblock\n\n</div>", "<?php x ?>", "<![CDATA[x]]>", "<style>p{}</style>", "<br/>", "&lt;script&gt;",
        "&#60;script&#62;", "<scr<script>ipt>", "< script>", "<a href=\"x\" onfocus=y autofocus>")
inlines = st.one_of(
    words, links, autolinks, st.sampled_from(HTML),
    st.builds(lambda mark, inner: f"{mark}{inner}{mark}", st.sampled_from(("*", "**", "_", "__", "`", "~~")), words),
)
lines_md = st.lists(inlines, max_size=5).map("".join)


def _prefixed(prefix: str, block: str) -> str:
    return "\n".join(prefix + line for line in block.split("\n"))


blocks = st.recursive(
    lines_md,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map("\n\n".join),
        inner.map(lambda b: _prefixed("> ", b)),
        st.builds(lambda marker, b: marker + _prefixed("   ", b)[3:],
                  st.sampled_from(("- ", "* ", "1. ", "１. ", "+ ")), inner),
        st.builds(lambda level, b: "#" * level + " " + b.replace("\n", " "), st.integers(1, 7), inner),
        inner.map(lambda b: f"```\n{b}\n```"),
        inner.map(lambda b: f"| a | b |\n|:--|--:|\n| {b.replace(chr(10), ' ')} | x |"),
        references,
    ),
    max_leaves=12,
)
bodies = st.one_of(
    blocks,
    st.builds(lambda depth, marker, text: marker * depth + text,
              st.integers(0, 40), st.sampled_from(("> ", "- ", "1. ")), words),
)


@fuzz_settings("markdown_body")
@given(body=bodies)
def test_random_markdown_bodies_are_reported_not_raised(project, body):
    with rewritten(project, {CUSTOMS: VALID[CUSTOMS].split("\n---\n")[0] + "\n---\n" + body}):
        load_never_crashes(project)


# The loader's parts on their own: many more examples, since no corpus is involved.


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder for files read on their own, outside any corpus."""
    return tmp_path_factory.mktemp("scratch")


@fuzz_settings("read_source")
@given(suffix=st.sampled_from((".md", ".en.md", ".yaml")),
       data=st.one_of(st.binary(max_size=300), texts.map(str.encode)))
@example(suffix=".yaml", data=b"\x01")  # found by fuzzing: ReaderError escaped (sources.parse_yaml)
# Found by fuzzing: YAML counts U+2028 as a line break, so lines after it were misnumbered (sources.parse_yaml).
@example(suffix=".md", data="---\na: \u2028\u2028\u2028x\nb: [\n---\n".encode())
def test_read_source_reports_instead_of_raising(scratch, suffix, data):
    count("fuzz examples tried")
    path = scratch / f"fuzzed{suffix}"
    path.write_bytes(data)
    problems = Problems(scratch)
    doc = read_source(path, problems)
    assert doc.path == path
    if doc.unreadable:
        assert problems.errors
    if read_text(path, Problems(scratch)) is None:
        assert doc.unreadable and doc.data is None
    for problem in [*problems.errors, *problems.warnings]:
        assert problem.path == path.name and 0 <= problem.line <= lines_in(path), problem
        assert is_bilingual(problem.message), problem


@fuzz_settings("parse_yaml")
@given(text=st.one_of(texts, mutated().map(lambda case: case[1])), first_line=st.integers(1, 40))
@example(text="\x07", first_line=1)  # found by fuzzing: ReaderError escaped
@example(text="a: \x85", first_line=2)
@example(text="a: \u2028\u2028\u2028x\nb: [", first_line=1)  # found by fuzzing: line 5 of a 2-line text
@example(text="0:\n0", first_line=1)  # found by fuzzing: libyaml's end-of-text mark is on a line of its own
def test_parse_yaml_reports_instead_of_raising(text, first_line):
    count("fuzz examples tried")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as read_text hands it over
    problems = Problems()
    parse_yaml(text, Path("fuzzed.yaml"), problems, first_line=first_line)
    for problem in [*problems.errors, *problems.warnings]:
        # Line numbers are the editor's: only LF ends a line, whatever else YAML counts as a break.
        assert first_line <= problem.line <= first_line + text.count("\n"), problem
        assert is_bilingual(problem.message), problem


# The renderer: whatever the text, nothing executable reaches the page.

RENDERED_TAGS = {"p", "em", "strong", "a", "img", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
                 "code", "pre", "hr", "br", "table", "thead", "tbody", "tr", "th", "td"}
RENDERED_ATTRIBUTES = {"href", "src", "alt", "title", "start", "class"}
"""No ``style``: the site's Content-Security-Policy allows no inline style, so aligned table cells get a class."""


class _Tags(HTMLParser):
    """Collects the start tags of an HTML fragment with their attributes, entities decoded as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def is_safe_target(url: str) -> bool:
    """Return whether a browser would open ``url`` over http(s), mailto or within the site (independent of the code)."""
    # Browsers drop tabs and newlines anywhere in a URL and leading control characters and spaces.
    url = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    if re.match(r"[/\\]{2}", url):
        return False
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


@fuzz_settings("render")
@given(text=st.one_of(bodies, texts), offset=st.integers(0, 3))
@example(text="[x](javascript:alert(1)) <script>x</script> <img src=x onerror=y>", offset=0)
@example(text="[x](//evil.example) ![y](/\\evil) <java\tscript:x>", offset=1)
def test_rendered_markdown_has_no_script_handlers_or_unsafe_links(text, offset):
    count("fuzz examples tried")
    html = render(text, heading_offset=offset)
    assert "<script" not in html.lower()
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in RENDERED_TAGS, (tag, html)
        for name, value in attrs:
            assert name in RENDERED_ATTRIBUTES and not name.startswith("on"), (tag, name, html)
            if name in ("href", "src"):
                assert is_safe_target(value or ""), (value, html)
            if name == "class":
                assert re.fullmatch(r"align-(left|right|center)|language-\S+", value or ""), (value, html)


def test_fuzz_corpus_is_valid_before_mutation(project):
    # The mutations start from files that load cleanly; otherwise they would test nothing beyond the first error.
    assert not load_never_crashes(project)
