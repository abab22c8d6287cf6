#!/usr/bin/env python3
"""Command line of the IP Protection Action Plan report site: build, check, serve, new, new-response, import-table,
blank-table, import-whitepaper, import-document, status."""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
_TRIED_VENV = "ACTIONPLAN_TRIED_VENV"
"""Set when this script runs itself again with the project's .venv, so that it does so at most once."""


def _setup_command(venv: Path) -> str:
    """Return the one-time setup an editor types in the project folder, for this system."""
    if os.name == "nt":
        return r"py -m venv .venv && .venv\Scripts\python -m pip install -e ."
    return ("python3 -m venv .venv && " if not venv.exists() else "") + ".venv/bin/python -m pip install -e ."


def _without_dependencies(missing: ImportError) -> None:
    """Run this script again with the project's .venv when it has one and this is not it; else say what to install.

    Editors type `python build.py ...` in a fresh terminal, where `python` is the system's, without the packages."""
    venv = ROOT / ".venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    inside = Path(sys.prefix).resolve() == venv.resolve()
    if python.exists() and not inside and not os.environ.get(_TRIED_VENV):
        os.environ[_TRIED_VENV] = "1"
        argv = [str(python), str(Path(__file__).resolve()), *sys.argv[1:]]
        if os.name == "nt":  # os.execv on Windows returns to the shell before the command has run
            import subprocess

            sys.exit(subprocess.call(argv))
        os.execv(argv[0], argv)
    name = missing.name or str(missing)
    command = _setup_command(venv)
    sys.stderr.write(
        f"build.py: the packages the site needs are not installed (no module \"{name}\") | "
        f"尚未安裝本站所需的套件（缺少「{name}」）: run once, in {ROOT}: {command} | "
        f"請在 {ROOT} 執行一次：{command}\n"
        f"Then `python build.py ...` works in any terminal. 之後在任何終端機都能執行 `python build.py ...`。\n")
    sys.exit(1)


try:  # every package the commands import, checked before any of them is
    import click
    import jinja2  # noqa: F401
    import markdown_it  # noqa: F401
    import yaml  # noqa: F401
except ImportError as _missing:
    _without_dependencies(_missing)

from actionplan.editors import scaffold
from actionplan.base.errors import BuildFailed, Problems
from actionplan.build.pipeline import Project, build, check, load
from actionplan.build.reuse import Reuse


def _project(root: str | None) -> Project:
    return Project(Path(root).resolve() if root else ROOT)


_HELP = "Show this message and exit. 顯示本說明。"


class _Command(click.Command):
    """A command whose -h/--help says what it does in both languages, as the rest of its help does."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _HELP
        return option


class _Group(_Command, click.Group):
    """The group of commands, each a ``_Command``."""

    command_class = _Command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build and check the bilingual site of the IP Protection Action Plan reports.
    建置並檢查「貫徹保護智慧財產權行動方案」執行成效的雙語網站。

    Run `python build.py COMMAND --help` for a command's options. 各指令的選項請執行 `python build.py 指令 --help`。
    """


def command(name: str, short: str):
    """Return the decorator of a command whose short help, shown in `build.py --help`, is ``short``, whole.

    Click cuts a docstring's first sentence at about 45 characters in that list, and a bilingual one is longer."""
    return cli.command(name, short_help=short)


root_option = click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
                           help="The project to work on: the folder holding its content/, templates/ and static/ "
                                "(default: the folder build.py is in). 要處理的專案資料夾，即含 content/、templates/ "
                                "及 static/ 的資料夾（預設為 build.py 所在的資料夾）。")
strict_option = click.option("--strict", is_flag=True,
                             help="Treat warnings as errors, as CI does. 警告視同錯誤（持續整合即如此檢查）。")


@command("build", "Check and build the site. 檢查並建置網站。")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Output folder (default: site/). 輸出資料夾（預設 site/）。")
@click.option("--no-search", is_flag=True,
              help="Skip the Pagefind search index (faster previews). 不建立搜尋索引（預覽較快）。")
@click.option("--fresh", is_flag=True,
              help="Render every page, ignoring what the last build into the folder made (the bytes are the same). "
                   "重新產生每一頁，不沿用上次建置的結果（內容位元組相同）。")
