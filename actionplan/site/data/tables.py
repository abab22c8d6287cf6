"""The datasets: each declared once, as a ``Dataset`` with its fields and the function that makes its rows from the
corpus. A new dataset is one more declaration in ``DATASETS``: its files, its place in the data package and on the
open-data page, and the tests' check that every row matches the corpus, follow from it."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ...content.models import Agency, Corpus, Outcome, Quarter, Text
from ...content.tracking import name_in, tracking_report
from .addresses import Urls

Value = str | int | bool | date | None
"""What a cell holds: None where the content gives nothing."""
TYPES = {"string": str, "integer": int, "boolean": bool, "date": date}
"""The Table Schema types the fields may have, and the Python type of their values."""


@dataclass(frozen=True)
class Field:
    """One column of a dataset, as its Table Schema describes it."""

    name: str
    """The column's name in every format: ASCII, lower case, words joined by ``_``."""
    type: str
    """A Table Schema type: ``string``, ``integer``, ``boolean`` or ``date``."""
    zh: str
    """What it holds, in Chinese."""
    en: str
    """What it holds, in English."""
    required: bool = False
    """Whether every row has a value."""

    @property
    def description(self) -> Text:
        return Text(self.zh, self.en)


@dataclass(frozen=True)
class Dataset:
    """One dataset, published as /data/<name>.csv, .json and .ods."""

    name: str
    """The files' name and the data package's resource name: lower case ASCII and hyphens."""
    title: Text
    description: Text
    fields: tuple[Field, ...]
    rows: Callable[[Corpus, Urls], Iterable[tuple[Value, ...]]]
    """Returns the rows, each a tuple of values in the order of ``fields``, in a fixed order."""
    updated: Callable[[Corpus], date]
    """Returns the day its content last changed, from the content's own dates (never the build's clock)."""
    frequency: Text
    """How often it is updated (data.gov.tw's 更新頻率)."""
    entry_row: Callable[[Outcome, Corpus, Urls], tuple[Value, ...]] | None = None
    """For a dataset of one row per entry, in the corpus's order: the row of one entry. A build that holds the rows
    of the last one (a preview's) then makes again only the rows of the entries edited."""
    quarter_rows: Callable[[Corpus, Quarter, Urls], Iterable[tuple[Value, ...]]] | None = None
    """For a dataset of rows by quarter, newest quarter first: the rows of one quarter, made again only for the
    quarters whose entries were edited (as ``entry_row``)."""


def _text(value: Text | None, lang: str) -> str | None:
    """Return one language of a text as the content writes it; None where it has none."""
    if value is None:
        return None
    return value.zh if lang == "zh" else value.en


def _bilingual(name: str, zh: str, en: str, required: bool = False) -> tuple[Field, Field]:
    """Return the Chinese and the English column of one text: ``<name>_zh``, ``<name>_en``."""
    return (Field(f"{name}_zh", "string", f"{zh}（中文）", f"{en} (Chinese)", required),
            Field(f"{name}_en", "string", f"{zh}（英文；尚未翻譯者留空）", f"{en} (English; empty where not yet translated)"))


def _addresses(what_zh: str, what_en: str) -> tuple[Field, Field]:
    return (Field("url_zh", "string", f"{what_zh}在本站的網址（中文頁）", f"The address of {what_en} on this site (Chinese page)", True),
            Field("url_en", "string", f"{what_zh}在本站的網址（英文頁）", f"The address of {what_en} on this site (English page)", True))


def _newest(*days: Iterable[date]) -> date:
    """Return the latest of the days."""
    return max(day for group in days for day in group)


# ───────────────────────────── outcome entries ─────────────────────────────

