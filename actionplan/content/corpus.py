"""Turns parsed content files into the typed, frozen corpus; every field problem is reported at its line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .agencies import AgencyIndex
from .documents import load_documents
from ..base.errors import Problems
from .fields import (
    FieldReader, ShapedFields, curly_quoted, curly_quotes_problem, did_you_mean, quarter_hint, unknown_agency,
    unknown_measure,
)
from .kinds import kind_of
from .models import (
    MEASURE_ID_PATTERN, QUARTER_PATTERN, Agency, AgencyRef, Corpus, FormerName, Goal, Measure, Outcome, Plan, Quarter, Site, Strategy,
    Text,
)
from .schema import shape
from .whitepaper import FOLDER as WHITEPAPERS, load_whitepapers
from .sources import Mapping, Scalar, SourceDoc, bi, content_files, read_sources

# The fields each mapping may have, as the schemas (actionplan/content/schemas/) list them; the schemas also say which are
# required, what each holds and the patterns of ids, and the readers take all of that from them.
SITE_FIELDS = shape("site").names
AGENCY_FIELDS = shape("agencies", "agencies").names
FORMER_FIELDS = shape("agencies", "agencies", "former_names").names
PLAN_FIELDS = shape("plan").names
PERIOD_FIELDS = shape("plan", "period").names
GOAL_FIELDS = shape("plan", "goals").names
STRATEGY_FIELDS = shape("plan", "goals", "strategies").names
MEASURE_FIELDS = shape("plan", "goals", "strategies", "measures").names
OUTCOME_FIELDS = shape("outcome").names
OUTCOME_EN_FIELDS = shape("outcome-en").names


@dataclass
class EntryReads:
    """Entry files as a build read them, reused by the next while a file, the agency registry and this code are as
    they were: reading is most of what loading costs, and an edit changes one file of thousands. Only files read
    without a problem are kept, so that every problem is found again, in the same words, each run."""

    digests: dict[str, str]
    """The content hash of each source by path (``BuildState.sources``): what a kept read must still match."""
    registry: str
    """One hash of the agency registry, the code and the libraries: a kept read must have been read under it too."""
    kept: dict[str, tuple] = field(default_factory=dict)
    """By path: the hash it was read under, then the file's body, body line and language, and its fields (the
    path is not kept twice: unpickling tens of thousands of ``Path`` objects costs more than making them)."""

    def key(self, path: str) -> str | None:
        digest = self.digests.get(path)
        return None if digest is None else f"{self.registry} {digest}"

    def get(self, path: Path) -> tuple[SourceDoc, dict] | None:
        name = str(path)
        kept = self.kept.get(name)
        if kept is None or kept[0] != self.key(name):
            return None
        _, body, body_line, lang, fields = kept
        return SourceDoc(path, None, body, body_line, lang), fields

    def keep(self, entries: list[tuple[SourceDoc, dict | None, bool]]) -> None:
        """Keep the entries read without a problem, and forget files no longer read."""
        kept = {}
        for doc, fields, clean in entries:
            name = str(doc.path)
            key = self.key(name)
            if clean and fields is not None and key is not None:
                kept[name] = (key, doc.body, doc.body_line, doc.lang, fields)
        self.kept = kept


def build_corpus(content_dir: Path, problems: Problems, reads: EntryReads | None = None) -> Corpus | None:
    """Return the corpus built from every content file, or None when a file it depends on is unusable; entry files
    ``reads`` kept are not read again, and what is read goes into it."""
    paths = content_files(content_dir)
    depth = len(content_dir.parts)  # the paths start with content_dir's: looking past it spares relative_to
    entry_paths = [path for path in paths if path.parts[depth] == "outcomes"]
    whitepaper_paths = [path for path in paths if path.parts[depth] == WHITEPAPERS]
    entries = set(entry_paths) | set(whitepaper_paths)
    docs = read_sources([path for path in paths if path not in entries], problems)
    by_path = {doc.path.relative_to(content_dir).as_posix(): doc for doc in docs}
    site = _build_site(by_path.get("site.yaml"), content_dir / "site.yaml", problems)
    strings = _build_strings(by_path.get("strings.yaml"), content_dir / "strings.yaml", problems)
    agencies = _build_agencies(by_path.get("agencies.yaml"), content_dir / "agencies.yaml", problems)
    index = AgencyIndex(agencies.values())
    plans: dict[str, Plan] = {}
    for rel, doc in by_path.items():
        if _is_kind(rel, "plan"):
            plan = _build_plan(doc, index, problems)
            if plan is not None:
                if plan.id in plans:
                    problems.add(doc.path, 1, bi(f"plan id \"{plan.id}\" is used twice, also in {problems.rel(plans[plan.id].path)}",
                                                 f"方案代號「{plan.id}」重複，另見 {problems.rel(plans[plan.id].path)}"),
                                 bi("give each edition its own id", "每個版本請用不同代號"), code="E-ID-DUPLICATE")
                else:
                    plans[plan.id] = plan
    # The measures of each plan go to the workers reading entries: a measure changed in a file left under its old
    # name is then reported as unknown, with the closest one, in the run that reports the name.
    measures = {plan.id: [measure.id for measure in plan.measures] for plan in plans.values()}
    outcomes = _build_outcomes(_read_entries(entry_paths, content_dir, problems, index, reads, measures), problems)
    whitepapers = load_whitepapers(whitepaper_paths, content_dir, index, problems)
    documents = load_documents(by_path, problems)
    for rel, doc in by_path.items():
        if kind_of(rel) is None:
            problems.add(doc.path, 0, bi("this file is not part of any content type", "這個檔案不屬於任何內容類型"),
                         bi("move entries to content/outcomes/<quarter>/ and plans to content/plans/<id>/plan.yaml",
                            "執行成效請放在 content/outcomes/<季>/，方案請放在 content/plans/<代號>/plan.yaml"),
                         code="E-FILE-UNKNOWN")
    if site is None or strings is None:
        return None
    incomplete = frozenset(
        part for part, prefix in (("agencies", "agencies.yaml"), ("plans", "plans/"))
        if any(doc.unreadable for rel, doc in by_path.items() if rel.startswith(prefix))
    )
    return Corpus(site, strings, agencies, dict(sorted(plans.items())), tuple(sorted(outcomes, key=_outcome_order)),
                  incomplete, whitepapers=whitepapers, documents=documents)


def _is_kind(relative: str, name: str) -> bool:
    kind = kind_of(relative)
    return kind is not None and kind.name == name


def _outcome_order(outcome: Outcome) -> tuple:
    measure = tuple(int(p) for p in outcome.measure.split(".")) if MEASURE_ID_PATTERN.match(outcome.measure) else ()
    return (outcome.quarter, outcome.plan, measure, outcome.agency)


def _missing_file(path: Path, problems: Problems) -> None:
    problems.add(path, 0, bi("this required file is missing", "缺少這個必要檔案"),
                 bi("restore it from the repository", "請從版本庫還原"), code="E-FILE-MISSING")


def _top_mapping(doc: SourceDoc | None, path: Path, problems: Problems) -> tuple[FieldReader, Mapping] | None:
    """Return a reader and the top mapping of a required top-level file, or None after reporting why not."""
    if doc is None:
        _missing_file(path, problems)
        return None
    read = FieldReader(doc.path, problems)
    data = read.as_mapping(doc.data, path.name) if not doc.unreadable else None
    return (read, data) if data is not None else None


def _build_site(doc: SourceDoc | None, path: Path, problems: Problems) -> Site | None:
    top = _top_mapping(doc, path, problems)
    if top is None:
        return None
    read, data = top
    fields = read.fields(data, shape("site"), "site.yaml")
    values = {key: fields.value(key) for key in fields.shape.names}
    base_path = values["base_path"]
    if base_path is not None and not (base_path.startswith("/") and base_path.endswith("/")):
        read.error(data.key_lines["base_path"], bi(f"base_path \"{base_path}\" must start and end with /",
                                                   f"base_path「{base_path}」須以 / 開頭及結尾"),
                   bi("write / for a site at the root of its domain", "網站在網域根目錄時請寫 /"))
        return None
    if any(values[key] is None for key in fields.shape.required):
        return None
    return Site(**values, path=path, key_lines=dict(data.key_lines), text_lines=_text_lines(data))  # type: ignore[arg-type]


def _build_strings(doc: SourceDoc | None, path: Path, problems: Problems) -> dict[str, Text] | None:
    top = _top_mapping(doc, path, problems)
    if top is None:
        return None
    read, data = top
    strings_shape = shape("strings")
    each = strings_shape.each
    strings: dict[str, Text] = {}
    for key in data.items:
        text = read.bilingual(data, key, about=strings_shape.field(key), shape=each)
        if text is not None:
            if not text.en and "en" in each.required:
                read.error(data.key_lines[key], bi(f"interface text \"{key}\" has no English", f"介面文字「{key}」缺英文"),
                           bi("add an en: line", "請加上 en: 一行"), "E-FIELD-REQUIRED")
            strings[key] = text
    return strings


def _build_agencies(doc: SourceDoc | None, path: Path, problems: Problems) -> dict[str, Agency]:
    top = _top_mapping(doc, path, problems)
    if top is None:
        return {}
    read, data = top
    registry = read.fields(data, shape("agencies"), "agencies.yaml")
    agency_shape = registry.shape.inner("agencies")
    former_shape = agency_shape.inner("former_names")
    agencies: dict[str, Agency] = {}
    lines: dict[str, int] = {}
    for item in registry.sequence("agencies"):
        entry = read.as_mapping(item, "an agency", getattr(item, "line", 1))
        if entry is None:
            continue
        fields = read.fields(entry, agency_shape, "an agency", "機關")
        agency_id = fields.identifier("id")
        zh, en = fields.value("zh"), fields.value("en")
        formers = []
        for former_node in fields.sequence("former_names"):
            former_mapping = read.as_mapping(former_node, "a former name", getattr(former_node, "line", 1))
            if former_mapping is None:
                continue
            former = read.fields(former_mapping, former_shape, "a former name", "舊名稱")
            # The official English of an old name is often not on record: leave it out rather than invent one.
            fzh, fen = former.value("zh"), former.value("en")
            if fzh:
                formers.append(FormerName(fzh, fen, former.value("short_zh"), former.value("abbr"),
                                          former.value("renamed_on"), former.value("note"), former.value("verified")))
        if agency_id is None or zh is None or en is None:
            continue
        if agency_id in agencies:
            read.error(entry.key_lines["id"], bi(f"agency id \"{agency_id}\" is used twice (first on line {lines[agency_id]})",
                                                 f"機關代號「{agency_id}」重複（第 {lines[agency_id]} 行已有）"),
                       bi("give each agency its own id", "每個機關請用不同代號"), "E-ID-DUPLICATE")
            continue
        lines[agency_id] = entry.line
        agencies[agency_id] = Agency(
            agency_id, zh, en, fields.value("short_zh"), fields.value("abbr"), fields.value("parent"),
            fields.value("aliases"), tuple(formers), fields.value("verified"), fields.value("note"),
            fields.value("established"), entry.key_lines.get("id", entry.line),
        )
    for agency_id, agency in agencies.items():
        if agency.parent is not None and agency.parent not in agencies:
            read.error(lines[agency_id], bi(f"agency \"{agency_id}\" names an unknown parent \"{agency.parent}\"",
                                            f"機關「{agency_id}」的上級機關「{agency.parent}」不存在"),
                       did_you_mean(agency.parent, agencies), "E-AGENCY-UNKNOWN")
    return agencies


def _build_plan(doc: SourceDoc, index: AgencyIndex, problems: Problems) -> Plan | None:
    read = FieldReader(doc.path, problems)
    data = read.as_mapping(doc.data, "plan.yaml") if doc.data is not None else None
    if data is None:
        return None
    fields = read.fields(data, shape("plan"), "plan.yaml")
    plan_id = fields.identifier("id")
    if plan_id is not None and doc.path.parent.name != plan_id:
        read.error(data.key_lines["id"], bi(f"plan id \"{plan_id}\" does not match its folder \"{doc.path.parent.name}\"",
                                            f"方案代號「{plan_id}」與資料夾名稱「{doc.path.parent.name}」不一致"),
                   bi(f"keep the file at content/plans/{plan_id}/plan.yaml", f"請放在 content/plans/{plan_id}/plan.yaml"),
                   "E-ID-MISMATCH")
    start = end = None
    period_note = None
    period_node = fields.node("period")
    period = read.as_mapping(period_node, "\"period\"", data.key_lines.get("period", 1)) if period_node is not None else None
    if period is not None:
        period_fields = read.fields(period, fields.shape.inner("period"), "\"period\"", "「period」")
        start, end = period_fields.value("start"), period_fields.value("end")
        period_note = period_fields.value("note")
        if start and end and end < start:
            read.error(period.key_lines["end"], bi("the period ends before it starts", "實施期間的結束日早於開始日"),
                       bi("check the two dates", "請檢查兩個日期"), "E-DATE")
    elif period_node is None and fields.field("period").required:
        read.error(data.line, bi("field \"period\" is required", "必須填寫「period」欄位"),
                   bi("give start: and end: dates, or a note: saying what the source tells of the period",
                      "請填 start: 與 end: 日期，或以 note: 說明來源對期間的記載"), "E-FIELD-REQUIRED")
    goals = []
    for number, goal_node in enumerate(fields.sequence("goals"), start=1):
        goal = _build_goal(read, goal_node, number, plan_id or "", index)
        if goal is not None:
            goals.append(goal)
    # The texts and dates of the edition: every field but the three read above.
    values = {key: fields.value(key) for key in fields.shape.names if key not in ("id", "period", "goals")}
    if plan_id is None or any(values[key] is None for key in fields.shape.required & values.keys()):
        return None
    return Plan(plan_id, start=start, end=end, period_note=period_note, goals=tuple(goals), path=doc.path,
                text_lines=_text_lines(data), **values)


def _text_lines(data: Mapping) -> dict[str, int]:
    """Return the line each ``zh:``/``en:`` text of a mapping starts on, by ``field.lang``."""
    lines = {}
    for key, node in data.items.items():
        for lang, text in node.items.items() if isinstance(node, Mapping) else ():
            if isinstance(text, Scalar):
                lines[f"{key}.{lang}"] = text.text_line
    return lines


def _check_number(read: FieldReader, fields: ShapedFields, expected: int, what: str) -> int | None:
    number = fields.value("number")
    if number is not None and number != expected:
        read.error(fields.mapping.key_lines["number"],
                   bi(f"{what} number {number} is out of order; expected {expected}",
                      f"{what}編號 {number} 順序不對，應為 {expected}"),
                   bi("number them 1, 2, 3… in the order of the source", "請依原文順序編為 1、2、3…"), "E-NUMBER")
        return None
    return number


def _build_goal(read: FieldReader, node, expected: int, plan_id: str, index: AgencyIndex) -> Goal | None:
    entry = read.as_mapping(node, "a goal", getattr(node, "line", 1))
    if entry is None:
        return None
    goal = read.fields(entry, shape("plan", "goals"), "a goal", "目標")
    number = _check_number(read, goal, expected, "goal 目標")
    title = goal.value("title")
    strategies = []
    for s_number, s_node in enumerate(goal.sequence("strategies"), start=1):
        s_entry = read.as_mapping(s_node, "a strategy", getattr(s_node, "line", 1))
        if s_entry is None or number is None:
            continue
        strategy = read.fields(s_entry, goal.shape.inner("strategies"), "a strategy", "實施要領")
        s_num = _check_number(read, strategy, s_number, "strategy 實施要領")
        s_title = strategy.value("title")
        measures = []
        for m_number, m_node in enumerate(strategy.sequence("measures"), start=1):
            measure = _build_measure(read, m_node, m_number, plan_id, number, s_number, index)
            if measure is not None:
                measures.append(measure)
        if s_num is not None and s_title is not None:
            strategies.append(Strategy(number, s_num, s_title, tuple(measures), strategy.value("note")))
    if number is None or title is None:
        return None
    return Goal(number, title, tuple(strategies), goal.value("note"))


def _build_measure(read: FieldReader, node, expected: int, plan_id: str, goal: int, strategy: int,
                   index: AgencyIndex) -> Measure | None:
    entry = read.as_mapping(node, "a measure", getattr(node, "line", 1))
    if entry is None:
        return None
    fields = read.fields(entry, shape("plan", "goals", "strategies", "measures"), "a measure", "執行措施")
    number = _check_number(read, fields, expected, "measure 執行措施")
    text, schedule = fields.value("text"), fields.value("schedule")
    lead = _agency_ref(read, fields, "lead", index)
    co = _agency_ref(read, fields, "co", index)
    if number is None:
        return None
    # A measure with a faulty field stays in the plan (its error is reported), so that the entries reporting on
    # it are not also flagged as naming an unknown measure.
    return Measure(plan_id, goal, strategy, number, text or Text(""), lead or AgencyRef("", ()), co or AgencyRef("", ()),
                   schedule or Text(""), entry.line, fields.value("note"))


def _agency_ref(read: FieldReader, fields: ShapedFields, key: str, index: AgencyIndex) -> AgencyRef | None:
    node = fields.node(key)
    is_blank = node is None or (isinstance(node, Scalar) and node.kind == "text" and node.value == "")
    if is_blank and not fields.field(key).required:
        return AgencyRef("", ())
    written = fields.value(key)
    if written is None:
        return None
    line = fields.mapping.key_lines[key]
    resolved = index.resolve_cell(written)
    if resolved is None:
        read.error(line, bi(f"the brackets in \"{written}\" do not pair up", f"「{written}」的括號不成對"),
                   bi("write it as 經濟部(智慧財產局、產業發展署)", "請寫成「經濟部(智慧財產局、產業發展署)」的形式"),
                   "E-AGENCY-FORMAT")
        return None
    ids: list[str] = []
    for parent, unit, agency_id in resolved:
        if agency_id is None and not index.agencies:
            continue  # agencies.yaml could not be read: its own errors say why; naming every cell would bury them.
        if agency_id is None:
            name = parent + (f"({unit})" if unit else "")
            read.error(line, bi(f"unknown agency \"{name}\" in {key}", f"{key} 中的機關「{name}」不在機關名冊中"),
                       did_you_mean(parent + (unit or ""), index.names())
                       or bi("add it to content/agencies.yaml or correct the name", "請在 content/agencies.yaml 新增或更正名稱"),
                       "E-AGENCY-UNKNOWN")
            continue
        if agency_id not in ids:
            ids.append(agency_id)
    return AgencyRef(written, tuple(ids))


def read_outcomes(paths: list[Path], content_dir: Path, problems: Problems, index: AgencyIndex) -> list[Outcome]:
    """Return the outcomes some entry files make (an entry and its translation make one), as ``build_corpus``
    makes them, with their problems in ``problems``."""
    return _build_outcomes(_read_entries(paths, content_dir, problems, index, None), problems)


def _read_entries(paths: list[Path], content_dir: Path, problems: Problems, index: AgencyIndex,
                  reads: EntryReads | None,
                  measures: dict[str, list[str]] | None = None) -> list[tuple[SourceDoc, dict | None, bool]]:
    """Return each entry file, without its parsed front matter, with its fields (None when they are unusable) and
    whether it was read without a problem. Entries are most of the files: each is read into its fields by the worker
    that parsed it, which needs the agency names for that and so comes after the registry."""
    kept = {} if reads is None else {path: found for path in paths if (found := reads.get(path)) is not None}
    fresh = iter(read_sources([path for path in paths if path not in kept], problems,
                              partial(_read_entry, content_dir, index, measures)))
    entries = [(*kept[path], True) if path in kept else _entry(path, *next(fresh)) for path in paths]
    if reads is not None:
        reads.keep(entries)
    return entries


def _read_entry(content_dir: Path, index: AgencyIndex, measures: dict[str, list[str]] | None, doc: SourceDoc,
                problems: Problems) -> tuple[str | None, int, str, dict | None, bool]:
    """Return what the build keeps of an entry file: its body, body line and language, its fields and whether it was
    read without a problem. Not the path, which the caller has: pickling it back from the worker costs more."""
    fields = _read_outcome_fields(doc, content_dir, problems, index, measures) if doc.path.suffix == ".md" else None
    return doc.body, doc.body_line, doc.lang, fields, not problems.found


def _entry(path: Path, body: str | None, body_line: int, lang: str, fields: dict | None,
           clean: bool) -> tuple[SourceDoc, dict | None, bool]:
    return SourceDoc(path, None, body, body_line, lang), fields, clean


def _build_outcomes(entries: list[tuple[SourceDoc, dict | None, bool]], problems: Problems) -> list[Outcome]:
    """Pair each Chinese entry with its English translation and return them as outcomes."""
    chinese: dict[tuple, tuple[SourceDoc, dict]] = {}
    english: dict[tuple, tuple[SourceDoc, dict]] = {}
    for doc, fields, _ in entries:
        if doc.path.suffix != ".md":
            problems.add(doc.path, 0, bi("outcome entries are Markdown files (.md)", "執行成效須為 Markdown 檔（.md）"),
                         bi("run `python build.py new` to create one", "請用 `python build.py new` 建立"), code="E-FILE-UNKNOWN")
            continue
        if fields is None:
            continue
        key = (fields["plan"], fields["measure"], fields["agency"], fields["quarter"])
        table = english if doc.lang == "en" else chinese
        if key in table:
            problems.add(doc.path, fields["lines"]["measure"],
                         bi(f"a second entry for measure {key[1]}, agency {key[2]}, {key[3]} (also in {problems.rel(table[key][0].path)})",
                            f"同一季、同一措施、同一機關的第二筆執行成效（另見 {problems.rel(table[key][0].path)}）"),
                         bi("keep one file and merge the texts", "請合併為一個檔案"), code="E-ID-DUPLICATE")
            continue
        table[key] = (doc, fields)
    outcomes = []
    # One object for each quarter, date and field text (經常辦理 / Ongoing), not one per entry read: the
    # corpus is kept pickled between builds (``kept_build``), and each object is one more to make when it is loaded.
    one: dict = {}

    def shared(value):
        return value if value is None else one.setdefault(value, value)

    for key, (doc, fields) in chinese.items():
        en_doc, en_fields = english.pop(key, (None, None))
        body = Text(doc.body or "", en_doc.body if en_doc and en_doc.body and en_doc.body.strip() else None)
        updated = max(d for d in (fields["updated"], en_fields and en_fields.get("updated")) if d)
        outcomes.append(Outcome(
            plan=key[0], measure=key[1], agency=key[2], quarter=shared(key[3]), body=body,
            completion=shared(_with_english(fields.get("completion"), en_fields and en_fields.get("completion"))),
            remarks=shared(_with_english(fields.get("remarks"), en_fields and en_fields.get("remarks"))),
            reported_as=fields.get("reported_as"),
            note=shared(_with_english(fields.get("note"), en_fields and en_fields.get("note"))),
            updated=shared(updated),
            path=doc.path, en_path=en_doc.path if en_doc else None,
            lines={**fields["lines"], "body_en": en_doc.body_line if en_doc else 0},
        ))
    for key, (doc, fields) in english.items():
        zh_name = f"{key[1]}.{key[2]}.md"
        twin = next(((twin_doc, twin_fields) for twin_key, (twin_doc, twin_fields) in chinese.items()
                     if twin_key[1:] == key[1:]), None)
        if twin is not None:
            twin_doc, twin_fields = twin
            problems.add(doc.path, fields["lines"]["plan"],
                         bi(f"plan \"{key[0]}\" differs from the Chinese entry {problems.rel(twin_doc.path)}, "
                            f"which says \"{twin_fields['plan']}\"",
                            f"方案「{key[0]}」與中文執行成效 {problems.rel(twin_doc.path)} 的「{twin_fields['plan']}」不一致"),
                         bi(f"write plan: \"{twin_fields['plan']}\" as the Chinese entry does, or correct that one",
                            f"請依中文檔寫 plan: \"{twin_fields['plan']}\"，或更正中文檔"), code="E-TRANSLATION-MISMATCH")
            continue
        if (doc.path.parent / zh_name).exists():
            continue  # The Chinese twin exists but could not be read; its own errors say why.
        problems.add(doc.path, fields["lines"]["measure"],
                     bi("this English translation has no Chinese entry with the same plan, measure, agency and quarter",
                        "這份英文翻譯找不到相同方案、措施、機關及季別的中文執行成效"),
                     bi(f"check the fields against {zh_name} beside it", f"請對照同資料夾的 {zh_name} 檢查欄位"),
                     code="E-TRANSLATION-ORPHAN")
    return outcomes


def _agency_named(index: AgencyIndex, name: str) -> str | None:
    """Return the id of the one agency ``name`` names (財政部關務署, 財政部(關務署), TIPO), or None."""
    ids = {agency_id for _, _, agency_id in index.resolve_cell(name) or ()}
    return ids.pop() if len(ids) == 1 and None not in ids else None


def _with_english(zh: str | None, en: str | None) -> Text | None:
    return Text(zh, en) if zh else None


def _read_outcome_fields(doc: SourceDoc, content_dir: Path, problems: Problems, index: AgencyIndex,
                         measures: dict[str, list[str]] | None = None) -> dict | None:
    read = FieldReader(doc.path, problems, _examples_from_name(doc.path, index, measures),
                       ("the front matter, between the two --- lines", "front matter（兩行 --- 之間）"))
    found = read.front_matter(doc, "outcome", "an outcome entry", "執行成效檔")
    if found is None:
        return None
    data, front = found
    english = doc.lang == "en"
    fields: dict = {
        "plan": front.identifier("plan"),
        "measure": front.identifier("measure"),
        "agency": front.identifier("agency", id_of_name=partial(_agency_named, index)),
        "updated": front.value("updated"),
        "completion": front.value("completion"),
        "remarks": front.value("remarks"),
        "reported_as": front.value("reported_as") if "reported_as" in front.shape.names else None,
        "note": front.value("note"),
        "lines": {**{key: data.key_lines.get(key, 2) for key in OUTCOME_FIELDS}, "body": doc.body_line},
    }
    quarter_text = front.value("quarter")
    if quarter_text is not None:
        inner = curly_quoted(quarter_text)
        if front.field("quarter").pattern.match(quarter_text):
            fields["quarter"] = Quarter.parse(quarter_text)
        elif inner is not None and front.field("quarter").pattern.match(inner):
            read.error(data.key_lines["quarter"], *curly_quotes_problem("quarter", quarter_text, inner, quote=False),
                       "E-QUARTER")
        else:
            read.error(data.key_lines["quarter"], bi(f"\"quarter\" must look like 2024-Q3, not \"{quarter_text}\"",
                                                     f"「quarter」須寫成 2024-Q3 的形式，而非「{quarter_text}」"),
                       quarter_hint(quarter_text, "quarter: "), "E-QUARTER")
    # The file name is checked whenever the fields that name the entry could be read, so that an editor learns of
    # a misnamed file in the same run as of a bad date or an empty text.
    named = all(fields.get(key) is not None for key in ("measure", "agency", "quarter"))
    misnamed = named and _misnamed(read, doc, fields, content_dir, index, measures)
    if any(fields.get(key) is None for key in front.shape.required):
        # The entry goes no further, so validation will not look its agency up: that is said here, in the same run.
        agency = fields.get("agency")
        if agency is not None and index.agencies and agency not in index.agencies:
            read.error(fields["lines"]["agency"], *unknown_agency(agency, index.agencies), "E-AGENCY-UNKNOWN")
        return None
    if not english and not (doc.body or "").strip():
        read.error(doc.body_line, bi("the entry has no text", "執行成效沒有內容"),
                   bi("write what was done this quarter below the front matter, or 本季無新進度 if nothing was",
                      "請在 front matter 下方填寫本季執行成效；若無進度請寫「本季無新進度」"), "E-FIELD-REQUIRED")
        return None
    return None if misnamed else fields


def _misnamed(read: FieldReader, doc: SourceDoc, fields: dict, content_dir: Path, index: AgencyIndex,
              measures: dict[str, list[str]] | None) -> bool:
    """Report and return whether the file's place disagrees with the fields that name the entry; a measure or an
    agency the field names that does not exist is reported as such (the entry goes no further, to validation)."""
    english = doc.lang == "en"
    expected = f"outcomes/{fields['quarter'].id}/{fields['measure']}.{fields['agency']}{'.en' if english else ''}.md"
    if doc.path.parts[len(content_dir.parts):] == tuple(expected.split("/")):  # as relative_to would say, sooner
        return False
    named = _named_ids(doc.path)
    agency = fields["agency"]
    if agency not in index.agencies and named["agency"] in index.agencies and index.agencies:
        # A typo in the field, not a misnamed file: renaming the file after the typo would be the wrong advice.
        read.error(fields["lines"]["agency"], *unknown_agency(agency, index.agencies, bi(
                       f"the file name says {named['agency']}: write agency: {named['agency']}",
                       f"檔名寫的是 {named['agency']}：請寫 agency: {named['agency']}")), "E-AGENCY-UNKNOWN")
        if fields["quarter"].id == named["quarter"] and fields["measure"] == named["measure"]:
            return True  # the agency was the only disagreement
    plan_measures = (measures or {}).get(fields.get("plan") or "")
    measure = fields["measure"]
    if plan_measures is not None and measure != named["measure"] and measure not in plan_measures:
        # A measure changed and the file left alone: what is wrong first is that no such measure exists.
        otherwise = None
        if named["measure"] in plan_measures:
            otherwise = bi(f"did you mean \"{named['measure']}\", as the file name says? write measure: \"{named['measure']}\"",
                           f"是否要寫檔名上的「{named['measure']}」？請寫 measure: \"{named['measure']}\"")
        message, hint = unknown_measure(measure, fields["plan"], plan_measures)
        read.error(fields["lines"]["measure"], message, otherwise or hint, "E-MEASURE-UNKNOWN")
        if fields["quarter"].id == named["quarter"] and fields["agency"] == named["agency"]:
            return True  # the measure was the only disagreement: renaming the file after it would be wrong advice
    _report_file_name(read, doc, fields, content_dir, expected)
    return True


def _named_ids(path: Path) -> dict[str, str]:
    """Return the quarter, measure and agency a file's place says: outcomes/2024-Q3/3.1.5.tipo(.en).md."""
    name = path.name.removesuffix(".md").removesuffix(".en")
    measure, _, agency = name.rpartition(".")
    return {"quarter": path.parent.name, "measure": measure, "agency": agency}


