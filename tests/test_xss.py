"""Script injection, every way editors' content can carry it: refused by `check` at its line, or published inert.

Markdown is refused, never quietly defused: a payload in an entry's text, in a plan chapter or in site.yaml's
about/privacy/open-data texts is an error at its `path:line`. Plain text values (entry remarks, plan titles, agency
names, site.yaml texts) cannot be refused for their characters, so one site is built with a payload in every one
of them, and every page is parsed to show that none became markup: no script but the site's own, no event
handler, no dangerous link, and each payload visible as the text the editor typed.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from actionplan.content.markdown import render
from actionplan.build.pipeline import build
from actionplan.build.reuse import Reuse
from conftest import FIXTURES, ROOT, _project_with
from diagnostics import expect, run_check
from mini import BODY, CUSTOMS, CUSTOMS_PATH, PLAN, TIPO_EN, entry, fixture_text, line_in as line_of, quoted

_DANGEROUS_URL = re.compile(r"^(?:javascript|vbscript|data|file):|^[/\\]{2}|^/\\", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "cite", "background", "xlink:href"}
_FOREIGN_ELEMENTS = {"img", "svg", "iframe", "object", "embed", "math", "style", "base", "frame", "frameset"}
# /admin/ is the editors' form, Decap CMS, whose scripts are the site's own (tests/test_admin.py).
_OWN_SCRIPTS = re.compile(r"^/(?:pagefind/pagefind-ui\.js|assets/search\.js\?v=[0-9a-f]+|"
                          r"admin/(?:manual-init|decap-cms|outcome-files)\.js)$")


# 1. Markdown: refused at its line


MARKDOWN_PAYLOADS = {
    "script-block": ("<script>alert(1)</script>", "E-MD-HTML"),
    "script-inline": ("段落 <script>alert(1)</script> 後文", "E-MD-HTML"),
    "script-upper-case": ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "E-MD-HTML"),
    "img-onerror": ('<img src=x onerror="alert(1)">', "E-MD-HTML"),
    "svg-onload": ("<svg onload=alert(1)>", "E-MD-HTML"),
    "a-javascript": ('<a href="javascript:alert(1)">x</a>', "E-MD-HTML"),
    "html-comment": ("<!-- <script>alert(1)</script> -->", "E-MD-HTML"),
    "javascript": ("[x](javascript:alert(1))", "E-MD-LINK-SCHEME"),
    "mixed-case": ("[x](JaVaScRiPt:alert(1))", "E-MD-LINK-SCHEME"),
    "tab-inside": ("[x](<java\tscript:alert(1)>)", "E-MD-LINK-SCHEME"),
    "tab-entity": ("[x](jav&#x09;ascript:alert(1))", "E-MD-LINK-SCHEME"),
    "decimal-entity": ("[x](&#106;avascript:alert(1))", "E-MD-LINK-SCHEME"),
    "hex-entity": ("[x](&#x6A;avascript:alert(1))", "E-MD-LINK-SCHEME"),
    "percent-encoded": ("[x](%6Aavascript:alert(1))", "E-MD-LINK-SCHEME"),
    "leading-space-entity": ("[x](&#x20;javascript:alert(1))", "E-MD-LINK-SCHEME"),
    "leading-spaces": ("[x](   javascript:alert(1))", "E-MD-LINK-SCHEME"),
    "leading-control-in-brackets": ("[x](<\x01javascript:alert(1)>)", "E-MD-LINK-SCHEME"),
    "leading-control": ("[x](\x01javascript:alert(1))", "E-CHAR-CONTROL"),
    "data": ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "E-MD-LINK-SCHEME"),
    "data-upper-case": ("[x](DATA:text/html,alert)", "E-MD-LINK-SCHEME"),
    "vbscript": ("[x](vbscript:msgbox(1))", "E-MD-LINK-SCHEME"),
    "vbscript-mixed-case": ("[x](VBScript:msgbox(1))", "E-MD-LINK-SCHEME"),
    "autolink": ("<javascript:alert(1)>", "E-MD-LINK-SCHEME"),
    "autolink-data": ("<data:text/html,alert(1)>", "E-MD-LINK-SCHEME"),
    "image": ("![圖](javascript:alert(1))", "E-MD-LINK-SCHEME"),
    "image-data-svg": ("![圖](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "E-MD-LINK-SCHEME"),
    "reference-use": ("[x][a]\n\n[a]: javascript:alert(1)", "E-MD-LINK-SCHEME"),
    "protocol-relative": ("[x](//evil.example)", "E-MD-LINK-SCHEME"),
    "backslashes": ("[x](\\\\\\\\evil.example)", "E-MD-LINK-SCHEME"),
    "slash-backslash": ("[x](/\\evil.example)", "E-MD-LINK-SCHEME"),
    "title-attribute-break-out": ('[x](https://example.com "a\\" onmouseover=\\"alert(1)")', None),
}


@pytest.mark.parametrize("body, code", MARKDOWN_PAYLOADS.values(), ids=MARKDOWN_PAYLOADS.keys())
def test_markdown_payload_in_an_entry_is_refused_at_its_line(make_site, body, code):
    run = run_check(make_site({CUSTOMS: entry("本季成果如下。\n\n" + body)}))
    if code is None:  # not a payload once parsed: the title stays inside its attribute, escaped
        assert run.exit_code == 0 and run.problems == [], run.output
        assert 'title="a&quot; onmouseover=&quot;alert(1)"' in render(body)
        return
    expect(run, code, CUSTOMS_PATH, BODY + 2)


def test_reference_definition_payload_is_refused_at_the_definition(make_site):
    run = run_check(make_site({CUSTOMS: entry("本季成果如下。\n\n[a]: JaVaScRiPt:alert(1)")}))
    expect(run, "E-MD-LINK-SCHEME", CUSTOMS_PATH, BODY + 2)


@pytest.mark.parametrize("body, code", MARKDOWN_PAYLOADS.values(), ids=MARKDOWN_PAYLOADS.keys())
def test_markdown_payload_is_shown_as_text_never_dropped_by_the_renderer(body, code):
    # `check` refuses these before anything is published; the renderer is the second net, and it neither drops
    # the payload nor lets it become markup.
    html = render(body)
    page = _parse(html)
    assert not page.scripts and not page.handlers and not page.dangerous_urls and not page.foreign, html
    assert code is None or ("alert" in page.text or "msgbox" in page.text or "evil.example" in page.text or "PHN" in page.text), html


def test_markdown_payload_in_the_english_file_is_refused_there(make_site):
    english = fixture_text(TIPO_EN) + "\n[details](javascript:alert(1))\n"
    run = run_check(make_site({TIPO_EN: english}))
    expect(run, "E-MD-LINK-SCHEME", "content/" + TIPO_EN, line_of(english, "[details]"))


@pytest.mark.parametrize("rel, anchor, payload, code", [
    (PLAN, "  zh: |\n    一、各機關", "<img src=x onerror=alert(1)>", "E-MD-HTML"),
    ("site.yaml", "about:\n  zh: |\n", "[關於](javascript:alert(1))", "E-MD-LINK-SCHEME"),
    ("site.yaml", "privacy:\n  zh: |\n", "<svg onload=alert(1)>", "E-MD-HTML"),
    ("site.yaml", "open_data:\n  zh: |\n", "[資料](//evil.example/)", "E-MD-LINK-SCHEME"),
], ids=["plan-tracking", "site-about", "site-privacy", "site-open-data"])
def test_markdown_payload_in_a_yaml_text_is_refused_at_its_line(make_site, rel, anchor, payload, code):
    text = fixture_text(rel)
    text = text.replace(anchor, f"{anchor}    {payload}\n\n", 1) if anchor.endswith("\n") else \
        text.replace(anchor, anchor.replace("    ", f"    {payload}\n\n    ", 1), 1)
    run = run_check(make_site({rel: text}))
    expect(run, code, "content/" + rel, line_of(text, payload))


# The site.yaml values that become URLs (base_path, base_url, email) are refused with script and scheme payloads in
# test_bad_inputs_markdown.py, case 32.


# 2. Plain text values: one site with a payload in every one, published inert


PAYLOADS = {
    "remarks": '<script>alert("remarks")</script>',
    "completion": '"><img src=x onerror=alert("completion")>',
    "note": 'javascript:alert("note")',
    "reported_as": '<svg onload=alert("reported_as")>',
    "en_remarks": "' onmouseover='alert(\"en_remarks\")",
    "en_note": '<iframe src="javascript:alert(\'en_note\')">',
    "plan_title": '</title><script>alert("plan_title")</script>',
    "plan_en_title": '" onfocus="alert(\'plan_en_title\')" autofocus x="',
    "edition": "<style>body{display:none}</style>",
    "source": "<a href=javascript:alert('source')>source</a>",
    "vision": "<base href=//evil.example/>",
    "goal": '<script src="//evil.example/goal.js"></script>',
    "strategy": "<object data=javascript:alert('strategy')>",
    "measure": '"><svg/onload=alert("measure")>',
    "measure_en": "<math><mtext><script>alert('measure_en')</script>",
    "schedule": "&lt;script&gt;alert('schedule')&lt;/script&gt;",
    "measure_note": "<img src=x onerror=alert('measure_note')>",
    "agency_zh": '<script>alert("agency_zh")</script>',
    "agency_en": '" onclick="alert(\'agency_en\')',
    "agency_abbr": "<b onmouseover=alert('abbr')>A</b>",
    "former_zh": "<svg onload=alert('former_zh')>",
    "former_en": "<embed src=javascript:alert('former_en')>",
    "former_zh_only": "<i onclick=alert('former_zh_only')>舊名</i>",
    "site_title": '</title><script>alert("site_title")</script>',
    "site_short_title": "<img src=x onerror=alert('short_title')>",
    "publisher": '"><script>alert("publisher")</script>',
    "address": "<a href='//evil.example'>address</a>",
    "phone": "<script>alert('phone')</script>",
    "translation_note": "<svg><script>alert('translation_note')</script></svg>",
}


def _payload_files() -> dict[str, str]:
    """Return the mini corpus's files with a payload in every plain text value that is published."""
    p = {key: quoted(value) for key, value in PAYLOADS.items()}
    plan = (fixture_text(PLAN)
            .replace("  zh: 貫徹保護智慧財產權行動方案\n  en: Action Programme for the Thorough Protection of Intellectual Property Rights",
                     f"  zh: {p['plan_title']}\n  en: {p['plan_en_title']}")
            .replace("  zh: 民國113年至115年版", f"  zh: {p['edition']}")
            .replace("  zh: 測試用方案", f"  zh: {p['source']}")
            .replace("updated: 2024-01-02\n", f"updated: 2024-01-02\nvision:\n  zh: {p['vision']}\n")
            .replace("      zh: 落實邊境管制\n", f"      zh: {p['goal']}\n")
            .replace("          zh: 落實邊境管制，加強智慧財產權保護。", f"          zh: {p['strategy']}")
            .replace("              zh: 加強商標權、著作權及專利權物品邊境管制作業。", f"              zh: {p['measure']}")
            .replace("              en: Help industry strengthen R&D and IP management.", f"              en: {p['measure_en']}")
            .replace("schedule: {zh: 經常辦理}", f"schedule: {{zh: {p['schedule']}}}\n            note: {{zh: {p['measure_note']}}}"))
    agencies = fixture_text("agencies.yaml") + (
        f"  - id: evil\n    zh: {p['agency_zh']}\n    en: {p['agency_en']}\n    abbr: {p['agency_abbr']}\n"
        f"    former_names:\n      - zh: {p['former_zh']}\n        en: {p['former_en']}\n        renamed_on: 2024-03-01\n"
        f"      - zh: {p['former_zh_only']}\n        renamed_on: 2024-08-01\n")
    # An entry filed under the Chinese-only former name, so that English pages show that name in its own lang.
    filed_as = entry("本季無新進度", note="測試").replace("agency: customs", "agency: evil") \
        .replace("quarter: 2024-Q3", "quarter: 2024-Q2")
    site = (fixture_text("site.yaml")
            .replace('  zh: 貫徹保護智慧財產權行動方案執行成效\n', f"  zh: {p['site_title']}\n")
            .replace("  zh: 保護智慧財產權行動方案\n", f"  zh: {p['site_short_title']}\n")
            .replace("  zh: 經濟部智慧財產局\n", f"  zh: {p['publisher']}\n")
            .replace("  zh: 106213 臺北市大安區辛亥路2段185號3樓\n", f"  zh: {p['address']}\n")
            .replace('phone: "(02)2738-0007"', f"phone: {p['phone']}")
            .replace("  zh: 英文內容為本站參考譯文，以中文為準。\n", f"  zh: {p['translation_note']}\n"))
    english = fixture_text(TIPO_EN).replace("completion: Ongoing\n",
                                            f"completion: Ongoing\nremarks: {p['en_remarks']}\nnote: {p['en_note']}\n")
    chinese = fixture_text("outcomes/2024-Q3/1.1.1.tipo.md").replace(
        "remarks: 另見第2季\n", "remarks: 另見第2季\nnote: 測試\n")
    customs = entry("本季查扣侵權物品 1,234 件。", remarks=p["remarks"], completion=p["completion"], note=p["note"],
                    reported_as=p["reported_as"])
    return {PLAN: plan, "agencies.yaml": agencies, "site.yaml": site, TIPO_EN: english, CUSTOMS: customs,
            "outcomes/2024-Q3/1.1.1.tipo.md": chinese, "outcomes/2024-Q2/2.1.1.evil.md": filed_as}


