"""Imports a quarterly tracking table: the edition's goals, strategies and measures where content/ lacks
them, and one outcome entry per reporting body per measure.

Nothing is written unless the whole table imports cleanly: every problem is reported with its source line,
and a table that cannot be placed leaves content/ untouched.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click

from ..content.agencies import AgencyIndex, is_responsible
from .cell_markdown import to_markdown
from ..base.errors import WARNING, BuildFailed, Problems
from ..content.fields import did_you_mean
from ..content.i18n import chinese_number, quarter_months
from ..content.models import ROC_OFFSET, Corpus, Quarter
from ..build.pipeline import Project, load
from .content_writes import check_in_a_copy, write_files
from ..content.sources import bi, split_front_matter
from ..site.table_files import cell_paragraphs
from .table_model import PERIOD_HEADING, Block, RawRow, RawTable, chinese_to_int, compact
from .table_rows import MEASURE_START, STRATEGY_START
from .table_text import read_text_table

UNLISTED_NOTE = "原表將本段列於此執行措施之下；本措施的主辦及協辦機關並未列出此機關。"
UNLISTED_NOTE_EN = "The source table files this under this measure, although the measure does not list this agency as lead or co-agency."
_REPORTER = re.compile(r"^【([^】]+)】\s*")
_INNER_REPORTER = re.compile(r"(?<=\s)【([^】]+)】")
_LEAD_CO = re.compile(r"[/／]")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


@dataclass
class ImportedEntry:
    """One outcome entry as it will be written."""

    measure: str
    agency: str
    reported_as: str
    body: str
    completion: str
    remarks: str
    line: int
    unlisted: bool = False
    """The table files it under a measure that does not list the agency: the entry says so."""


@dataclass
class ImportedMeasure:
    goal: int
    strategy: int
    number: int
    text: str
    lead: str
    co: str
    schedule: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.goal}.{self.strategy}.{self.number}"


@dataclass
class ImportedTable:
    """What a table holds, read into the content model's terms."""

    title: str
    goals: list[tuple[int, str]] = field(default_factory=list)
    strategies: list[tuple[int, int, str]] = field(default_factory=list)
    measures: list[ImportedMeasure] = field(default_factory=list)
    entries: list[ImportedEntry] = field(default_factory=list)


def read_table(path: Path, problems: Problems) -> RawTable | None:
    """Return the raw table of a text export, a Word file or an OpenDocument text, chosen by the file's suffix."""
    if path.suffix.lower() == ".docx":
        from .table_docx import read_docx_table  # python-docx and lxml load only when a Word file comes

        return read_docx_table(path, problems)
    if path.suffix.lower() == ".odt":
        from .table_odt import read_odt_table  # odfdo loads only when an OpenDocument file comes

        return read_odt_table(path, problems)
    return read_text_table(path, problems)


def interpret(raw: RawTable, path: Path, quarter: Quarter, index: AgencyIndex, problems: Problems) -> ImportedTable:
    """Return goals, strategies, measures and entries of the table; what cannot be placed is reported."""
    _check_period(raw, path, quarter, problems)
    title = next((b.text.strip("「」『』 ") for b in raw.heading if "行動方案" in b.text), "")
    table = ImportedTable(title)
    unreported: list[ImportedMeasure] = []
    for goal in raw.goals:
        table.goals.append((goal.number, goal.title))
        strategy = 0
        measure = 0
        for row in goal.rows:
            strategy_text = _title_text(row.text("strategy"))
            if strategy_text:
                match = STRATEGY_START.match(strategy_text)
                number = chinese_to_int(match.group(1)) if match else None
                if number != strategy + 1:
                    problems.add(path, row.line, bi(f"strategy 「{_excerpt(strategy_text)}」 should be numbered ({chinese_number(strategy + 1)})",
                                                    f"實施要領「{_excerpt(strategy_text)}」的編號應為({chinese_number(strategy + 1)})"),
                                 bi("check the numbering of the strategies in this goal", "請檢查本目標實施要領的編號"),
                                 code="E-TABLE-NUMBER")
                strategy, measure = strategy + 1, 0
                table.strategies.append((goal.number, strategy, strategy_text[match.end():] if match else strategy_text))
            if strategy == 0:
                problems.add(path, row.line, bi("a measure before the first strategy of its goal", "目標的第一個實施要領之前有執行措施"),
                             bi("put the strategy (一)… in the first column", "請在第一欄填入實施要領（一）…"), code="E-TABLE-NUMBER")
                continue
            imported = _measure(row, goal.number, strategy, measure, path, problems)
            if imported is None:
                continue
            measure = imported.number
            table.measures.append(imported)
            table.entries.extend(_entries(row, imported, path, index, problems, unreported))
    if unreported:
        # A blank table sent out (build.py blank-table) comes back with only the rows its agency reports on filled.
        ids = ", ".join(m.id for m in unreported)
        problems.add(path, unreported[0].line, bi(f"{len(unreported)} measures have no outcome text, and nothing is imported for them: {ids}",
                                                  f"{len(unreported)} 項執行措施沒有執行成效，不匯入任何資料：{ids}"),
                     bi("if an agency reported on one, write what it did in its row, opened by 【機關名稱】",
                        "若有機關填報，請在該列填寫執行成效，並以【機關名稱】開頭"),
                     code="W-TABLE-UNREPORTED", severity=WARNING)
    return table