def _report_file_name(read: FieldReader, doc: SourceDoc, fields: dict, content_dir: Path, expected: str) -> None:
    """Report each field that disagrees with the file's name, at its own line; for a translation, name its twin."""
    values = {"quarter": fields["quarter"].id, "measure": fields["measure"], "agency": fields["agency"]}
    named = _named_ids(doc.path)
    differing = [key for key in values if values[key] != named[key]]
    twin = doc.path.with_name(doc.path.name.removesuffix(".en.md") + ".md")
    if differing == ["quarter"] and QUARTER_PATTERN.match(named["quarter"]) and _moved(doc, values["quarter"]):
        _report_other_folder(read, doc, fields, values["quarter"], named["quarter"])
        return
    if doc.lang == "en" and twin.exists() and differing and doc.path.parent.parent.name == "outcomes":
        rel = read.problems.rel(twin)
        for key in differing:
            read.error(fields["lines"][key],
                       bi(f"{key} \"{values[key]}\" differs from the Chinese entry {rel}, which is filed under \"{named[key]}\"",
                          f"{key}「{values[key]}」與中文執行成效 {rel} 的「{named[key]}」不一致"),
                       bi(f"write {key}: \"{named[key]}\" as the Chinese entry does, or rename both files",
                          f"請依中文檔寫 {key}: \"{named[key]}\"，或同時更改兩個檔名"), "E-TRANSLATION-MISMATCH")
        return
    line = fields["lines"][differing[0]] if differing else fields["lines"]["measure"]
    read.error(line, bi(f"the file name does not match its fields; it should be content/{expected}",
                        f"檔名與欄位不一致，應為 content/{expected}"),
               bi("rename the file, or correct the fields", "請更改檔名或更正欄位"), "E-FILE-NAME")


