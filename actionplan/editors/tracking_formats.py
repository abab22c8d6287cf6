"""The tracking report written out: readable text, CSV for spreadsheets, JSON, and Markdown tables for issues."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..content.i18n import date_label, quarter_label, quarter_months
from ..content.models import Quarter
from ..content.sources import bi
from ..content.tracking import CO, EXTRA, LEAD, MISSING, NO_PROGRESS, REPORTED, AgencyGroup, Row, Tally, TrackingReport

ROLE_LABELS = {LEAD: bi("lead", "主辦"), CO: bi("co-agency", "協辦"), EXTRA: bi("not listed", "未列名")}
STATE_LABELS = {REPORTED: bi("reported", "已填報"), NO_PROGRESS: bi("no progress", "本季無新進度"),
                MISSING: bi("missing", "未填報")}
CSV_COLUMNS = ("quarter", "edition", "measure", "agency_id", "agency_name_zh", "role", "state", "entry_file")
_NO_ENTRY = "—"


def nothing_to_track(quarter: Quarter) -> str:
    """Return the message for a quarter without entries and without an edition in force."""
    return bi(f"No entries for {quarter.id} and no plan edition in force then: nothing to track.",
              f"{quarter_label(quarter, 'zh')}沒有執行成效，也沒有施行中的方案版本：無可列管項目。")


def render_text(report: TrackingReport, root: Path) -> str:
    """Return the report as text to read in a terminal: the overall counts, then each agency with its rows."""
    lines = [*_heading_lines(report), ""]
    width = max(_width(label) for label in STATE_LABELS.values())
    several = len(report.editions) > 1
    for group in report.groups:
        lines += [_agency_title(group), "  " + _summary(group.tally)]
        for role in (LEAD, CO, EXTRA):
            rows = [row for row in group.rows if row.role == role]
            if rows:
                lines.append(f"  {ROLE_LABELS[role]}")
                lines += [f"    {_measure_label(row, several)}  {_pad(STATE_LABELS[row.state], width)}  "
                          f"{_entry_files(row, root, ' ')}" for row in rows]
        lines.append("")
    return "\n".join(lines)


def render_csv(report: TrackingReport, root: Path) -> str:
    """Return one CSV line per measure and agency, under a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in report.groups:
        for row in group.rows:
            writer.writerow((report.quarter.id, row.plan, row.measure.id, row.agency, group.name.zh, row.role,
                             row.state, _entry_files(row, root, ";", missing="")))
    return out.getvalue()


def render_json(report: TrackingReport, root: Path) -> str:
    """Return the whole report as JSON."""
    return json.dumps(report_data(report, root), ensure_ascii=False, indent=2) + "\n"


def render_markdown(report: TrackingReport, root: Path) -> str:
    """Return the report as Markdown for an issue or pull request: the counts per agency, then a table per agency."""
    heading = _heading_lines(report)
    lines = [f"## {heading[0]}", "", *(f"- {line}" for line in heading[1:]), "", *_overview_table(report), ""]
    several = len(report.editions) > 1
    for group in report.groups:
        lines += [f"### {_agency_title(group)}", "", _summary(group.tally), ""]
        if group.rows:
            lines += _table((bi("Measure", "措施"), bi("Role", "角色"), bi("State", "狀態"), bi("Entry", "檔案")),
                            [(_measure_label(row, several), ROLE_LABELS[row.role], STATE_LABELS[row.state],
                              _entry_files(row, root, " ", code=True)) for row in group.rows])
        else:
            lines.append(bi("No measure lists it: its entries count for the agencies the measures list.",
                            "無列名之執行措施：其填報計入措施所列的機關。"))
        lines.append("")
    return "\n".join(lines)


FORMATS: dict[str, Callable[[TrackingReport, Path], str]] = {
    "text": render_text, "csv": render_csv, "json": render_json, "md": render_markdown}


def report_data(report: TrackingReport, root: Path) -> dict:
    """Return the report as plain data: the quarter, its due date, the editions, totals, and each agency's rows."""
    quarter = report.quarter
    return {
        "quarter": quarter.id,
        "months": {"zh": quarter_months(quarter, "zh"), "en": quarter_months(quarter, "en")},
        "due": report.due.isoformat(),
        "editions": [{"id": plan.id, "title": {"zh": plan.title.zh, "en": plan.title.en},
                      "edition": {"zh": plan.edition.zh, "en": plan.edition.en}} for plan in report.editions],
        "totals": _tally_data(report.total),
        "agencies": [{
            "id": group.agency.id,
            "name": {"zh": group.name.zh, "en": group.name.en},
            "current_name": {"zh": group.agency.zh, "en": group.agency.en},
            "counts": _tally_data(group.tally),
            "rows": [_row_data(row, root) for row in group.rows],
        } for group in report.groups],
    }