def _check_period(raw: RawTable, path: Path, quarter: Quarter, problems: Problems) -> None:
    """The heading says which months the table reports (107年7月至9月); it must be the quarter asked for."""
    for block in raw.heading:
        match = PERIOD_HEADING.search(block.text)
        if match:
            year, first, last = (int(g) for g in match.groups())
            if (year + ROC_OFFSET, first, last) != (quarter.year, quarter.start.month, quarter.end.month):
                problems.add(path, block.line, bi(f"the table reports {match.group(0)}, not {quarter.id}",
                                                  f"此表填報期間為{match.group(0)}，不是 {quarter_months(quarter, 'zh')}"),
                             bi("check --quarter", "請確認 --quarter"), code="E-TABLE-QUARTER")
            return


def _measure(row: RawRow, goal: int, strategy: int, previous: int, path: Path, problems: Problems) -> ImportedMeasure | None:
    text = _title_text(row.text("measure"))
    match = MEASURE_START.match(text)
    if match:
        number = int(match.group(1))
        text = text[match.end():]
    else:
        number = 1  # a strategy with one measure leaves it unnumbered
    if number != previous + 1:
        problems.add(path, row.line, bi(f"measure 「{_excerpt(text)}」 is numbered {number}; expected {previous + 1}",
                                        f"執行措施「{_excerpt(text)}」編號為 {number}，應為 {previous + 1}"),
                     bi("number the measures of a strategy 1. 2. 3. in order", "同一實施要領下的執行措施請依序編為 1. 2. 3."),
                     code="E-TABLE-NUMBER")
        return None
    if not text:
        problems.add(path, row.line, bi("a row without a measure", "此列沒有執行措施"),
                     bi("fill in the 執行措施 column", "請填寫「執行措施」欄"), code="E-TABLE-EMPTY")
        return None
    cell = " ".join(row.text("agencies", " ").split())
    lead, co = (part.strip() for part in _LEAD_CO.split(cell, maxsplit=1)) if _LEAD_CO.search(cell) else (cell, "")
    return ImportedMeasure(goal, strategy, number, text, lead, co, compact(row.text("completion")), row.line)


def _title_text(text: str) -> str:
    """Return a strategy or measure as written, without the spaces a line wrap left between Chinese characters."""
    return _CJK_GAP.sub("", " ".join(text.split()))