def _pair(doc: SourceDoc) -> tuple[Path, Path]:
    """Return the Chinese file of an entry and its English translation's, beside it."""
    stem = doc.path.name.removesuffix(".md").removesuffix(".en")
    return doc.path.with_name(f"{stem}.md"), doc.path.with_name(f"{stem}.en.md")


_QUARTER_LINE = re.compile(r"^quarter:[ \t]*[\"']?([0-9]{4}-Q[1-4])\b", re.MULTILINE)


def _moved(doc: SourceDoc, quarter: str) -> bool:
    """Return whether the file is in another quarter's folder than its quarter field says, as a whole entry is: a
    Chinese file, or a translation whose Chinese file is missing or says the same quarter (both were moved)."""
    if doc.lang != "en":
        return True
    chinese, _ = _pair(doc)
    try:
        head = chinese.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return True
    written = _QUARTER_LINE.search(head)
    return written is None or written.group(1) == quarter


def _report_other_folder(read: FieldReader, doc: SourceDoc, fields: dict, quarter: str, folder: str) -> None:
    """Report an entry in another quarter's folder than its quarter field says; its Chinese and English files are
    told the same thing, which covers both."""
    files = [path.name for path in _pair(doc) if path.exists()]
    names, names_zh = " and ".join(files), " 及 ".join(files)
    both, both_zh = ("both files", "兩個檔案") if len(files) > 1 else ("the file", "檔案")
    read.error(fields["lines"]["quarter"],
               bi(f"quarter {quarter} is not the quarter of the folder the file is in, outcomes/{folder}/",
                  f"quarter {quarter} 與檔案所在的資料夾 outcomes/{folder}/ 季別不一致"),
               bi(f"if the entry is for {folder}, write quarter: {folder} in {names}; if it is for {quarter}, "
                  f"move {both} back to content/outcomes/{quarter}/",
                  f"若為 {folder} 的執行成效，請在 {names_zh} 寫 quarter: {folder}；若為 {quarter} 的，"
                  f"請把{both_zh}移回 content/outcomes/{quarter}/"), "E-FILE-NAME")


def _examples_from_name(path: Path, index: AgencyIndex, measures: dict[str, list[str]] | None) -> dict[str, str]:
    """Return the lines a missing field would be, as the file's place says them (outcomes/2024-Q3/3.1.5.tipo.md):
    its quarter, measure and agency, and its plan where a single plan has that measure."""
    named = _named_ids(path)
    examples = {}
    if QUARTER_PATTERN.match(named["quarter"]):
        examples["quarter"] = f"quarter: {named['quarter']}"
    if MEASURE_ID_PATTERN.match(named["measure"]):
        examples["measure"] = f"measure: \"{named['measure']}\""
        having = [plan for plan, ids in (measures or {}).items() if named["measure"] in ids]
        if len(having) == 1:
            examples["plan"] = f"plan: \"{having[0]}\""
    if named["agency"] in index.agencies:
        examples["agency"] = f"agency: {named['agency']}"
    return examples
