"""White papers and the agencies' responses to them: the model, and its loading from content/whitepapers/.

A white paper (an industry association's recommendations, e.g. 全國工業總會「2025白皮書」) has chapters, issues and
recommendations, kept in ``content/whitepapers/<id>/whitepaper.yaml``; each competent agency's response to a
recommendation is a file of its own, ``content/whitepapers/<id>/responses/<chapter>.<issue>.<recommendation>.<agency>.md``
(its English translation beside it as ``….en.md``), so that an agency's reviewers see only their own.

A response's text is published as the agency wrote it, line for line: it is plain text, not Markdown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path

from ..base.errors import WARNING, Problems
from .agencies import AgencyIndex
from .fields import FieldReader, did_you_mean, unknown_agency
from .i18n import chinese_number
from .models import Text
from .schema import shape
from .sources import Mapping, Scalar, SourceDoc, bi, read_sources

FOLDER = "whitepapers"
"""The folder under content/ that holds the white papers."""

STATUSES = ("adopted", "partly-adopted", "under-study", "not-adopted")
"""The adoption statuses (議題參採), in the order the source lists the options."""
STATUS_ZH = {"adopted": "已參採", "partly-adopted": "部分參採", "under-study": "研議中", "not-adopted": "不參採"}
STATUS_OF_ZH = {zh: status for status, zh in STATUS_ZH.items()}
ISSUE_PAGE_WEIGHT = 45_000
"""The bytes of Chinese text an issue's page holds at most before it is cut into parts (pages stay under 25 KB gzipped)."""
UNCHECKED = "☐"
"""The glyph of an option not chosen; the chosen option's glyph was lost in the export."""
_OPTION = re.compile(r"^(已參採|部分參採|研議中|不參採)\s*(?:[（(](.*)[）)])?\s*$", re.S)
RECOMMENDATION_ID = re.compile(r"^([0-9]+)\.([0-9]+)\.([0-9]+)$", re.ASCII)


@dataclass(frozen=True)
class StatusChoice:
    """One option an agency chose in the 議題參採 column, with the qualifier it wrote in brackets."""

    status: str
    """One of ``STATUSES``."""
    qualifier: str | None
    """What the bracket after the option says (醫材審查), verbatim; None where there is none."""
    written: str
    """The option line as the source writes it: 已參採（醫材審查）."""


def parse_status(written: str) -> StatusChoice | None:
    """Return the option a status line chooses (已參採, 部分參採(…)…), or None if it names none."""
    found = _OPTION.match(written)
    if found is None:
        return None
    return StatusChoice(STATUS_OF_ZH[found.group(1)], found.group(2), written)


@dataclass(frozen=True)
class Response:
    """What one competent agency answered to one recommendation (辦理情形暨未來處理方向)."""

    whitepaper: str
    recommendation: str
    """chapter.issue.recommendation: ``1.3.3``."""
    agency: str
    """The registry id of the responding body."""
    reported_as: str
    """The body as the source writes it: 國家發展委員會(經濟處)."""
    progress_heading: str
    """The heading of the progress part as written: 1、 目前進度及未來規劃."""
    progress: Text
    """目前進度及未來規劃, plain text, line for line as the source writes it."""
    laws_heading: str | None
    """The heading of the laws part as written, up to the laws themselves: 2、 涉及法規： (None where there is none)."""
    laws: Text | None
    """涉及法規 as written (無 included); None where the response names none and does not say 無."""
    statuses: tuple[StatusChoice, ...]
    """The options chosen, in the source's order; several where the agency chose several."""
    continuing: str | None
    """延續議題 as written; None where the source leaves it blank: not stated, which is not "no"."""
    note: Text | None
    """The site's note where the source is unclear."""
    order: int | None
    """Where it stands among the responses to its recommendation in the source."""
    path: Path
    en_path: Path | None
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @cached_property
    def key(self) -> str:
        """``1.3.3.moea``: the file's name, and what tells it from every other response of its white paper."""
        return f"{self.recommendation}.{self.agency}"

    @cached_property
    def slug(self) -> str:
        """``1-3-3-moea``: the response's address below its white paper."""
        return self.key.replace(".", "-")

    @property
    def issue_key(self) -> str:
        """``1-3``: the chapter and issue, the address of the issue's page."""
        return "-".join(self.recommendation.split(".")[:2])