OUTCOME_FIELDS = (
    Field("plan", "string", "方案版本代號（如 2024-2026）", "The programme edition's id (such as 2024-2026)", True),
    Field("measure", "string", "執行措施編號（如 3.1.5）", "The measure's number (such as 3.1.5)", True),
    Field("agency", "string", "填報機關代號（見機關資料集）", "The reporting agency's id (see the agencies dataset)", True),
    *_bilingual("agency_name", "填報機關於該季末的名稱", "The agency's name at the end of the quarter"),
    Field("reported_as", "string", "填報表上所寫的填報單位（如【經濟部工業局】），由填報表匯入者才有",
          "The reporting body as the report writes it (such as 【經濟部工業局】), where the entry was imported from one"),
    Field("quarter", "string", "填報季別（如 2024-Q3）", "The quarter reported on (such as 2024-Q3)", True),
    *_bilingual("completion", "完成期程，照填報原文", "The completion schedule, as reported"),
    *_bilingual("remarks", "備註，照填報原文", "Remarks, as reported"),
    *_bilingual("text", "執行成效內容（Markdown），照填報原文", "What the agency reported (Markdown), as reported"),
    *_bilingual("site_note", "本站對此筆的說明（本站加註，非填報內容）",
                "This site's note on the entry (the site's annotation, not part of the report)"),
    Field("updated", "date", "此筆最後更新日期", "The day the entry was last updated", True),
    *_addresses("此筆執行成效", "the entry"),
)


def outcome_row(outcome: Outcome, corpus: Corpus, urls: Urls) -> tuple[Value, ...]:
    """Return one entry as a row of the outcomes dataset (and of the pages' CSV slices)."""
    agency = corpus.agencies.get(outcome.agency)
    name = name_in(agency, outcome.quarter) if agency is not None else None
    return (outcome.plan, outcome.measure, outcome.agency, _text(name, "zh"), _text(name, "en"), outcome.reported_as,
            outcome.quarter.id, _text(outcome.completion, "zh"), _text(outcome.completion, "en"),
            _text(outcome.remarks, "zh"), _text(outcome.remarks, "en"), outcome.body.zh, outcome.body.en,
            _text(outcome.note, "zh"), _text(outcome.note, "en"), outcome.updated,
            urls.entry(outcome, "zh"), urls.entry(outcome, "en"))


def outcome_rows(corpus: Corpus, urls: Urls) -> Iterator[tuple[Value, ...]]:
    """Return a row per entry, in the corpus's order."""
    for outcome in corpus.outcomes:
        yield outcome_row(outcome, corpus, urls)


# ───────────────────────────── plans ─────────────────────────────

PLAN_FIELDS = (
    Field("plan", "string", "方案版本代號", "The programme edition's id", True),
    *_bilingual("plan_title", "方案名稱", "The programme's title", True),
    *_bilingual("edition", "版本", "The edition", True),
    Field("goal", "integer", "目標編號", "The goal's number", True),
    *_bilingual("goal_title", "目標", "The goal", True),
    Field("strategy", "string", "實施要領編號（目標.要領）", "The strategy's number (goal.strategy)", True),
    *_bilingual("strategy_title", "實施要領", "The strategy", True),
    Field("measure", "string", "執行措施編號（目標.要領.措施）", "The measure's number (goal.strategy.measure)", True),
    *_bilingual("measure_text", "執行措施", "The measure", True),
    Field("lead_written", "string", "主辦機關，照方案原文", "The lead agencies, as the programme writes them"),
    Field("lead_agencies", "string", "主辦機關代號，以分號分隔（見機關資料集）",
          "The lead agencies' ids, separated by semicolons (see the agencies dataset)"),
    Field("lead_names_zh", "string", "主辦機關現名（中文），以分號分隔", "The lead agencies' current names in Chinese, separated by semicolons"),
    Field("lead_names_en", "string", "主辦機關現名（英文），以分號分隔", "The lead agencies' current names in English, separated by semicolons"),
    Field("co_written", "string", "協辦機關，照方案原文", "The co-agencies, as the programme writes them"),
    Field("co_agencies", "string", "協辦機關代號，以分號分隔", "The co-agencies' ids, separated by semicolons"),
    Field("co_names_zh", "string", "協辦機關現名（中文），以分號分隔", "The co-agencies' current names in Chinese, separated by semicolons"),
    Field("co_names_en", "string", "協辦機關現名（英文），以分號分隔", "The co-agencies' current names in English, separated by semicolons"),
    *_bilingual("schedule", "完成期程", "The schedule"),
    *_bilingual("site_note", "本站對此措施的說明（本站加註）", "This site's note on the measure (the site's annotation)"),
    *_addresses("此執行措施", "the measure"),
)