def _entries(row: RawRow, measure: ImportedMeasure, path: Path, index: AgencyIndex, problems: Problems,
             unreported: list[ImportedMeasure]) -> list[ImportedEntry]:
    """Split the outcome cell at its 【reporting body】 markers: one entry per body."""
    groups: list[tuple[str, int, list[str]]] = []
    for block in _split_at_reporters(row.cells["outcome"], index):
        marker = _REPORTER.match(block.text)
        if marker:
            groups.append((marker.group(1), block.line, []))
            rest = block.text[marker.end():].strip()
            if rest:
                groups[-1][2].append(rest)
        elif groups:
            groups[-1][2].append(block.text)
        else:
            groups.append(("", block.line, [block.text]))
    allowed = _responsible(measure, index)
    if not groups:
        unreported.append(measure)  # reported once for the table by ``interpret``
    entries: dict[str, ImportedEntry] = {}
    for name, line, paragraphs in groups:
        if not name:
            if len(allowed) != 1:
                problems.add(path, line, bi(f"outcome text of measure {measure.id} does not say which agency reported it",
                                            f"執行措施 {measure.id} 的執行成效未註明填報機關"),
                             bi("begin it with the reporting body in 【】, e.g. 【經濟部智慧財產局】",
                                "請在開頭以【】註明填報機關，例如【經濟部智慧財產局】"), code="E-TABLE-REPORTER")
                continue
            agency = allowed[0]
        else:
            agency = index.find(name)
            if agency is None:
                problems.add(path, line, bi(f"unknown reporting body 【{name}】", f"填報機關【{name}】不在機關名冊中"),
                             did_you_mean(name, index.names())
                             or bi("add it to content/agencies.yaml (as a name or alias)", "請在 content/agencies.yaml 新增名稱或別名"),
                             code="E-AGENCY-UNKNOWN")
                continue
        if not paragraphs:
            problems.add(path, line, bi(f"【{name}】 has no text for measure {measure.id}", f"【{name}】在執行措施 {measure.id} 沒有內容"),
                         bi("write what was done, or 本季無新進度", "請填寫執行成效，或「本季無新進度」"), code="E-TABLE-EMPTY")
            continue
        if agency in entries:
            problems.add(path, line, bi(f"【{name}】 reports twice on measure {measure.id}", f"【{name}】在執行措施 {measure.id} 填報兩次"),
                         bi("merge the two parts under one 【】", "請將兩段合併於同一個【】之下"), code="E-TABLE-REPORTER")
            continue
        entries[agency] = ImportedEntry(measure.id, agency, name, to_markdown(paragraphs), measure.schedule,
                                        " ".join(row.text("remarks", " ").split()), line,
                                        not is_responsible(index.agencies, agency, allowed))
    return list(entries.values())


def _split_at_reporters(blocks: list[Block], index: AgencyIndex) -> list[Block]:
    """Return the paragraphs with each 【known body】 starting one, where an export ran two reports together."""
    split = []
    for block in blocks:
        start = 0
        for match in _INNER_REPORTER.finditer(block.text):
            if index.find(match.group(1)) is not None:
                split.append(Block(block.text[start:match.start()].strip(), block.line))
                start = match.start()
        split.append(Block(block.text[start:].strip(), block.line))
    return [b for b in split if b.text]


def _responsible(measure: ImportedMeasure, index: AgencyIndex) -> list[str]:
    ids = []
    for part in (measure.lead, measure.co):
        for _, _, agency in index.resolve_cell(part) or []:
            if agency and agency not in ids:
                ids.append(agency)
    return ids


def _excerpt(text: str, length: int = 20) -> str:
    return text if len(text) <= length else text[:length] + "…"


@dataclass
class ImportPlan:
    """The files an import writes, and those it leaves because they already hold the same text."""

    writes: dict[Path, str] = field(default_factory=dict)
    unchanged: list[Path] = field(default_factory=list)


def plan_files(project: Project, corpus: Corpus, table: ImportedTable, source: Path, quarter: Quarter, plan_id: str,
               updated: date, problems: Problems) -> ImportPlan:
    """Return what to write: the edition if content/ lacks it, checked against it if not, and the entries."""
    result = ImportPlan()
    plan = corpus.plans.get(plan_id)
    if plan is None:
        result.writes[project.content / "plans" / plan_id / "plan.yaml"] = plan_yaml(table, source, quarter, plan_id, updated)
    else:
        _compare_with_plan(table, corpus, plan_id, source, problems)
    folder = project.content / "outcomes" / quarter.id
    for entry in table.entries:
        target = folder / f"{entry.measure}.{entry.agency}.md"
        text = entry_file(entry, plan_id, quarter, updated, source)
        if target.exists():
            agency = corpus.agencies.get(entry.agency)
            names = {agency.zh, *(f.zh for f in agency.former_names)} if agency else set()
            if _same_entry(target.read_text(encoding="utf-8"), text, names):
                result.unchanged.append(target)
                continue
            problems.add(source, entry.line, bi(f"{problems.rel(target)} already exists with other text",
                                                f"{problems.rel(target)} 已存在且內容不同"),
                         bi("delete it first if the table replaces it", "若此表取代之，請先刪除該檔"), code="E-IMPORT-EXISTS")
            continue
        result.writes[target] = text
    return result


