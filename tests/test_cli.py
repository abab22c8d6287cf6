"""The command line: every command has help, check and new behave as editors need."""
from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import build as cli_module  # noqa: E402


def run(*args: str):
    return CliRunner().invoke(cli_module.cli, list(args), catch_exceptions=False)


def test_every_command_has_help():
    for command in ("build", "check", "serve", "new", "import-table", "import-document"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.output and "--help" in result.output


def test_check_passes_on_the_shipped_content():
    result = run("check")
    assert result.exit_code == 0
    assert result.output.strip().endswith("Content OK. 內容檢查通過。")


def test_new_scaffolds_an_entry_that_check_then_asks_to_fill_in(mini_site):
    result = run("new", "--root", str(mini_site.root), "--measure", "2.1.1", "--agency", "關務署",
                 "--quarter", "2025-Q1", "--en", "--today", "2025-04-10")
    assert result.exit_code == 0, result.output
    path = mini_site.content / "outcomes/2025-Q1/2.1.1.customs.md"
    text = path.read_text(encoding="utf-8")
    assert 'plan: "2024-2026"\nmeasure: "2.1.1"\nagency: customs\nquarter: 2025-Q1\nupdated: 2025-04-10\n' in text
    assert (mini_site.content / "outcomes/2025-Q1/2.1.1.customs.en.md").exists()
    checked = run("check", "--root", str(mini_site.root))
    assert checked.exit_code == 1
    assert "content/outcomes/2025-Q1/2.1.1.customs.md:12: the entry has no text" in checked.output
    path.write_text(text + "本季查扣仿冒品12件。\n", encoding="utf-8")
    (mini_site.content / "outcomes/2025-Q1/2.1.1.customs.en.md").write_text(
        (mini_site.content / "outcomes/2025-Q1/2.1.1.customs.en.md").read_text(encoding="utf-8") + "12 seizures.\n",
        encoding="utf-8")
    assert run("check", "--root", str(mini_site.root)).exit_code == 0


def test_new_refuses_unknown_measure_agency_and_quarter(mini_site):
    root = str(mini_site.root)
    unknown_measure = run("new", "--root", root, "--measure", "1.1.2", "--agency", "tipo", "--quarter", "2024-Q3")
    assert unknown_measure.exit_code == 2
    assert 'measure "1.1.2" is not in plan 2024-2026' in unknown_measure.output
    assert 'did you mean "1.1.1"?' in unknown_measure.output
    unknown_agency = run("new", "--root", root, "--measure", "1.1.1", "--agency", "tipoo", "--quarter", "2024-Q3")
    assert unknown_agency.exit_code == 2 and 'did you mean "tipo"?' in unknown_agency.output
    bad_quarter = run("new", "--root", root, "--measure", "1.1.1", "--agency", "tipo", "--quarter", "2024Q3")
    assert bad_quarter.exit_code == 2 and "2024-Q3" in bad_quarter.output
    outside = run("new", "--root", root, "--measure", "1.1.1", "--agency", "tipo", "--quarter", "2030-Q1")
    assert outside.exit_code == 2 and "no single plan edition is in force in 2030-Q1" in outside.output
    exists = run("new", "--root", root, "--measure", "1.1.1", "--agency", "TIPO", "--quarter", "2024-Q3")
    assert exists.exit_code == 2 and "already exists" in exists.output
    assert sorted(p.name for p in (mini_site.content / "outcomes").iterdir()) == ["2024-Q2", "2024-Q3"]


def test_build_reports_pages_and_writes_the_site(mini_site, tmp_path):
    result = run("build", "--root", str(mini_site.root), "--out", str(tmp_path / "out"), "--no-search")
    assert result.exit_code == 0, result.output
    # 40, a tracking page per quarter, a page per goal with entries in each quarter and the guide, in both languages
    assert "Built 52 pages" in result.output
    assert (tmp_path / "out/zh/index.html").exists()


def test_strict_check_fails_on_warnings_alone(make_site):
    project = make_site({"outcomes/2024-Q3/1.1.1.tipo.md": """
        ---
        plan: "2024-2026"
        measure: "1.1.1"
        agency: tipo
        quarter: 2024-Q3
        updated: 2024-10-14
        ---
        見 [網站](http://example.org/)。
        """})
    assert run("check", "--root", str(project.root)).exit_code == 0
    strict = run("check", "--root", str(project.root), "--strict")
    assert strict.exit_code == 1
    assert strict.output.splitlines() == [
        'content/outcomes/2024-Q3/1.1.1.tipo.md:8: warning: link "http://example.org/" uses plain http | '
        '連結「http://example.org/」使用不加密的 http: use https:// if the site supports it | 若對方網站支援，請改用 https://',
        "Build failed: 1 warning and --strict. 建置失敗：1 個警告（--strict 模式視同錯誤）。",
    ]