def plan_rows(corpus: Corpus, urls: Urls) -> Iterator[tuple[Value, ...]]:
    """Return a row per measure of every edition, in the order of the plans, with its goal and strategy."""

    def names(ids: tuple[str, ...], lang: str) -> str | None:
        found = [corpus.agencies[i].name(lang) for i in ids if i in corpus.agencies]
        return ";".join(found) or None

    for plan in corpus.plans.values():
        for goal in plan.goals:
            for strategy in goal.strategies:
                for m in strategy.measures:
                    key = f"{plan.id}/{m.id}"
                    yield (plan.id, plan.title.zh, plan.title.en, plan.edition.zh, plan.edition.en, goal.number,
                           goal.title.zh, goal.title.en, strategy.id, strategy.title.zh, strategy.title.en, m.id,
                           m.text.zh, m.text.en, m.lead.written or None, ";".join(m.lead.ids) or None,
                           names(m.lead.ids, "zh"), names(m.lead.ids, "en"), m.co.written or None,
                           ";".join(m.co.ids) or None, names(m.co.ids, "zh"), names(m.co.ids, "en"),
                           m.schedule.zh or None, m.schedule.en, _text(m.note, "zh"), _text(m.note, "en"),
                           urls.page("measure", "zh", key), urls.page("measure", "en", key))


# ───────────────────────────── agencies ─────────────────────────────

AGENCY_FIELDS = (
    Field("agency", "string", "機關代號", "The agency's id", True),
    Field("parent", "string", "上級機關代號", "The id of the agency it belongs to"),
    Field("name_status", "string", "current 為現名；former 為舊名", "current for the name it bears now; former for an earlier name", True),
    Field("name_zh", "string", "機關名稱（中文）", "The name in Chinese", True),
    Field("name_en", "string", "機關名稱（英文）", "The name in English"),
    Field("short_zh", "string", "上級機關名稱後括號內的簡稱（如 經濟部(智慧財產局)）",
          "The short form written in brackets after the parent's name (such as 經濟部(智慧財產局))"),
    Field("abbr", "string", "英文縮寫", "The English abbreviation"),
    Field("until", "date", "舊名：下一名稱生效之日（不明者留空）",
          "For a former name: the day the next name took effect (empty where not known)"),
    Field("established", "date", "成立日期（登錄者才有）", "The day it was established (where recorded)"),
    Field("aliases", "string", "來源中的其他寫法，以分號分隔（現名列）",
          "Other written forms found in the sources, separated by semicolons (on the current name's row)"),
    Field("verified", "boolean", "名稱、縮寫與日期是否均經來源查證", "Whether the name, abbreviation and date are each backed by a source", True),
    Field("note", "string", "本站登錄的說明", "The registry's note"),
    *_addresses("機關頁", "the agency's page"),
)


def agency_rows(corpus: Corpus, urls: Urls) -> Iterator[tuple[Value, ...]]:
    """Return a row per name of every agency: its current name, then its former names, oldest first."""
    for agency in corpus.agencies.values():
        pages = (urls.page("agency", "zh", agency.id), urls.page("agency", "en", agency.id))
        yield (agency.id, agency.parent, "current", agency.zh, agency.en or None, agency.short_zh, agency.abbr, None,
               agency.established, ";".join(agency.aliases) or None, agency.verified, agency.note, *pages)
        for former in agency.former_names:
            yield (agency.id, agency.parent, "former", former.zh, former.en, former.short_zh, former.abbr,
                   former.renamed_on, None, None, former.verified, former.note, *pages)