@root_option
@strict_option
def build_command(out: str | None, no_search: bool, fresh: bool, root: str | None, strict: bool) -> None:
    """Check the content, render every page in both languages, and index them for search.
    檢查內容，產生中英文每一頁，並建立搜尋索引。"""
    project = _project(root)
    out_dir = Path(out).resolve() if out else project.root / "site"
    report = build(project, out_dir, strict=strict, search=not no_search, reuse=Reuse(fresh=fresh))
    _print_warnings(report.problems)
    stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in report.timings.items())
    if report.unchanged:
        click.echo(f"Nothing changed since the last build: {out_dir} is up to date ({report.pages} pages). "
                   f"自上次建置以來沒有變更，{out_dir} 已是最新（{report.pages} 頁）。 [{stages}]")
    else:
        reused = report.pages - report.rendered
        taken = f", {reused} unchanged from the last build" if reused else ""
        taken_zh = f"，其中 {reused} 頁沿用上次建置" if reused else ""
        click.echo(f"Built {report.pages} pages{taken} ({report.files} files) into {out_dir}. "
                   f"已建置 {report.pages} 頁{taken_zh}（共 {report.files} 個檔案），輸出至 {out_dir}。 [{stages}]")


@command("check", "Check the content; write nothing. 只檢查內容。")
@root_option
@strict_option
def check_command(root: str | None, strict: bool) -> None:
    """Validate the content without writing anything; list every problem with file and line.
    檢查內容而不寫入任何檔案；列出每個問題及其檔案與行號。"""
    problems = check(_project(root), strict=strict)
    _print_warnings(problems)
    click.echo("Content OK. 內容檢查通過。")


@command("serve", "Preview the site as you edit. 邊改邊預覽網站。")
@click.option("--port", default=8000, show_default=True, help="Port on localhost. 本機連接埠。")
@click.option("--no-search", is_flag=True, help="Skip the search index on rebuilds. 重新建置時不建立搜尋索引。")
@root_option
def serve_command(port: int, no_search: bool, root: str | None) -> None:
    """Build, serve the site on localhost, and rebuild when content, templates or static files change; the open
    page reloads itself, and a failed build's problems are shown over it.
    建置網站並在本機提供預覽；內容、範本或靜態檔案一有變更就重新建置，開啟的網頁會自動重新載入，建置失敗時問題會顯示在網頁上。"""
    from actionplan.editors.serve import serve

    serve(_project(root), port=port, search=not no_search)


@command("new", "Create an entry file to fill in. 新增執行成效檔。")
@click.option("--measure", required=True, help="Measure number, e.g. 3.1.5. 執行措施編號，如 3.1.5。")
@click.option("--agency", required=True,
              help="Reporting agency: id (tipo), name (經濟部智慧財產局) or abbreviation (TIPO). "
                   "填報機關：代號（tipo）、名稱（經濟部智慧財產局）或縮寫（TIPO）。")
@click.option("--quarter", required=True, help="Quarter, e.g. 2024-Q3. 季別，如 2024-Q3（民國113年第3季）。")
@click.option("--plan", default=None,
              help="Plan edition id; default: the edition in force in that quarter. 方案版本代號；預設為該季施行的版本。")
@click.option("--en", "with_english", is_flag=True,
              help="Also create the English translation file. 一併建立英文譯文檔。")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date to write as 'updated' (default: today). 寫入 updated 的日期（預設今天）。")
@root_option
def new_command(measure: str, agency: str, quarter: str, plan: str | None, with_english: bool, today, root: str | None) -> None:
    """Create an outcome entry file for one measure, agency and quarter, ready to fill in.
    為一項執行措施、一個機關、一季建立執行成效檔，供填寫。"""
    project = _project(root)
    day = today.date() if today else date.today()
    for path in scaffold.new_entry(project, measure, agency, quarter, plan, with_english, day):
        click.echo(f"Created {path.relative_to(project.root).as_posix()} 已建立")
    click.echo("Write the entry below the front matter, then run: python build.py check | "
               "請在 front matter 下方填寫執行成效，再執行 python build.py check")