@dataclass(frozen=True)
class Recommendation:
    """One recommendation (建議事項) of an issue."""

    chapter: int
    issue: int
    number: int
    heading: str
    """The heading as the source writes it: (一) 加強資通訊關鍵基礎設施之韌性建設."""
    title: Text
    text: Text
    """The recommendation's text, line for line as the source writes it (plain text)."""
    measures: tuple[str, ...]
    """The plan measures it concerns, ``2024-2026/2.1.1``: the site's annotation, not the source's."""
    link_note: Text | None
    """Why the site links it to those measures."""
    line: int
    measures_line: int = 0
    """The line of its ``measures:`` field, where a measure that is not in the plan is reported."""

    @property
    def id(self) -> str:
        return f"{self.chapter}.{self.issue}.{self.number}"

    @property
    def anchor(self) -> str:
        return "rec-" + self.id.replace(".", "-")

    @property
    def issue_key(self) -> str:
        """``1-3``: the address of its issue's page."""
        return f"{self.chapter}-{self.issue}"


@dataclass(frozen=True)
class Issue:
    """One issue (議題) of a chapter."""

    chapter: int
    number: int
    heading: str
    """As the source writes it: 一、研擬立足臺灣的全球經濟戰略."""
    title: Text
    recommendations: tuple[Recommendation, ...]
    line: int

    @property
    def key(self) -> str:
        return f"{self.chapter}-{self.number}"


@dataclass(frozen=True)
class Chapter:
    """One chapter (壹、產業發展) of a white paper."""

    number: int
    heading: str
    title: Text
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class WhitePaper:
    """An industry white paper and the agencies' responses to it."""

    id: str
    title: Text
    publisher: Text
    year: int
    source: Text
    updated: date
    chapters: tuple[Chapter, ...]
    responses: tuple[Response, ...]
    path: Path
    note: Text | None = None

    @cached_property
    def issues(self) -> tuple[Issue, ...]:
        return tuple(issue for chapter in self.chapters for issue in chapter.issues)

    @cached_property
    def recommendations(self) -> tuple[Recommendation, ...]:
        return tuple(r for issue in self.issues for r in issue.recommendations)

    @cached_property
    def recommendations_by_id(self) -> dict[str, Recommendation]:
        return {r.id: r for r in self.recommendations}

    def responses_to(self, recommendation: Recommendation) -> list[Response]:
        """Return the responses to a recommendation, in the source's order."""
        return [r for r in self.responses if r.recommendation == recommendation.id]

    def issue_of(self, response: Response) -> Issue | None:
        return next((i for i in self.issues if i.key == response.issue_key), None)

    @cached_property
    def issue_parts(self) -> dict[str, list[tuple[Recommendation, ...]]]:
        """Return, by issue key, its recommendations cut, between recommendations, into parts of at most
        ``ISSUE_PAGE_WEIGHT`` bytes of text (theirs and their responses'): an issue's page, and its further parts'
        pages, each stay within the site's page budget. One part where they all fit."""
        weights = {r.id: len(r.text.zh.encode()) for r in self.recommendations}
        for response in self.responses:
            if response.recommendation in weights:
                weights[response.recommendation] += len(response.progress.zh.encode()) + 600
        parts: dict[str, list[tuple[Recommendation, ...]]] = {}
        for issue in self.issues:
            cut: list[list[Recommendation]] = [[]]
            weight = 0
            for rec in issue.recommendations:
                if cut[-1] and weight + weights[rec.id] > ISSUE_PAGE_WEIGHT:
                    cut.append([])
                    weight = 0
                cut[-1].append(rec)
                weight += weights[rec.id]
            parts[issue.key] = [tuple(part) for part in cut]
        return parts

    def recommendation_page(self, recommendation: Recommendation) -> str:
        """Return the key of the issue page (or part) that shows a recommendation: ``2025-cnfi/1-2/part-2``."""
        for number, part in enumerate(self.issue_parts[recommendation.issue_key], start=1):
            if recommendation in part:
                return f"{self.id}/{recommendation.issue_key}" + (f"/part-{number}" if number > 1 else "")
        return f"{self.id}/{recommendation.issue_key}"

    def issue_label(self, issue: Issue, lang: str) -> str:
        """Return 議題三 / Issue 3 (with the chapter where the white paper has several)."""
        chapter = f"{issue.chapter}." if len(self.chapters) > 1 else ""
        return f"議題{chinese_number(issue.number)}" if lang == "zh" else f"Issue {chapter}{issue.number}"

    def recommendation_label(self, recommendation: Recommendation, lang: str) -> str:
        """Return 議題三(三) / Recommendation 3.3, as each language numbers them."""
        if lang == "zh":
            return f"議題{chinese_number(recommendation.issue)}({chinese_number(recommendation.number)})"
        chapter = f"{recommendation.chapter}." if len(self.chapters) > 1 else ""
        return f"Recommendation {chapter}{recommendation.issue}.{recommendation.number}"