def _agencies_updated(corpus: Corpus) -> date:
    # The registry has no date of its own: it changes with the site and the plans, as the agencies page does.
    return _newest([corpus.site.updated], (plan.updated for plan in corpus.plans.values()))


# ───────────────────────────── tracking ─────────────────────────────

TRACKING_FIELDS = (
    Field("quarter", "string", "季別", "The quarter", True),
    Field("due", "date", "填報期限（季後次月15日）", "The day entries were due (the 15th of the month after the quarter)", True),
    Field("plan", "string", "方案版本代號", "The programme edition's id", True),
    Field("measure", "string", "執行措施編號", "The measure's number", True),
    Field("agency", "string", "機關代號", "The agency's id", True),
    *_bilingual("agency_name", "機關於該季末的名稱", "The agency's name at the end of the quarter"),
    Field("role", "string", "lead 主辦；co 協辦；extra 未列名而填報", "lead; co; extra for an agency the measure does not list", True),
    Field("state", "string", "reported 已填報；no_progress 本季無新進度；missing 未填報",
          "reported; no_progress (the entry says only that there was no progress); missing", True),
    Field("entries", "integer", "計入此機關的執行成效筆數", "How many entries count for the agency here", True),
    Field("entry_agencies", "string", "計入的執行成效之填報機關代號，以分號分隔",
          "The ids of the agencies that filed the entries counted, separated by semicolons"),
    *_addresses("該季列管表中此機關", "the agency in the quarter's tracking report"),
)


def tracking_rows(corpus: Corpus, urls: Urls) -> Iterator[tuple[Value, ...]]:
    """Return a row per quarter, measure and responsible agency (and per unlisted filer), newest quarter first, as
    each quarter's tracking page lists them (``content.tracking``)."""
    for quarter in sorted(corpus.outcomes_by_quarter, reverse=True):
        yield from quarter_tracking_rows(corpus, quarter, urls)


def quarter_tracking_rows(corpus: Corpus, quarter: Quarter, urls: Urls) -> Iterator[tuple[Value, ...]]:
    """Return the tracking rows of one quarter."""
    report = tracking_report(corpus, quarter)
    for group in report.groups:
        anchor = f"#agency-{group.agency.id}"
        for row in group.rows:
            yield (quarter.id, report.due, row.plan, row.measure.id, row.agency, group.name.zh, group.name.en,
                       row.role, row.state, len(row.entries), ";".join(o.agency for o in row.entries) or None,
                       urls.page("tracking", "zh", quarter.slug) + anchor, urls.page("tracking", "en", quarter.slug) + anchor)


# ───────────────────────────── white papers ─────────────────────────────

RESPONSE_FIELDS = (
    Field("whitepaper", "string", "白皮書代號（如 2025-cnfi）", "The white paper's id (such as 2025-cnfi)", True),
    *_bilingual("whitepaper_title", "白皮書名稱", "The white paper's title", True),
    Field("recommendation", "string", "建議事項編號（章.議題.建議）", "The recommendation's number (chapter.issue.recommendation)", True),
    Field("recommendation_heading", "string", "建議事項標題，照白皮書原文", "The recommendation's heading, as the white paper writes it", True),
    Field("agency", "string", "回應機關代號（見機關資料集）", "The responding agency's id (see the agencies dataset)", True),
    *_bilingual("agency_name", "回應機關現名", "The responding agency's current name"),
    Field("reported_as", "string", "回應單位，照原文（如 國家發展委員會(經濟處)）",
          "The responding body as the source writes it (such as 國家發展委員會(經濟處))", True),
    Field("status", "string", "議題參採：adopted 已參採；partly-adopted 部分參採；under-study 研議中；not-adopted 不參採；勾選多項者以分號分隔",
          "Adoption: adopted; partly-adopted; under-study; not-adopted; several separated by semicolons where the agency chose several"),
    Field("status_written", "string", "議題參採，照原文（勾選多項者以分號分隔）", "The adoption status as the source writes it (several separated by semicolons)"),
    *_bilingual("progress", "目前進度及未來規劃，照原文", "Progress and plans, as the agency wrote them", True),
    *_bilingual("laws", "涉及法規，照原文", "The laws concerned, as the agency wrote them"),
    Field("continuing", "string", "延續議題，照原文（空白者原文未填）", "Whether the issue continues, as written (empty where the source leaves it blank)"),
    Field("measures", "string", "本站對應的行動方案執行措施（版本/措施），以分號分隔（本站加註，非原文）",
          "The programme measures this site links the recommendation to (edition/measure), separated by semicolons "
          "(the site's annotation, not the source's)"),
    *_bilingual("site_note", "本站對此回應的說明（本站加註）", "This site's note on the response (the site's annotation)"),
    *_addresses("此回應", "the response"),
)