@command("new-response", "Create a white-paper response file. 新增白皮書回應檔。")
@click.option("--whitepaper", "paper_id", required=True,
              help="The white paper's id, e.g. 2025-cnfi. 白皮書代號，如 2025-cnfi。")
@click.option("--recommendation", required=True,
              help="chapter.issue.recommendation, e.g. 1.3.3 (壹、三、(三)). 建議的章.議題.建議編號，如 1.3.3。")
@click.option("--agency", required=True,
              help="Responding agency: id (moea), name (經濟部) or abbreviation (MOEA). 回應機關：代號、名稱或簡稱。")
@click.option("--en", "with_english", is_flag=True,
              help="Also create the English translation file. 一併建立英文翻譯檔。")
@root_option
def new_response_command(paper_id: str, recommendation: str, agency: str, with_english: bool, root: str | None) -> None:
    """Create a white-paper response file for one recommendation and agency, ready to fill in.
    為一項建議及一個機關新增白皮書回應檔，供填寫。"""
    from actionplan.editors.whitepaper_scaffold import new_response

    project = _project(root)
    for path in new_response(project, paper_id, recommendation, agency, with_english):
        click.echo(f"Created {path.relative_to(project.root).as_posix()} | 已建立 {path.relative_to(project.root).as_posix()}")
    click.echo("Fill in status: and the answer below the front matter, then run: python build.py check | "
               "請填寫 status: 及 front matter 下方的回應內容，再執行 python build.py check")


@command("import-table", "Import a tracking table. 匯入列管追蹤表。")
@click.argument("table", type=click.Path(dir_okay=False, exists=True))
@click.option("--quarter", required=True,
              help="Quarter the table reports, e.g. 2018-Q3. 追蹤表的季別，如 2018-Q3（民國107年7月至9月）。")
@click.option("--plan", default=None, help="Edition the table reports on; default: the one in force that quarter. "
                                           "An edition content/ lacks is created from the table. "
                                           "追蹤表所列管的方案版本；預設為該季施行的版本。content/ 沒有的版本會依追蹤表建立。")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date to write as 'updated' (default: today). 寫入 updated 的日期（預設今天）。")
@click.option("--dry-run", is_flag=True,
              help="Check and list what would be written; write nothing. 只檢查並列出將寫入的檔案，不寫入。")
@root_option
def import_table_command(table: str, quarter: str, plan: str | None, today, dry_run: bool, root: str | None) -> None:
    """Import a quarterly tracking table (列管追蹤表), as an OpenDocument text (.odt), a Word file (.docx) or its text
    export. 匯入每季的列管追蹤表：開放文件（.odt）、Word 檔（.docx）或其文字匯出檔。"""
    from actionplan.importers.tracking_table import import_table

    project = _project(root)
    the_quarter = parse_quarter(quarter)
    day = today.date() if today else date.today()
    result, problems = import_table(project, Path(table).resolve(), the_quarter, plan, day, dry_run=dry_run)
    _print_warnings(problems)
    verb = "Would write" if dry_run else "Wrote"
    for path in sorted(result.writes):
        click.echo(f"{verb} {path.relative_to(project.root).as_posix()}")
    click.echo(f"{verb} {len(result.writes)} files; {len(result.unchanged)} already up to date. "
               f"{'將' if dry_run else '已'}寫入 {len(result.writes)} 個檔案，{len(result.unchanged)} 個已是最新。")


@command("import-whitepaper", "Import a white paper's responses. 匯入白皮書回應。")
@click.argument("table", type=click.Path(dir_okay=False, exists=True))
@click.option("--id", "paper_id", required=True,
              help="The white paper's id, its folder under content/whitepapers/: 2025-cnfi. "
                   "白皮書代號，即 content/whitepapers/ 下的資料夾名稱，如 2025-cnfi。")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date to write as 'updated' in a new whitepaper.yaml (default: today). "
                   "新建 whitepaper.yaml 時寫入的更新日期（預設為今天）。")
@click.option("--dry-run", is_flag=True,
              help="Check and list what would be written; write nothing. 只檢查並列出將寫入的檔案，不寫入。")