def status_counts(responses) -> dict[str, int]:
    """Return how many responses chose each status; a response choosing several counts under each."""
    counts = dict.fromkeys(STATUSES, 0)
    for response in responses:
        for status in {choice.status for choice in response.statuses}:
            counts[status] += 1
    return counts


def several(responses) -> int:
    """Return how many responses chose more than one status."""
    return sum(1 for r in responses if len(r.statuses) > 1)


def load_whitepapers(paths: list[Path], content_dir: Path, index: AgencyIndex, problems: Problems) -> dict[str, WhitePaper]:
    """Return every white paper under content/whitepapers/ with its responses; each problem is reported at its line.

    A response's text is the agency's, character for character: a CJK compatibility ideograph in it (勞 U+F9A4) is
    kept as the source writes it, so the warning other content gets for one is not given there."""
    found = Problems(problems.root)
    docs = read_sources(paths, found)
    for problem in found.found:
        in_response = "/responses/" in problem.path
        if not (in_response and problem.code == "W-CHAR-COMPAT"):
            problems.include([problem])
    depth = len(content_dir.parts)
    papers: dict[str, WhitePaper] = {}
    by_paper: dict[str, list[SourceDoc]] = {}
    heads: dict[str, SourceDoc] = {}
    for doc in docs:
        parts = doc.path.parts[depth:]
        if len(parts) == 3 and parts[2] == "whitepaper.yaml":
            heads[parts[1]] = doc
        elif len(parts) == 4 and parts[2] == "responses" and doc.path.suffix == ".md":
            by_paper.setdefault(parts[1], []).append(doc)
        else:
            problems.add(doc.path, 0, bi("this file is not part of any content type", "這個檔案不屬於任何內容類型"),
                         bi("white papers are content/whitepapers/<id>/whitepaper.yaml, their responses "
                            "content/whitepapers/<id>/responses/<recommendation>.<agency>.md",
                            "白皮書請放在 content/whitepapers/<代號>/whitepaper.yaml，回應請放在 "
                            "content/whitepapers/<代號>/responses/<建議編號>.<機關代號>.md"), code="E-FILE-UNKNOWN")
    for paper_id in sorted(set(heads) | set(by_paper)):
        head = heads.get(paper_id)
        if head is None:
            problems.add(content_dir / FOLDER / paper_id / "whitepaper.yaml", 0,
                         bi("the white paper's responses have no whitepaper.yaml beside them", "白皮書的回應旁缺少 whitepaper.yaml"),
                         bi("run `python build.py import-whitepaper` or restore it from the repository",
                            "請執行 `python build.py import-whitepaper` 或從版本庫還原"), code="E-FILE-MISSING")
            continue
        paper = _build_paper(head, paper_id, problems)
        if paper is None:
            continue
        responses = _build_responses(by_paper.get(paper_id, []), paper, index, problems)
        papers[paper_id] = WhitePaper(paper.id, paper.title, paper.publisher, paper.year, paper.source, paper.updated,
                                      paper.chapters, tuple(responses), paper.path, paper.note)
    return papers