def response_rows(corpus: Corpus, urls: Urls) -> Iterator[tuple[Value, ...]]:
    """Return a row per response of every white paper, in the order of the papers and of their responses."""
    for paper in corpus.whitepapers.values():
        recommendations = paper.recommendations_by_id
        for r in paper.responses:
            recommendation = recommendations[r.recommendation]
            agency = corpus.agencies.get(r.agency)
            key = f"{paper.id}/{r.slug}"
            yield (paper.id, paper.title.zh, paper.title.en, r.recommendation, recommendation.heading, r.agency,
                   agency.zh if agency else None, (agency.en or None) if agency else None, r.reported_as,
                   ";".join(c.status for c in r.statuses) or None, ";".join(c.written for c in r.statuses) or None,
                   r.progress.zh, r.progress.en, _text(r.laws, "zh"), _text(r.laws, "en"), r.continuing,
                   ";".join(recommendation.measures) or None, _text(r.note, "zh"), _text(r.note, "en"),
                   urls.page("whitepaper-response", "zh", key), urls.page("whitepaper-response", "en", key))


def _whitepapers_updated(corpus: Corpus) -> date:
    return _newest([corpus.site.updated], (paper.updated for paper in corpus.whitepapers.values()))


# ───────────────────────────── documents ─────────────────────────────

DOCUMENT_FIELDS = (
    Field("document", "string", "文件代號", "The document's id", True),
    Field("kind", "string", "文件類別：business-report 業務報告；meeting-report 出國（會議）報告",
          "The kind: business-report; meeting-report", True),
    Field("issuer", "string", "發布機關代號（見機關資料集）", "The issuing agency's id (see the agencies dataset)", True),
    *_bilingual("issuer_name", "發布機關現名", "The issuing agency's current name"),
    *_bilingual("title", "文件名稱", "The document's title", True),
    *_bilingual("period", "涵蓋期間，照原文", "The period it covers, as written"),
    *_bilingual("date", "日期，照原文（未載明者註明）", "Its date, as written (or a note that it gives none)"),
    *_bilingual("source", "來源", "Where the document comes from"),
    Field("measures", "string", "本站認為此文件可佐證的行動方案執行措施（版本/措施），以分號分隔（本站加註，非原文）",
          "The programme measures this site finds the document evidences (edition/measure), separated by semicolons "
          "(the site's annotation, not the source's)"),
    Field("updated", "date", "本站內容最後更新日期", "The day this site's copy was last updated", True),
    *_addresses("此文件", "the document"),
)


def document_rows(corpus: Corpus, urls: Urls) -> Iterator[tuple[Value, ...]]:
    """Return a row per document, in id order."""
    for d in corpus.documents:
        agency = corpus.agencies.get(d.issuer)
        key = d.parts[0].key
        yield (d.id, d.kind, d.issuer, agency.zh if agency else None, (agency.en or None) if agency else None,
               d.title.zh, d.title.en, d.period.zh or None, d.period.en, d.date.zh or None, d.date.en, d.source.zh or None,
               d.source.en, ";".join(f"{plan}/{measure}" for plan, measure in d.measures()) or None, d.updated,
               urls.page("document", "zh", key), urls.page("document", "en", key))