@root_option
def import_whitepaper_command(table: str, paper_id: str, today, dry_run: bool, root: str | None) -> None:
    """Import the agencies' responses to a white paper (部會辦理情形), as its text export, .docx or .odt.
    匯入各部會對白皮書建議的辦理情形（文字匯出檔、.docx 或 .odt）。"""
    from actionplan.importers.whitepaper import import_whitepaper

    project = _project(root)
    day = today.date() if today else date.today()
    result, problems = import_whitepaper(project, Path(table).resolve(), paper_id, day, dry_run=dry_run)
    _print_warnings(problems)
    verb = "Would write" if dry_run else "Wrote"
    for path in sorted(result.writes):
        click.echo(f"{verb} {path.relative_to(project.root).as_posix()}")
    click.echo(f"{verb} {len(result.writes)} files; {len(result.unchanged)} already up to date; "
               f"{result.bookmarks} Word bookmarks dropped. {'將' if dry_run else '已'}寫入 {len(result.writes)} 個檔案，"
               f"{len(result.unchanged)} 個已是最新；刪除 {result.bookmarks} 個 Word 書籤。")


@command("import-document", "Import a document's text export. 匯入文件的文字匯出檔。")
@click.argument("export", type=click.Path(dir_okay=False, exists=True))
@click.option("--id", "doc_id", required=True,
              help="The document's id, e.g. apec-ipeg-2019-sme-ip. 文件代號，如 apec-ipeg-2019-sme-ip。")
@click.option("--kind", type=click.Choice(["business-report", "meeting-report"]), required=True,
              help="What the document is: a business report or a report on a meeting abroad. 文件類別：業務報告或出國報告。")
@click.option("--issuer", required=True, help="Issuing agency's id, e.g. tipo. 發布機關代號，如 tipo。")
@click.option("--title", required=True, help="The title as the source gives it. 原文所載的標題。")
@click.option("--period", default="未載明", show_default=True,
              help="The period as the source gives it. 原文所載的期間。")
@click.option("--date", "day", default="未載明", show_default=True, help="The date as the source gives it. 原文所載的日期。")
@click.option("--source", required=True, help="Where the text comes from. 文字的出處。")
@click.option("--reproduce", multiple=True,
              help="A top-level section whose text to reproduce, by its mark (玖、); repeat it. Default: all. "
                   "要全文刊登的章（以其編號，如 玖、），可重複；預設為全部。")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date to write as 'updated' (default: today). 寫入的更新日期（預設為今天）。")
@root_option
def import_document_command(export: str, doc_id: str, kind: str, issuer: str, title: str, period: str, day: str,
                            source: str, reproduce: tuple[str, ...], today, root: str | None) -> None:
    """Import a whole document (a business report, a meeting report) from a PDF's text export into
    content/documents/<id>.yaml, listing every line the PDF added that was removed.
    將整份文件（業務報告、出國報告）的 PDF 文字匯出檔匯入為 content/documents/<代號>.yaml，並列出移除的每一行。"""
    from actionplan.importers.pdf_document import import_document

    project = _project(root)
    problems = Problems(project.root)
    target = project.content / "documents" / f"{doc_id}.yaml"
    meta = {"id": doc_id, "kind": kind, "issuer": issuer, "title": title, "period": period, "date": day,
            "source": source, "updated": (today.date() if today else date.today()).isoformat()}
    removals = import_document(Path(export).resolve(), target, meta, set(reproduce) or None, problems)
    if problems:
        raise BuildFailed(problems)
    for removal in removals or ():
        click.echo(f"Removed {removal} 已移除")
    click.echo(f"Wrote {target.relative_to(project.root).as_posix()} ({len(removals or ())} removals). "
               f"已寫入，移除 {len(removals or ())} 處。")