def _build_paper(doc: SourceDoc, paper_id: str, problems: Problems) -> WhitePaper | None:
    read = FieldReader(doc.path, problems)
    data = read.as_mapping(doc.data, "whitepaper.yaml") if not doc.unreadable else None
    if data is None:
        return None
    fields = read.fields(data, shape("whitepaper"), "whitepaper.yaml")
    wp_id = fields.identifier("id")
    if wp_id is not None and wp_id != paper_id:
        read.error(data.key_lines["id"], bi(f"white paper id \"{wp_id}\" does not match its folder \"{paper_id}\"",
                                            f"白皮書代號「{wp_id}」與資料夾名稱「{paper_id}」不一致"),
                   bi(f"keep the file at content/whitepapers/{wp_id}/whitepaper.yaml",
                      f"請放在 content/whitepapers/{wp_id}/whitepaper.yaml"), "E-ID-MISMATCH")
    chapters = []
    chapter_shape = fields.shape.inner("chapters")
    for c_number, c_node in enumerate(fields.sequence("chapters"), start=1):
        c_map = read.as_mapping(c_node, "a chapter", getattr(c_node, "line", 1), "章")
        if c_map is None:
            continue
        chapter = read.fields(c_map, chapter_shape, "a chapter", "章")
        number = _number(read, chapter, c_number, "chapter 章")
        issues = []
        for i_number, i_node in enumerate(chapter.sequence("issues"), start=1):
            issue = _build_issue(read, i_node, chapter_shape.inner("issues"), number or c_number, i_number)
            if issue is not None:
                issues.append(issue)
        heading, title = chapter.value("heading"), chapter.value("title")
        if number is not None and heading is not None and title is not None:
            chapters.append(Chapter(number, heading, title, tuple(issues)))
    values = {key: fields.value(key) for key in ("title", "publisher", "year", "source", "updated", "note")}
    if wp_id is None or any(values[key] is None for key in fields.shape.required & values.keys()):
        return None
    return WhitePaper(wp_id, values["title"], values["publisher"], values["year"], values["source"], values["updated"],
                      tuple(chapters), (), doc.path, values["note"])


def _number(read: FieldReader, fields, expected: int, what: str) -> int | None:
    number = fields.value("number")
    if number is not None and number != expected:
        read.error(fields.mapping.key_lines["number"],
                   bi(f"{what} number {number} is out of order; expected {expected}",
                      f"{what}編號 {number} 順序不對，應為 {expected}"),
                   bi("number them 1, 2, 3… in the order of the source", "請依原文順序編為 1、2、3…"), "E-NUMBER")
        return None
    return number


def _build_issue(read: FieldReader, node, issue_shape, chapter: int, expected: int) -> Issue | None:
    mapping = read.as_mapping(node, "an issue", getattr(node, "line", 1), "議題")
    if mapping is None:
        return None
    fields = read.fields(mapping, issue_shape, "an issue", "議題")
    number = _number(read, fields, expected, "issue 議題")
    recommendations = []
    rec_shape = issue_shape.inner("recommendations")
    for r_number, r_node in enumerate(fields.sequence("recommendations"), start=1):
        r_map = read.as_mapping(r_node, "a recommendation", getattr(r_node, "line", 1), "建議事項")
        if r_map is None:
            continue
        rec = read.fields(r_map, rec_shape, "a recommendation", "建議事項")
        r_num = _number(read, rec, r_number, "recommendation 建議事項")
        heading, title, text = rec.value("heading"), rec.value("title"), rec.value("text")
        if r_num is None or heading is None or title is None or text is None:
            continue
        recommendations.append(Recommendation(chapter, number or expected, r_num, heading, title, text,
                                              rec.value("measures"), rec.value("link_note"), r_map.line,
                                              r_map.key_lines.get("measures", r_map.line)))
    heading, title = fields.value("heading"), fields.value("title")
    if number is None or heading is None or title is None:
        return None
    return Issue(chapter, number, heading, title, tuple(recommendations), mapping.line)