def _same_entry(old: str, new: str, names: set[str] = frozenset()) -> bool:
    """Return whether an entry file already says what the table does: the same text but for its updated date and the
    comment naming the source, or the same fields and a body that the table, as ``table_files`` writes it, gives
    back as the table's; a file without ``reported_as`` matches a table naming the agency by one of ``names``, and
    the site's own note, which no table holds, is left out."""
    strip = re.compile(r"^(updated: .*|# Imported from .*)$", re.MULTILINE)
    if strip.sub("", old) == strip.sub("", new):
        return True
    parsed = [_parsed(text) for text in (old, new)]
    if parsed[0] is None or parsed[1] is None:
        return False
    (old_fields, old_body), (new_fields, new_body) = parsed
    for fields in (old_fields, new_fields):
        fields.pop("updated", None)
    if "reported_as" not in old_fields and new_fields.get("reported_as") in names:
        new_fields.pop("reported_as")
    if "note" not in new_fields:
        old_fields.pop("note", None)
    return old_fields == new_fields and to_markdown(cell_paragraphs(old_body)) == new_body


def _parsed(text: str) -> tuple[dict, str] | None:
    """Return an entry file's fields and body, or None where it cannot be read as one."""
    import yaml

    split = split_front_matter(text, Path("entry.md"), Problems())
    if split is None:
        return None
    try:
        fields = yaml.safe_load(split[0])
    except yaml.YAMLError:
        return None
    return (fields, split[1]) if isinstance(fields, dict) else None


def _compare_with_plan(table: ImportedTable, corpus: Corpus, plan_id: str, source: Path, problems: Problems) -> None:
    """The table must report on the edition as content/ has it: same measures, same texts."""
    for imported in table.measures:
        measure = corpus.measure(plan_id, imported.id)
        if measure is None:
            problems.add(source, imported.line, bi(f"measure {imported.id} is not in plan {plan_id}", f"方案 {plan_id} 沒有執行措施 {imported.id}"),
                         bi("check --plan, or the numbering of the table", "請確認 --plan 或表格的編號"), code="E-MEASURE-UNKNOWN")
        elif compact(measure.text.zh) != compact(imported.text):
            problems.add(source, imported.line, bi(f"measure {imported.id} reads 「{imported.text}」 in the table but 「{measure.text.zh}」 in plan {plan_id}",
                                                   f"執行措施 {imported.id} 在表中為「{imported.text}」，方案 {plan_id} 則為「{measure.text.zh}」"),
                         bi("check that the table reports on this edition, and its numbering", "請確認此表所據方案版本及編號"),
                         code="E-TABLE-MISMATCH")
        elif (compact(measure.lead.written), compact(measure.co.written)) != (compact(imported.lead), compact(imported.co)):
            problems.add(source, imported.line, bi(f"measure {imported.id}: the table names 「{imported.lead}/{imported.co}」, the plan 「{measure.lead.written}/{measure.co.written}」",
                                                   f"執行措施 {imported.id}：表列機關為「{imported.lead}/{imported.co}」，方案為「{measure.lead.written}/{measure.co.written}」"),
                         bi("the entries are imported; check which is right", "執行成效照常匯入；請確認何者正確"),
                         code="W-TABLE-AGENCIES", severity=WARNING)
    if len(table.measures) != len(corpus.plans[plan_id].measures):
        problems.add(source, 0, bi(f"the table has {len(table.measures)} measures, plan {plan_id} has {len(corpus.plans[plan_id].measures)}",
                                   f"此表有 {len(table.measures)} 項執行措施，方案 {plan_id} 有 {len(corpus.plans[plan_id].measures)} 項"),
                     bi("a measure with nothing to report still has its row; check for missing rows", "沒有進度的措施也應列出；請檢查是否漏列"),
                     code="W-TABLE-MEASURES", severity=WARNING)