def _documents_updated(corpus: Corpus) -> date:
    return _newest([corpus.site.updated], (d.updated for d in corpus.documents))


LICENCE = Text("政府資料開放授權條款－第1版", "Open Government Data License, version 1.0")
"""The licence every dataset is published under, as site.yaml's open-data statement names it."""
LICENCE_URL = "https://data.gov.tw/license"
QUARTERLY = Text("每季", "Quarterly")
IRREGULAR = Text("不定期", "Irregular")

DATASETS: tuple[Dataset, ...] = (
    Dataset("outcomes", Text("各機關執行成效", "Outcomes reported by agencies"),
            Text("各機關每季就「貫徹保護智慧財產權行動方案」各項執行措施填報的執行成效，每筆一列，文字照填報原文。",
                 "What each agency reported each quarter on each measure of the IP Protection Action Programme, one "
                 "row per entry, every text as reported."),
            OUTCOME_FIELDS, outcome_rows,
            lambda corpus: _newest([corpus.site.updated], (o.updated for o in corpus.outcomes)), QUARTERLY,
            entry_row=outcome_row),
    Dataset("plans", Text("行動方案目標、實施要領與執行措施", "Programme goals, strategies and measures"),
            Text("各版本行動方案的每項執行措施，一項一列，附所屬目標、實施要領、主辦與協辦機關（方案原文與對應的機關代號）及完成期程。",
                 "Every measure of each edition of the programme, one row per measure, with its goal, strategy, lead "
                 "and co-agencies (as the programme writes them and as registry ids) and schedule."),
            PLAN_FIELDS, plan_rows,
            lambda corpus: _newest((plan.updated for plan in corpus.plans.values())) if corpus.plans else corpus.site.updated,
            IRREGULAR),
    Dataset("agencies", Text("主協辦機關名錄", "Agency registry"),
            Text("方案所列及填報執行成效的機關，每個名稱一列：現名及舊名，舊名附下一名稱生效之日。",
                 "The agencies the programme lists and that report on it, one row per name: the current name and "
                 "former names, each former name with the day the next name took effect."),
            AGENCY_FIELDS, agency_rows, _agencies_updated, IRREGULAR),
    Dataset("tracking", Text("執行進度列管", "Reporting tracker"),
            Text("各季每項執行措施的每個主辦、協辦機關是否已填報執行成效：已填報、本季無新進度或未填報。",
                 "For each quarter, whether each lead and co-agency of each measure has filed its entry: reported, "
                 "no progress, or missing."),
            TRACKING_FIELDS, tracking_rows,
            lambda corpus: _newest([corpus.site.updated], (o.updated for o in corpus.outcomes),
                                   (plan.updated for plan in corpus.plans.values())), QUARTERLY,
            quarter_rows=quarter_tracking_rows),
    Dataset("whitepaper-responses", Text("產業白皮書建議之機關辦理情形", "Agencies' responses to industry white papers"),
            Text("各機關對產業白皮書每項建議事項的辦理情形，每個回應一列：議題參採、目前進度及未來規劃、涉及法規與延續議題，文字照原文。",
                 "What each agency answered to each recommendation of an industry white paper, one row per response: "
                 "its adoption status, progress and plans, the laws concerned and whether the issue continues, every "
                 "text as written."),
            RESPONSE_FIELDS, response_rows, _whitepapers_updated, IRREGULAR),
    Dataset("documents", Text("佐證文件目錄", "Documents index"),
            Text("本站刊載、可佐證行動方案執行措施的文件（部會業務報告、出國會議報告等），每份一列，附本站對應的執行措施。",
                 "The documents this site publishes that evidence the programme's measures (ministries' business "
                 "reports, reports on overseas meetings), one row per document, with the measures this site links "
                 "them to."),
            DOCUMENT_FIELDS, document_rows, _documents_updated, IRREGULAR),
)
"""Every dataset, in the order the open-data page and the data package list them."""