def _build_responses(docs: list[SourceDoc], paper: WhitePaper, index: AgencyIndex, problems: Problems) -> list[Response]:
    chinese: dict[str, tuple[SourceDoc, dict]] = {}
    english: dict[str, tuple[SourceDoc, dict]] = {}
    for doc in docs:
        fields = _response_fields(doc, paper, index, problems)
        if fields is None:
            continue
        key = f"{fields['recommendation']}.{fields['agency']}"
        (english if doc.lang == "en" else chinese)[key] = (doc, fields)
    responses = []
    order = {r.id: i for i, r in enumerate(paper.recommendations)}
    for key, (doc, fields) in chinese.items():
        en_doc, en = english.pop(key, (None, {}))
        en_body = en_doc.body.strip("\n") if en_doc and en_doc.body and en_doc.body.strip() else None
        laws = fields["laws"]
        responses.append(Response(
            paper.id, fields["recommendation"], fields["agency"], fields["reported_as"], fields["progress_heading"],
            Text(_body(doc), en_body), fields["laws_heading"],
            Text(laws, en.get("laws")) if laws is not None else None, fields["statuses"], fields["continuing"],
            Text(fields["note"], en.get("note")) if fields["note"] else None, fields["order"], doc.path,
            en_doc.path if en_doc else None, fields["lines"]))
    for key, (doc, fields) in english.items():
        problems.add(doc.path, fields["lines"]["recommendation"],
                     bi("this English translation has no Chinese response with the same recommendation and agency",
                        "這份英文翻譯找不到相同建議事項及機關的中文回應"),
                     bi(f"name it after the Chinese file: {key}.en.md", f"請依中文檔命名為 {key}.en.md"),
                     code="E-TRANSLATION-ORPHAN")
    return sorted(responses, key=lambda r: (order.get(r.recommendation, len(order)), r.order or 0, r.agency))


def _body(doc: SourceDoc) -> str:
    """Return the response's text as its file holds it, without the blank lines that end the file."""
    return (doc.body or "").rstrip("\n")


def _response_fields(doc: SourceDoc, paper: WhitePaper, index: AgencyIndex, problems: Problems) -> dict | None:
    read = FieldReader(doc.path, problems)
    found = read.front_matter(doc, "wp-response", "a white-paper response", "白皮書回應檔")
    if found is None:
        return None
    data, front = found
    english = doc.lang == "en"
    values: dict = {
        "whitepaper": front.identifier("whitepaper"),
        "recommendation": front.identifier("recommendation"),
        "agency": front.identifier("agency"),
        "lines": {key: data.key_lines.get(key, 2) for key in front.shape.names} | {"body": doc.body_line},
    }
    for key in front.shape.names:
        if key not in values and key != "status":
            values[key] = front.value(key)
    if values["whitepaper"] is not None and values["whitepaper"] != paper.id:
        read.error(data.key_lines["whitepaper"], bi(f"\"whitepaper\" says {values['whitepaper']}, but the file is in the folder of {paper.id}",
                                                    f"「whitepaper」寫的是 {values['whitepaper']}，但檔案位於 {paper.id} 的資料夾"),
                   bi(f"write whitepaper: {paper.id}", f"請寫 whitepaper: {paper.id}"), "E-ID-MISMATCH")
        return None
    rec = values["recommendation"]
    if rec is not None and rec not in paper.recommendations_by_id:
        read.error(data.key_lines["recommendation"], bi(f"recommendation \"{rec}\" is not in {paper.id}",
                                                        f"{paper.id} 沒有建議事項「{rec}」"),
                   did_you_mean(rec, paper.recommendations_by_id) or bi(
                       "write chapter.issue.recommendation as whitepaper.yaml numbers them, e.g. \"1.3.3\"",
                       "請依 whitepaper.yaml 的編號寫 章.議題.建議，例如 \"1.3.3\""), "E-RECOMMENDATION-UNKNOWN")
        return None
    agency = values["agency"]
    if agency is not None and index.agencies and agency not in index.agencies:
        read.error(data.key_lines["agency"], *unknown_agency(agency, index.agencies), "E-AGENCY-UNKNOWN")
        return None
    if not english:
        values["statuses"] = _statuses(read, front, data)
        if values["statuses"] is None:
            return None
        if values.get("laws_heading") is None and values.get("laws") is not None:
            read.error(data.key_lines["laws"], bi("\"laws\" is given without the heading it follows", "有「laws」卻缺少其標題「laws_heading」"),
                       bi("write laws_heading: \"2、 涉及法規：\" as the source writes it", "請照原文寫 laws_heading: \"2、 涉及法規：\""),
                       "E-FIELD-REQUIRED")
            return None
        if not (doc.body or "").strip():
            read.error(doc.body_line, bi("the response has no text", "回應沒有內容"),
                       bi("write what the agency answered (目前進度及未來規劃) below the front matter",
                          "請在 front matter 下方填寫機關的辦理情形（目前進度及未來規劃）"), "E-FIELD-REQUIRED")
            return None
    if any(values.get(key) is None for key in front.shape.required - {"status"}):
        return None
    if not _named_right(read, doc, values, data):
        return None
    return values


