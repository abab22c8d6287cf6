"""The tracking report page of a quarter (列管追蹤, /zh/quarters/2018-q3/tracking/): the figures `build.py status`
prints, read back from the built page and compared with ``tracking_report``, row by row, in both languages."""
from __future__ import annotations

import gzip
import json
import textwrap
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from actionplan.base.errors import Problems
from actionplan.content.i18n import date_label
from actionplan.content.models import Quarter
from actionplan.build.pipeline import Project, build, load
from actionplan.build.reuse import Reuse
from actionplan.site.routes import page_path
from actionplan.content.tracking import due_date, tracking_report
from conftest import ROOT
from htmlpage import read_page

Q3_2018 = Quarter(2018, 3)
ROLE = {"zh": {"lead": "主辦", "co": "協辦", "extra": "未列名"}, "en": {"lead": "Lead", "co": "Co-agency", "extra": "Not listed"}}
STATE = {"zh": {"reported": "已填報", "no_progress": "本季無新進度", "missing": "未填報"},
         "en": {"reported": "Reported", "no_progress": "No progress", "missing": "Missing"}}
MAX_GZIPPED = 60 * 1024


@dataclass
class Cell:
    tag: str
    attrs: dict
    text: str = ""
    hrefs: list[str] = field(default_factory=list)
    strong: bool = False


@dataclass
class Table:
    section: str
    """The id of the heading the table stands under (``agency-tipo``; ``by-agency`` for the overview)."""
    region: dict
    """The attributes of the element around the table (the scrolling region)."""
    caption: tuple[str, str] = ("", "")
    """(id, text) of the caption."""
    rows: list[list[Cell]] = field(default_factory=list)