class _Page(HTMLParser):
    """What a page would run or load: scripts, event handlers, URLs, foreign elements; and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self.dangerous_urls: list[tuple[str, str]] = []
        self.foreign: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag in _FOREIGN_ELEMENTS:
            self.foreign.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append((tag, name))
            # Browsers skip white space and control characters before a scheme.
            bare = "".join(ch for ch in (value or "") if ch > " ")
            if name in _URL_ATTRIBUTES and _DANGEROUS_URL.match(bare):
                self.dangerous_urls.append((tag, value))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> dict[str, tuple[str, _Page]]:
    """Return every page of the site built from content with a payload in every text value, raw and parsed."""
    root = tmp_path_factory.mktemp("payloads")
    project = _project_with(root, FIXTURES / "mini")
    for rel, text in _payload_files().items():
        (project.content / rel).write_text(text, encoding="utf-8")
    build(project, root / "site", search=False, reuse=Reuse())
    pages = {}
    for path in sorted((root / "site").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        pages[path.relative_to(root / "site").as_posix()] = (html, _parse(html))
    return pages


def test_text_payloads_pass_check_so_they_are_published(make_site):
    run = run_check(make_site(_payload_files()))
    assert run.exit_code == 0, run.output


def test_no_script_but_the_sites_own(payload_site):
    for name, (_, page) in payload_site.items():
        for script in page.scripts:
            assert _OWN_SCRIPTS.match(script.get("src", "")), f"{name}: {script}"
    assert [name for name, (_, page) in payload_site.items()
            if page.scripts and not name.startswith("admin/")] == ["en/search/index.html", "zh/search/index.html"]


def test_no_event_handler_attribute_anywhere(payload_site):
    assert [(name, page.handlers) for name, (_, page) in payload_site.items() if page.handlers] == []


def test_no_dangerous_url_in_any_href_or_src(payload_site):
    assert [(name, page.dangerous_urls) for name, (_, page) in payload_site.items() if page.dangerous_urls] == []


def test_no_element_the_site_does_not_write_itself(payload_site):
    assert [(name, page.foreign) for name, (_, page) in payload_site.items() if page.foreign] == []


def test_the_sites_own_markup_is_never_shown_as_text(payload_site):
    # A helper's markup (a Chinese name's <span lang>) put through a plain-text format string would be escaped.
    assert [name for name, (_, page) in payload_site.items() if '<span lang="' in page.text] == []
    assert "<span lang=\"zh-Hant-TW\"><i onclick" not in payload_site["en/agencies/evil/index.html"][0]
    assert '<span lang="zh-Hant-TW">&lt;i onclick' in payload_site["en/agencies/evil/index.html"][0]


@pytest.mark.parametrize("key", PAYLOADS)
def test_payload_is_published_as_the_text_the_editor_typed(payload_site, key):
    payload = PAYLOADS[key]
    shown = [name for name, (_, page) in payload_site.items() if payload in page.text]
    assert shown, f"{key} appears on no page as text"
    raw = [name for name, (html, _) in payload_site.items() if payload in html and re.search(r"[<>\"']", payload)]
    assert raw == [], f"{key} is in the HTML unescaped"


# 3. Templates: no content value reaches a URL attribute unchecked


# Each expression a template may put into a URL attribute, and why it is safe: page URLs are built from the base
# path (checked: a plain folder path) and ids (checked: lowercase ASCII, numbers); the e-mail address is checked
# as one; the root redirect's target is the base path; a section of the guide is a #fragment of letters, digits
# and hyphens that actionplan/content/guide.py makes from its heading. An entry's address (h.entry_url, h.entry_page) is
# h.url of its quarter's goal page with its anchor; a measure number (group[0].measure) is digits and dots. A white
# paper's recommendation anchor (rec.anchor, recommendation.anchor) is rec- and its numbers, which the loader reads
# as integers. A document section's anchor (s.anchor) is made by actionplan/content/documents.py of s-, digits,
# hyphens and a few fixed words. The data files' addresses (h.feed, h.entries_csv, h.file) are the base path and page
# keys, or a dataset's declared name (d.name: lower-case ASCII and hyphens, in code), with a fixed folder and
# extension; the licence's is a constant.
_SAFE_URL_VALUES = ("h.url(", "h.asset(", "site.base_path", "o.anchor", "goal.number", "strategy.id", "site.email",
                    "target", "group.agency.id", "section_id", "h.entry_url(", "h.entry_page(", "group[0].measure",
                    "rec.anchor", "recommendation.anchor", "s.anchor",
                    # A quarter's table files: paths made of its slug and an edition's id (site/table_files.py).
                    "files.odt", "files.docx",
                    "h.feed(", "h.entries_csv(", "h.file(", "d.name", "registration.licence_url")


def test_every_template_url_attribute_holds_only_checked_values():
    unchecked = []
    for template in sorted((ROOT / "templates").glob("*.html")):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle=", text), f"{template.name} sets a style attribute"
        for attribute in re.finditer(r"\s(href|src|action|formaction|srcset|poster)=\"([^\"]*)\"", text):
            for expression in re.findall(r"\{\{\s*(.*?)\s*\}\}", attribute.group(2)):
                if not expression.startswith(_SAFE_URL_VALUES):
                    unchecked.append(f"{template.name}: {attribute.group(0).strip()}")
    assert unchecked == []
