#!/usr/bin/env python3
"""Command line of the IP Protection Action Plan report site: build, check, serve, new, import-table, blank-table,
status."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from actionplan.editors import scaffold
from actionplan.base.errors import BuildFailed, Problems
from actionplan.build.pipeline import Project, build, check, load

ROOT = Path(__file__).resolve().parent


def _project(root: str | None) -> Project:
    return Project(Path(root).resolve() if root else ROOT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build and check the bilingual site of the IP Protection Action Plan reports (貫徹保護智慧財產權行動方案)."""


root_option = click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
                           help="Project folder holding content/, templates/ and static/ (default: this one).")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors (CI uses this).")


@cli.command("build")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Output folder (default: site/).")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index (faster previews).")
@click.option("--fresh", is_flag=True,
              help="Render every page, ignoring what the last build into the folder made (the bytes are the same).")
@root_option
@strict_option
def build_command(out: str | None, no_search: bool, fresh: bool, root: str | None, strict: bool) -> None:
    """Check the content, render every page in both languages, and index them for search."""
    project = _project(root)
    out_dir = Path(out).resolve() if out else project.root / "site"
    report = build(project, out_dir, strict=strict, search=not no_search, reuse=not fresh)
    _print_warnings(report.problems)
    stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in report.timings.items())
    if report.unchanged:
        click.echo(f"Nothing changed since the last build: {out_dir} is up to date ({report.pages} pages). "
                   f"自上次建置以來沒有變更，{out_dir} 已是最新。 [{stages}]")
    else:
        reused = report.pages - report.rendered
        taken = f", {reused} unchanged from the last build" if reused else ""
        click.echo(f"Built {report.pages} pages{taken} ({report.files} files) into {out_dir} [{stages}]")


@cli.command("check")
@root_option
@strict_option
def check_command(root: str | None, strict: bool) -> None:
    """Validate the content without writing anything; list every problem with file and line."""
    problems = check(_project(root), strict=strict)
    _print_warnings(problems)
    click.echo("Content OK. 內容檢查通過。")


@cli.command("serve")
@click.option("--port", default=8000, show_default=True, help="Port on localhost.")
@click.option("--no-search", is_flag=True, help="Skip the search index on rebuilds.")
@root_option
def serve_command(port: int, no_search: bool, root: str | None) -> None:
    """Build, serve the site on localhost, and rebuild when content, templates or static files change; the open
    page reloads itself, and a failed build's problems are shown over it."""
    from actionplan.editors.serve import serve

    serve(_project(root), port=port, search=not no_search)


@cli.command("new")
@click.option("--measure", required=True, help="Measure number, e.g. 3.1.5.")
@click.option("--agency", required=True, help="Reporting agency: id (tipo), name (經濟部智慧財產局) or abbreviation (TIPO).")
@click.option("--quarter", required=True, help="Quarter, e.g. 2024-Q3 (民國113年第3季).")
@click.option("--plan", default=None, help="Plan edition id; default: the edition in force in that quarter.")
@click.option("--en", "with_english", is_flag=True, help="Also create the English translation file.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date to write as 'updated' (default: today).")
@root_option
def new_command(measure: str, agency: str, quarter: str, plan: str | None, with_english: bool, today, root: str | None) -> None:
    """Create an outcome entry file for one measure, agency and quarter, ready to fill in."""
    project = _project(root)
    day = today.date() if today else date.today()
    for path in scaffold.new_entry(project, measure, agency, quarter, plan, with_english, day):
        click.echo(f"Created {path.relative_to(project.root).as_posix()}")
    click.echo("Write the entry below the front matter, then run: python build.py check | "
               "請在 front matter 下方填寫執行成效，再執行 python build.py check")


@cli.command("import-table")
@click.argument("table", type=click.Path(dir_okay=False, exists=True))
@click.option("--quarter", required=True, help="Quarter the table reports, e.g. 2018-Q3 (民國107年7月至9月).")
@click.option("--plan", default=None, help="Edition the table reports on; default: the one in force that quarter. "
                                           "An edition content/ lacks is created from the table.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date to write as 'updated' (default: today).")
@click.option("--dry-run", is_flag=True, help="Check and list what would be written; write nothing.")
@root_option
def import_table_command(table: str, quarter: str, plan: str | None, today, dry_run: bool, root: str | None) -> None:
    """Import a quarterly tracking table (列管追蹤表), as an OpenDocument text (.odt), a Word file (.docx) or its
    text export."""
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


@cli.command("blank-table")
@click.option("--quarter", required=True, help="Quarter the table is for, e.g. 2024-Q3 (民國113年7月至9月).")
@click.option("--plan", default=None, help="Edition; default: the one in force that quarter.")
@click.option("--out", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder to write the two files into.")
@root_option
def blank_table_command(quarter: str, plan: str | None, out: str, root: str | None) -> None:
    """Write the blank tracking table (列管追蹤表) of a quarter to send to the agencies, as .odt and .docx: the
    edition's goals, strategies, measures and responsible agencies, the outcome cells empty."""
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


@cli.command("status")
@click.option("--quarter", required=True, help="Quarter to track, e.g. 2018-Q3 (民國107年7月至9月).")
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "json", "md"]), default="text",
              show_default=True, help="text to read, csv for a spreadsheet, json for scripts, md for an issue or PR.")
@root_option
def status_command(quarter: str, output_format: str, root: str | None) -> None:
    """Show the tracking report (列管): which responsible agency has reported each measure in a quarter."""
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
    from actionplan.content.models import QUARTER_PATTERN, Quarter

    if not QUARTER_PATTERN.match(text):
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