def _statuses(read: FieldReader, front, data: Mapping) -> tuple[StatusChoice, ...] | None:
    """Return the statuses chosen, each read from its option line; None after reporting a line that names none."""
    choices = []
    items = front.sequence("status")
    if not items:
        return None
    for item in items:
        if not isinstance(item, Scalar) or item.kind != "text":
            read.error(getattr(item, "line", data.key_lines["status"]), bi("each status is a line of text", "每個參採情形須為一行文字"),
                       bi("write - 已參採, - 部分參採, - 研議中 or - 不參採", "請寫 - 已參採、- 部分參採、- 研議中 或 - 不參採"), "E-YAML-TYPE")
            return None
        choice = parse_status(str(item.value))
        if choice is None:
            read.error(item.line, bi(f"\"{item.value}\" is none of the four options", f"「{item.value}」不是四個選項之一"),
                       bi("write 已參採, 部分參採, 研議中 or 不參採, with what the source adds in brackets: 已參採（醫材審查）",
                          "請寫 已參採、部分參採、研議中 或 不參採，原文括號內的說明照寫：已參採（醫材審查）"), "E-STATUS", item.col)
            return None
        if any(c.status == choice.status for c in choices):
            read.error(item.line, bi(f"{STATUS_ZH[choice.status]} is chosen twice", f"{STATUS_ZH[choice.status]} 重複勾選"),
                       bi("keep one line per option", "每個選項只寫一行"), "E-STATUS")
            return None
        choices.append(choice)
    return tuple(choices)


def _named_right(read: FieldReader, doc: SourceDoc, values: dict, data: Mapping) -> bool:
    """Report and return False where the file's name disagrees with its recommendation and agency."""
    expected = f"{values['recommendation']}.{values['agency']}{'.en' if doc.lang == 'en' else ''}.md"
    if doc.path.name == expected:
        return True
    read.error(data.key_lines["recommendation"], bi(f"the file name does not match its fields; it should be {expected}",
                                                    f"檔名與欄位不一致，應為 {expected}"),
               bi("rename the file, or correct the fields", "請更改檔名或更正欄位"), "E-FILE-NAME")
    return False


def response_cell(response: Response) -> str:
    """Return the response's two cells (主管單位/辦理情形 and 議題參採) as the source's text export writes them,
    rebuilt from the content: what a test holds against the seed, character for character."""
    lines = [response.reported_as, response.progress_heading, response.progress.zh]
    if response.laws_heading is not None:
        laws = response.laws.zh if response.laws else ""
        joined = response.laws_heading.endswith(("：", ":")) or not laws
        lines.append(response.laws_heading + laws if joined else f"{response.laws_heading}\n{laws}")
    chosen = {c.status: c.written for c in response.statuses}
    options = [chosen.get(status, UNCHECKED + STATUS_ZH[status]) for status in STATUSES]
    return "\n".join(lines) + "\n\t" + "\n".join(options)