class _Tables(HTMLParser):
    """Reads the tables of a page, with their captions, cells, the links in the cells and what encloses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.heading = ""
        self.parents: list[tuple[str, dict]] = []
        self.cell: Cell | None = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h2", "h3") and "id" in attrs:
            self.heading = attrs["id"]
        if tag == "table":
            self.tables.append(Table(self.heading, self.parents[-1][1] if self.parents else {}))
        elif tag == "caption":
            self.in_caption = True
            self.tables[-1].caption = (attrs.get("id", ""), "")
        elif tag == "tr":
            self.tables[-1].rows.append([])
        elif tag in ("th", "td") and self.tables:
            self.cell = Cell(tag, attrs)
            self.tables[-1].rows[-1].append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell.hrefs.append(attrs["href"])
        elif tag == "strong" and self.cell is not None:
            self.cell.strong = True
        if tag not in ("br", "meta", "link", "input", "img", "hr"):
            self.parents.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.cell = None
        elif tag == "caption":
            self.in_caption = False
        if self.parents:
            self.parents.pop()

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.text += data
        elif self.in_caption:
            ident, text = self.tables[-1].caption
            self.tables[-1].caption = (ident, text + data)


def tables_of(path: Path) -> list[Table]:
    reader = _Tables()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.tables


def facts_of(path: Path) -> dict[str, str]:
    """Return the summary list (dt → dd) of the page."""
    html = path.read_text(encoding="utf-8")
    summary = html[html.index('<dl class="facts tally">'):html.index("</dl>")]
    page = read_page_text(summary)
    return dict(zip(page[0::2], page[1::2]))


def read_page_text(fragment: str) -> list[str]:
    class Texts(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.items: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in ("dt", "dd"):
                self.items.append("")

        def handle_data(self, data):
            if self.items:
                self.items[-1] += data

    texts = Texts()
    texts.feed(fragment)
    return [" ".join(t.split()) for t in texts.items]


def tracking_file(site: Path, lang: str, quarter: Quarter = Q3_2018) -> Path:
    return site / page_path("tracking", lang, quarter.slug) / "index.html"


@pytest.fixture(scope="module")
def report():
    problems = Problems(ROOT)
    corpus = load(Project(ROOT), problems)
    assert corpus is not None, problems.report()
    return corpus, tracking_report(corpus, Q3_2018)


# The shipped 2018 Q3 content


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_gives_the_counts_status_prints(published_site, report, lang):
    _, data = report
    total = data.total
    facts = facts_of(tracking_file(published_site, lang))
    if lang == "zh":
        assert facts == {"填報期限": "民國107年10月15日",
                         "應填報": f"{total.responsible}（主辦 {total.lead}、協辦 {total.co}）",
                         "已填報": str(total.reported), "本季無新進度": str(total.no_progress),
                         "未填報": str(total.missing), "未列名而填報": str(total.extra),
                         "英譯": f"{total.entries} 筆中 {total.translated} 筆"}
        # The figures `python build.py status --quarter 2018-Q3` prints.
        assert facts["應填報"] == "144（主辦 98、協辦 46）" and facts["英譯"] == "117 筆中 26 筆"
        assert (facts["已填報"], facts["本季無新進度"], facts["未填報"], facts["未列名而填報"]) == ("108", "7", "29", "1")
    else:
        assert facts == {"Due": date_label(data.due, "en"),
                         "Expected": f"{total.responsible} ({total.lead} lead, {total.co} co-agency)",
                         "Reported": str(total.reported), "No progress": str(total.no_progress),
                         "Missing": str(total.missing), "Filed where not listed": str(total.extra),
                         "In English": f"{total.translated} of {total.entries} entries"}
        assert facts["Due"] == "15 October 2018" and facts["In English"] == "26 of 117 entries"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_has_each_agency_of_the_report_with_its_counts_and_english(published_site, report, lang):
    _, data = report
    overview = tables_of(tracking_file(published_site, lang))[0]
    assert overview.section == "by-agency"
    body = overview.rows[1:]
    assert [row[0].hrefs for row in body] == [[f"#agency-{group.agency.id}"] for group in data.groups]
    for row, group in zip(body, data.groups):
        n = group.tally
        assert [c.text for c in row[1:]] == [str(n.responsible), str(n.reported), str(n.no_progress), str(n.missing),
                                             str(n.extra), f"{n.translated}/{n.entries}"], group.agency.id
        assert row[0].tag == "th" and row[0].attrs["scope"] == "row"
    assert sum(int(row[4].text) for row in body) == data.total.missing == 29


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_row_of_the_report_is_on_the_page_with_its_role_state_and_entry(published_site, report, lang):
    _, data = report
    by_section = {table.section: table for table in tables_of(tracking_file(published_site, lang))[1:]}
    # One table per agency with rows; an agency that only files for others has its counts and no table.
    assert list(by_section) == [f"agency-{g.agency.id}" for g in data.groups if g.rows]
    shown = 0
    for group in data.groups:
        if not group.rows:
            continue
        table = by_section[f"agency-{group.agency.id}"]
        assert [c.attrs.get("scope") for c in table.rows[0]] == ["col"] * 3
        rows = table.rows[1:]
        assert len(rows) == len(group.rows), group.agency.id
        for cells, row in zip(rows, group.rows):
            measure, role, state = cells
            assert measure.tag == "th" and measure.attrs["scope"] == "row"
            assert measure.hrefs == ["/" + page_path("measure", lang, f"{row.plan}/{row.measure.id}")]
            assert measure.text.startswith(row.measure.id + " ")
            assert role.text == ROLE[lang][row.role]
            if row.state == "missing":
                # Marked by its words, in bold, not by its colour alone; and nothing to link to.
                assert state.text == STATE[lang]["missing"] and state.strong and state.attrs["class"] == "missing"
                assert state.hrefs == []
            else:
                assert state.text.startswith(STATE[lang][row.state])
                # Each entry at its goal's page of the quarter, where its anchor is.
                entry = row.entries[0]
                goal_page = "/" + page_path("quarter-goal", lang, f"{Q3_2018.slug}/{entry.measure.split('.')[0]}")
                assert state.hrefs == [f"{goal_page}#{entry.anchor}"]
            shown += 1
    assert shown == len(data.rows) == 145  # 144 responsible rows and 1 filed where not listed


def test_a_row_counted_for_an_agency_by_another_says_who_filed(published_site, report):
    # 9.1.2 lists 法務部檢察司, and 法務部 filed the entry: it counts for its unit, and the page says so.
    zh = by_id(tables_of(tracking_file(published_site, "zh")), "agency-moj-prosecutorial")
    assert [row[2].text for row in zh.rows[1:]] == ["本季無新進度（由法務部填報）"]
    en = by_id(tables_of(tracking_file(published_site, "en")), "agency-moj-prosecutorial")
    assert en.rows[1][2].text == "No progress (filed by Ministry of Justice)"


def by_id(tables: list[Table], section: str) -> Table:
    return next(table for table in tables if table.section == section)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_has_a_caption_and_scrolls_in_a_labelled_region_a_keyboard_reaches(published_site, lang):
    tables = tables_of(tracking_file(published_site, lang))
    assert len(tables) > 20
    for table in tables:
        ident, caption = table.caption
        assert ident and caption.strip()
        assert table.region == {"class": "table-scroll", "role": "region", "tabindex": "0", "aria-labelledby": ident}


def test_the_page_has_one_h1_its_counterpart_and_the_renamed_agencies_current_names(published_site):
    zh = read_page(tracking_file(published_site, "zh"))
    assert zh.h1 == ["民國107年第3季 列管追蹤"]
    assert zh.alternates["en"] == "/en/quarters/2018-q3/tracking/"
    assert "經濟部工業局（現名經濟部產業發展署）" in zh.text
    en = read_page(tracking_file(published_site, "en"))
    assert en.h1 == ["2018 Q3 tracking report"]
    assert en.alternates["zh-Hant-TW"] == "/zh/quarters/2018-q3/tracking/"
    assert "Industrial Development Bureau (now Industrial Development Administration)" in en.text


def test_the_page_is_dated_by_its_content(published_site, report):
    corpus, data = report
    newest = max([*(o.updated for o in corpus.outcomes if o.quarter == Q3_2018), *(p.updated for p in data.editions)])
    assert f"更新日期：{date_label(newest, 'zh')}" in read_page(tracking_file(published_site, "zh")).text
    assert f"Last updated: {date_label(newest, 'en')}" in read_page(tracking_file(published_site, "en")).text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_quarter_page_the_quarters_list_and_the_site_map_link_it(published_site, lang):
    target = "/" + page_path("tracking", lang, Q3_2018.slug)
    for kind, key in (("quarter", Q3_2018.slug), ("quarters", ""), ("sitemap", "")):
        page = read_page(published_site / page_path(kind, lang, key) / "index.html")
        assert target in [a.get("href") for a in page.links], kind


def test_the_last_quarter_the_calendar_has_is_due_on_its_last_day():
    # A page is made for any quarter with entries; 9999-Q4 is one editors can write.
    assert due_date(Quarter(9999, 4)) == date.max and due_date(Quarter(2024, 4)) == date(2025, 1, 15)


def test_the_tracking_page_is_not_in_the_search_index(published_site):
    # Its measure texts would otherwise compete with the measure pages for their own titles.
    assert "data-pagefind-body" not in tracking_file(published_site, "zh").read_text(encoding="utf-8")


# The mini corpus and a large quarter


def test_the_mini_quarter_is_dated_by_its_newest_entry_not_the_build_clock(mini_site, tmp_path):
    build(mini_site, tmp_path / "site", search=False, reuse=Reuse())
    page = read_page(tracking_file(tmp_path / "site", "zh", Quarter(2024, 3)))
    # The 2024 Q3 entries were updated on 2024-10-14 and 2024-10-15; the plan on 2024-01-02.
    assert "更新日期：民國113年10月15日" in page.text
    assert "填報期限民國113年10月15日" in page.text


AGENCIES = ("經濟部(智慧財產局)", "財政部(關務署)", "法務部")
AGENCY_IDS = ("tipo", "customs", "moj")


def big_plan(texts: list, goals: int = 7, strategies: int = 2, measures: int = 5) -> str:
    """Return a plan of goals × strategies × measures, each measure with one lead and two co-agencies, and the
    text of one of ``texts`` (the real measures', so that the page compresses no better than a real one)."""
    texts = iter(texts)
    lines = ['id: "2024-2026"', "title: {zh: 貫徹保護智慧財產權行動方案, en: IP Protection Action Programme}",
             "edition: {zh: 民國113年至115年版, en: 2024–2026 edition}",
             "period: {start: 2024-01-01, end: 2026-12-31}", "source: {zh: 測試用方案}", "updated: 2024-01-02",
             "goals:"]
    for g in range(1, goals + 1):
        lines += [f"  - number: {g}", f"    title: {{zh: 目標{g}, en: Goal {g}}}", "    strategies:"]
        for s in range(1, strategies + 1):
            lines += [f"      - number: {s}", f"        title: {{zh: 實施要領{s}, en: Strategy {s}}}", "        measures:"]
            for m in range(1, measures + 1):
                text = next(texts)
                lines += [f"          - number: {m}", f"            text: {{zh: {json.dumps(text.zh, ensure_ascii=False)}, "
                          f"en: {json.dumps(text.get('en'), ensure_ascii=False)}}}",
                          f"            lead: \"{AGENCIES[0]}\"", f"            co: \"{AGENCIES[1]}、{AGENCIES[2]}\"",
                          "            schedule: {zh: 經常辦理, en: Ongoing}"]
    return "\n".join(lines) + "\n"


def entry_file(measure: str, agency: str) -> str:
    return textwrap.dedent(f"""\
        ---
        plan: "2024-2026"
        measure: "{measure}"
        agency: {agency}
        quarter: 2024-Q3
        updated: 2024-10-15
        ---
        本季辦理說明會3場次。
        """)


def test_a_quarter_of_70_measures_with_three_agencies_each_stays_under_60_kb_gzipped(make_site, tmp_path, report):
    corpus, _ = report
    measures = [f"{g}.{s}.{m}" for g in range(1, 8) for s in range(1, 3) for m in range(1, 6)]
    texts = [m.text for plan in corpus.plans.values() for m in plan.measures]
    files: dict[str, str | None] = {"plans/2024-2026/plan.yaml": big_plan(texts), "outcomes/2024-Q2/1.1.1.ida.md": None,
                                    "outcomes/2024-Q3/1.1.1.tipo.md": None, "outcomes/2024-Q3/1.1.1.tipo.en.md": None,
                                    "outcomes/2024-Q3/2.1.1.customs.md": None}
    # Every agency reports on every measure but the last ten, which the co-agencies leave missing.
    for measure in measures:
        for agency in AGENCY_IDS if measure not in measures[-10:] else AGENCY_IDS[:1]:
            files[f"outcomes/2024-Q3/{measure}.{agency}.md"] = entry_file(measure, agency)
    project = make_site(files)
    build(project, tmp_path / "site", search=False, reuse=Reuse())
    for lang in ("zh", "en"):
        page = tracking_file(tmp_path / "site", lang, Quarter(2024, 3))
        rows = sum(len(t.rows) - 1 for t in tables_of(page)[1:])
        assert rows == len(measures) * 3 == 210
        size = len(gzip.compress(page.read_bytes(), 9))
        assert size < MAX_GZIPPED, (lang, size)