def _tally_data(tally: Tally) -> dict[str, int]:
    return {"responsible": tally.responsible, "lead": tally.lead, "co": tally.co, "reported": tally.reported,
            "no_progress": tally.no_progress, "missing": tally.missing, "extra": tally.extra,
            "entries": tally.entries, "translated": tally.translated}


def _row_data(row: Row, root: Path) -> dict:
    return {"edition": row.plan, "measure": row.measure.id, "role": row.role, "state": row.state,
            "entries": [{"agency": outcome.agency, "file": _relative(outcome.path, root),
                         "english": _relative(outcome.en_path, root) if outcome.body.en is not None else None}
                        for outcome in row.entries]}


def _heading_lines(report: TrackingReport) -> list[str]:
    """Return the title, the editions, the due date and the overall counts, one line each."""
    quarter = report.quarter
    editions_en = "; ".join(f"{plan.edition.get('en')} [{plan.id}]" for plan in report.editions)
    editions_zh = "；".join(f"{plan.edition.zh}〔{plan.id}〕" for plan in report.editions)
    return [
        bi(f"Tracking report, {quarter_label(quarter, 'en')} ({quarter_months(quarter, 'en')})",
           f"列管追蹤，{quarter_label(quarter, 'zh')}（{quarter_months(quarter, 'zh')}）"),
        bi(f"Edition: {editions_en}", f"方案版本：{editions_zh}"),
        bi(f"Due: {date_label(report.due, 'en')}", f"填報期限：{date_label(report.due, 'zh')}"),
        bi("Overall", "總計") + ": " + _summary(report.total),
    ]


def _summary(tally: Tally) -> str:
    """Return the counts of one agency, or of all, in a sentence in each language."""
    return bi(f"{tally.responsible} responsible ({tally.lead} lead, {tally.co} co): {tally.reported} reported, "
              f"{tally.no_progress} no progress, {tally.missing} missing; {tally.extra} filed where not listed; "
              f"{tally.translated} of {tally.entries} entries in English",
              f"應填報 {tally.responsible}（主辦 {tally.lead}、協辦 {tally.co}）：已填報 {tally.reported}、"
              f"本季無新進度 {tally.no_progress}、未填報 {tally.missing}；未列名而填報 {tally.extra}；"
              f"英譯 {tally.entries} 則中 {tally.translated} 則")


def _overview_table(report: TrackingReport) -> list[str]:
    """Return a Markdown table of each agency's counts, with the totals last."""
    header = (bi("Agency", "機關"), ROLE_LABELS[LEAD], ROLE_LABELS[CO], STATE_LABELS[REPORTED],
              STATE_LABELS[NO_PROGRESS], STATE_LABELS[MISSING], ROLE_LABELS[EXTRA], bi("English", "英譯"))
    rows = [(f"{group.name.zh} `{group.agency.id}`", *_tally_cells(group.tally)) for group in report.groups]
    rows.append((bi("Total", "總計"), *_tally_cells(report.total)))
    return _table(header, rows)


def _tally_cells(tally: Tally) -> tuple[str, ...]:
    return (str(tally.lead), str(tally.co), str(tally.reported), str(tally.no_progress), str(tally.missing),
            str(tally.extra), f"{tally.translated}/{tally.entries}")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    # A | inside a cell (every bilingual label has one) would end the cell; GitHub reads \| as the character.
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [line(header), "|" + "---|" * len(header), *(line(row) for row in rows)]


def _agency_title(group: AgencyGroup) -> str:
    """Return the agency's name in the quarter, and its current name if it has been renamed since."""
    agency, name = group.agency, group.name
    # A rename can change one language only: 技術處 became 產業技術司, in English Department of Industrial Technology both.
    en = name.get("en") if name.get("en") == agency.en else f"{name.get('en')} (now {agency.en})"
    zh = name.zh if name.zh == agency.zh else f"{name.zh}（現名{agency.zh}）"
    return bi(en, f"{zh} [{agency.id}]")


def _measure_label(row: Row, several_editions: bool) -> str:
    # With one edition the measure number says it all; with more, 1.1.1 could be in either.
    return f"{row.plan} {row.measure.id}" if several_editions else row.measure.id


def _entry_files(row: Row, root: Path, separator: str, missing: str = _NO_ENTRY, code: bool = False) -> str:
    """Return the files of the entries that count for the row, or ``missing`` when there are none."""
    files = [_relative(outcome.path, root) for outcome in row.entries]
    return separator.join(f"`{file}`" if code else file for file in files) if files else missing


def _relative(path: Path | None, root: Path) -> str | None:
    if path is None:
        return None
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _width(text: str) -> int:
    """Return how many columns the text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