@command("blank-table", "Write a quarter's blank tracking table. 產生空白列管追蹤表。")
@click.option("--quarter", required=True, help="Quarter the table is for, e.g. 2024-Q3. 季別，如 2024-Q3（民國113年7月至9月）。")
@click.option("--plan", default=None, help="Edition; default: the one in force that quarter. 方案版本；預設為該季施行的版本。")
@click.option("--out", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder to write the two files into. 寫入兩個檔案的資料夾。")
@root_option
def blank_table_command(quarter: str, plan: str | None, out: str, root: str | None) -> None:
    """Write the blank tracking table (列管追蹤表) of a quarter to send to the agencies, as .odt and .docx: the
    edition's goals, strategies, measures and responsible agencies, the outcome cells empty.
    產生某季的空白列管追蹤表（.odt 及 .docx），寄送各機關填寫。"""
    from actionplan.site.table_files import blank_table, blank_table_names

    the_quarter = parse_quarter(quarter)
    project = _project(root)
    problems = Problems(project.root)
    corpus = load(project, problems)
    if corpus is None:
        raise BuildFailed(problems)
    _print_warnings(problems)
    if plan is None:
        in_force = corpus.editions_in_force(the_quarter)
        if len(in_force) != 1:
            raise click.UsageError(f"no single edition is known to be in force in {the_quarter.id}; name one with --plan "
                                   f"(known: {', '.join(corpus.plans)}) | 請以 --plan 指定方案版本")
        plan = in_force[0].id
    elif plan not in corpus.plans:
        raise click.BadParameter(f"no edition {plan} (known: {', '.join(corpus.plans)}) | 沒有方案版本 {plan}",
                                 param_hint="--plan")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    names = blank_table_names(the_quarter, plan)
    for ext, data in blank_table(corpus, the_quarter, plan).items():
        (folder / names[ext]).write_bytes(data)
        click.echo(f"Wrote {folder / names[ext]}")
    click.echo("Send them to the agencies; import a filled copy with: python build.py import-table FILE --quarter "
               f"{the_quarter.id} | 寄送各機關填寫；填妥後以 import-table 匯入")


@command("status", "Who has reported this quarter. 本季列管：誰已填報。")
@click.option("--quarter", required=True,
              help="Quarter to track, e.g. 2018-Q3. 要列管的季別，如 2018-Q3（民國107年7月至9月）。")
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "json", "md"]), default="text",
              show_default=True, help="text to read, csv for a spreadsheet, json for scripts, md for an issue or PR. "
                                      "text 供閱讀，csv 供試算表，json 供程式，md 供議題或合併請求。")
@root_option
def status_command(quarter: str, output_format: str, root: str | None) -> None:
    """Show the tracking report (列管): which responsible agency has reported each measure in a quarter.
    顯示列管報告：一季中每項執行措施的主辦機關是否已填報。"""
    from actionplan.content.tracking import tracking_report
    from actionplan.editors.tracking_formats import FORMATS, nothing_to_track

    the_quarter = parse_quarter(quarter)
    project = _project(root)
    problems = Problems(project.root)
    corpus = load(project, problems)
    if corpus is None:
        raise BuildFailed(problems)
    _print_warnings(problems)
    report = tracking_report(corpus, the_quarter)
    readable = output_format in ("text", "md")
    if report.is_empty:
        # Scripts reading csv or json still get a well-formed, empty report on stdout.
        click.echo(nothing_to_track(the_quarter), err=not readable)
        if readable:
            return
    click.echo(FORMATS[output_format](report, project.root), nl=False)


def parse_quarter(text: str):
    """Return the quarter written 2018-Q3, or stop with a usage error."""
    from actionplan.content.fields import quarter_written
    from actionplan.content.models import QUARTER_PATTERN, Quarter

    if not QUARTER_PATTERN.match(text):
        written = quarter_written(text)
        if written is not None:
            raise click.BadParameter(f"{text} is {written.id}: write --quarter {written.id} | "
                                     f"{text}即 {written.id}，請寫成 --quarter {written.id}", param_hint="--quarter")
        raise click.BadParameter(f"write it like 2018-Q3, not \"{text}\" | 請寫成 2018-Q3 的形式", param_hint="--quarter")
    return Quarter.parse(text)


def _print_warnings(problems) -> None:
    # Problems is falsy when it holds no errors, which is exactly when its warnings must still be printed.
    for warning in problems.warnings if problems is not None else ():
        click.echo(str(warning), err=True)


def main() -> None:
    """Run the CLI; content errors exit 1 with the report and no traceback."""
    try:
        cli.main(standalone_mode=True)
    except BuildFailed as err:  # pragma: no cover - click handles it in standalone mode
        err.show()
        sys.exit(1)


if __name__ == "__main__":
    main()