def _q(text: str) -> str:
    """Return a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def entry_file(entry: ImportedEntry, plan_id: str, quarter: Quarter, updated: date, source: Path) -> str:
    """Return the text of an entry file: front matter, then the Markdown body."""
    lines = [
        "---",
        f"# Imported from {source.name}, line {entry.line} | 由 {source.name} 第 {entry.line} 行匯入",
        f"plan: {_q(plan_id)}",
        f"measure: {_q(entry.measure)}",
        f"agency: {entry.agency}",
        f"quarter: {quarter.id}",
        f"updated: {updated.isoformat()}",
        f"reported_as: {_q(entry.reported_as)}",
    ]
    if entry.completion:
        lines.append(f"completion: {_q(entry.completion)}")
    if entry.remarks:
        lines.append(f"remarks: {_q(entry.remarks)}")
    if entry.unlisted:
        lines.append(f"note: {_q(UNLISTED_NOTE)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + entry.body


def plan_yaml(table: ImportedTable, source: Path, quarter: Quarter, plan_id: str, updated: date) -> str:
    """Return plan.yaml for an edition known only from this table: Chinese as the table writes it, bounds unknown."""
    months, months_en = quarter_months(quarter, "zh"), quarter_months(quarter, "en")
    out = [
        f"# 「{table.title}」as the tracking table for {quarter.id} ({months}) names it; imported from {source.name}.",
        "# Chinese text exactly as the table writes it; English still to be translated.",
        f"id: {_q(plan_id)}",
        "title:",
        f"  zh: {_q(table.title)}",
        "edition:",
        f"  zh: {_q(f'{months}列管追蹤表所據版本')}",
        f"  en: {_q(f'Edition in force in {quarter.year} Q{quarter.number}')}",
        "period:",
        "  note:",
        f"    zh: {_q(f'本版本僅見於{months}各機關列管追蹤表，實施期間起訖不詳。')}",
        f"    en: {_q(f'Known only from the tracking table for {months_en}; the start and end of its period are not known.')}",
        "source:",
        f"  zh: {_q(f'「{table.title}」{months}各機關列管追蹤表所列之目標、實施要領及執行措施。')}",
        f"  en: {_q(f'The goals, strategies and measures listed in the tracking table for {quarter.year} Q{quarter.number}.')}",
        f"updated: {updated.isoformat()}",
        "goals:",
    ]
    for goal_number, goal_title in table.goals:
        out += [f"  - number: {goal_number}", "    title:", f"      zh: {_q(goal_title)}", "    strategies:"]
        for g, s_number, s_title in table.strategies:
            if g != goal_number:
                continue
            out += [f"      - number: {s_number}", "        title:", f"          zh: {_q(s_title)}", "        measures:"]
            for m in table.measures:
                if (m.goal, m.strategy) == (g, s_number):
                    out += [f"          - number: {m.number}", "            text:", f"              zh: {_q(m.text)}",
                            f"            lead: {_q(m.lead)}", f"            co: {_q(m.co)}",
                            "            schedule:", f"              zh: {_q(m.schedule)}"]
    return "\n".join(out) + "\n"


def import_table(project: Project, source: Path, quarter: Quarter, plan_id: str | None, updated: date,
                 dry_run: bool = False) -> tuple[ImportPlan, Problems]:
    """Import the table into content/ under ``plan_id`` (default: the one edition known to be in force that
    quarter); raise BuildFailed, writing nothing, if anything cannot be placed."""
    problems = Problems(project.root)
    corpus = load(project, problems)
    if corpus is None:
        raise BuildFailed(problems)
    if plan_id is None:
        in_force = corpus.editions_in_force(quarter)
        if len(in_force) != 1:
            raise click.UsageError(f"no single edition is known to be in force in {quarter.id}; name one with --plan "
                                   f"(known: {', '.join(corpus.plans)}; a new id creates the edition from the table) | "
                                   "請以 --plan 指定方案版本")
        plan_id = in_force[0].id
    raw = read_table(source, problems)
    if raw is None or problems:
        raise BuildFailed(problems)
    index = AgencyIndex(corpus.agencies.values())
    table = interpret(raw, source, quarter, index, problems)
    if not table.measures:
        problems.add(source, 0, bi("no table rows found", "找不到任何表格列"),
                     bi("export the table from Word as text, or give the .docx file", "請由 Word 匯出為文字檔，或直接提供 .docx"),
                     code="E-TABLE-EMPTY")
    result = plan_files(project, corpus, table, source, quarter, plan_id, updated, problems)
    if not problems.errors:
        check_in_a_copy(project, result.writes, problems)
    if problems.errors:
        raise BuildFailed(problems)
    if not dry_run:
        write_files(result.writes)
    return result, problems
