"""The command line: every command has help, check and new behave as editors need."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import build as cli_module  # noqa: E402


ROOT_FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args: str):
    return CliRunner().invoke(cli_module.cli, list(args), catch_exceptions=False)


def _both_languages(text: str | None) -> bool:
    return bool(text) and bool(re.search(r"[A-Za-z]{3}", text)) and bool(re.search(r"[\u4e00-\u9fff]{2}", text))


def test_every_command_has_help_in_both_languages():
    listing = run("--help")
    commands = listing.output.partition("\nCommands:\n")[2]  # the usage line above ends in "[ARGS]..."
    assert listing.exit_code == 0 and commands and "..." not in commands and "…" not in commands
    assert _both_languages(cli_module.cli.help)
    assert set(cli_module.cli.commands) >= {"build", "check", "serve", "new", "import-table", "status"}
    for name, command in cli_module.cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.output and "--help" in result.output
        assert _both_languages(command.help), name
        # The list of commands shows each short help whole: click would cut a long one with "...".
        assert _both_languages(command.short_help), name
        assert f"  {name}  " in commands and command.short_help in " ".join(commands.split()), name
        for param in command.get_params(click.Context(command)):
            if isinstance(param, click.Option):
                assert _both_languages(param.help), f"{name} {param.opts}: {param.help!r}"


def test_the_root_option_says_it_is_the_project_folder():
    for name, command in cli_module.cli.commands.items():
        root = next(p for p in command.params if p.name == "root")
        assert "project" in root.help and "content/" in root.help and "專案資料夾" in root.help, name


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
    assert "content/outcomes/2025-Q1/2.1.1.customs.md:14: the entry has no text" in checked.output
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
    assert unknown_agency.exit_code == 2 and 'did you mean "tipo (經濟部智慧財產局)"?' in unknown_agency.output
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
    assert "Built 52 pages" in result.output and "已建置 52 頁" in result.output
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


def test_new_scaffolds_one_entry_after_another_and_refuses_an_existing_one(mini_site):
    root = str(mini_site.root)
    first = run("new", "--root", root, "--measure", "2.1.1", "--agency", "關務署", "--quarter", "2025-Q1")
    assert first.exit_code == 0, first.output
    # The first file is still unwritten (check says "the entry has no text"): that is no reason to refuse the next.
    second = run("new", "--root", root, "--measure", "1.1.1", "--agency", "tipo", "--quarter", "2025-Q1")
    assert second.exit_code == 0, second.output
    assert "Created content/outcomes/2025-Q1/1.1.1.tipo.md" in second.output
    again = run("new", "--root", root, "--measure", "2.1.1", "--agency", "customs", "--quarter", "2025-Q1")
    assert again.exit_code == 2
    assert "content/outcomes/2025-Q1/2.1.1.customs.md already exists" in again.output
    assert "no text" not in again.output and "Traceback" not in again.output


def test_new_still_stops_on_a_broken_agency_registry(make_site):
    project = make_site({"agencies.yaml": "agencies:\n  - id: tipo\n    zh: [\n"})
    result = run("new", "--root", str(project.root), "--measure", "1.1.1", "--agency", "tipo", "--quarter", "2025-Q1")
    assert result.exit_code == 1
    assert "content/agencies.yaml:" in result.output
    assert not (project.content / "outcomes/2025-Q1").exists()


def test_every_optional_field_of_the_scaffold_passes_strict_check_once_uncommented(mini_site):
    root = str(mini_site.root)
    assert run("new", "--root", root, "--measure", "2.1.1", "--agency", "customs", "--quarter", "2025-Q1",
               "--en", "--today", "2025-04-10").exit_code == 0
    for name, body in (("2.1.1.customs.md", "本季查扣仿冒品12件。\n"), ("2.1.1.customs.en.md", "12 seizures.\n")):
        path = mini_site.content / "outcomes/2025-Q1" / name
        lines = path.read_text(encoding="utf-8").splitlines()
        fields = [line for line in lines if re.match(r"# [a-z_]+: ", line)]  # a commented-out field, not a note
        assert [f[2:].split(":")[0] for f in fields] == ["completion", "remarks"], lines
        # What an editor does: delete the "# " in front of each optional field, and nothing else.
        path.write_text("\n".join(line[2:] if line in fields else line for line in lines) + "\n" + body,
                        encoding="utf-8")
    strict = run("check", "--root", root, "--strict")
    assert strict.exit_code == 0, strict.output
    assert strict.output.strip() == "Content OK. 內容檢查通過。"


# The interpreter an editor's fresh terminal has: the system's, without this project's packages (-S: no site-packages).
SYSTEM_PYTHON = [getattr(sys, "_base_executable", None) or sys.executable, "-S"]


def _script_folder(tmp_path: Path) -> Path:
    """Return a folder holding build.py and the package beside it, as a clone does, and no .venv yet."""
    folder = tmp_path / "clone"
    folder.mkdir()
    shutil.copy(Path(cli_module.__file__), folder / "build.py")
    (folder / "actionplan").symlink_to(Path(cli_module.__file__).parent / "actionplan", target_is_directory=True)
    return folder


def _run_script(python: list[str], folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "ACTIONPLAN_TRIED_VENV")}
    return subprocess.run([*python, str(folder / "build.py"), *args], capture_output=True, text=True, env=env,
                          cwd=folder, timeout=120)


def test_build_py_without_its_packages_says_what_to_run_in_both_languages(tmp_path, mini_site):
    folder = _script_folder(tmp_path)
    result = _run_script(SYSTEM_PYTHON, folder, "check", "--root", str(mini_site.root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.splitlines() == [
        'build.py: the packages the site needs are not installed (no module "click") | 尚未安裝本站所需的套件（缺少「click」）: '
        f"run once, in {folder}: python3 -m venv .venv && .venv/bin/python -m pip install -e . | "
        f"請在 {folder} 執行一次：python3 -m venv .venv && .venv/bin/python -m pip install -e .",
        "Then `python build.py ...` works in any terminal. 之後在任何終端機都能執行 `python build.py ...`。",
    ]


def test_build_py_runs_itself_with_the_projects_venv_from_a_fresh_terminal(tmp_path, mini_site):
    folder = _script_folder(tmp_path)
    # The .venv the one-time setup made: here, the one these tests run in, which has the packages.
    (folder / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    result = _run_script(SYSTEM_PYTHON, folder, "check", "--root", str(mini_site.root))
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "Content OK. 內容檢查通過。", "")


def test_build_py_in_a_venv_without_the_packages_says_to_install_them_there(tmp_path, mini_site):
    folder = _script_folder(tmp_path)
    subprocess.run([SYSTEM_PYTHON[0], "-m", "venv", "--without-pip", str(folder / ".venv")], check=True, timeout=120)
    result = _run_script([str(folder / ".venv/bin/python")], folder, "check", "--root", str(mini_site.root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"run once, in {folder}: .venv/bin/python -m pip install -e . |" in result.stderr


def test_new_names_the_agencies_near_an_unknown_one_and_those_of_the_measure(make_site):
    project = make_site({"agencies.yaml": (ROOT_FIXTURES / "mini/agencies.yaml").read_text(encoding="utf-8")
                         + "  - id: npa\n    zh: 內政部警政署\n    short_zh: 警政署\n    en: National Police Agency\n"})
    result = run("new", "--root", str(project.root), "--measure", "2.1.1", "--agency", "警察局", "--quarter", "2024-Q3")
    assert result.exit_code == 2 and "Traceback" not in result.output
    message = " ".join(result.output.split("Error: ", 1)[1].split())
    assert message.startswith('unknown agency "警察局" | 機關名冊中沒有「警察局」; did you mean "npa (內政部警政署)"?; '
                              "the measure is reported by customs (財政部關務署)")
    assert "every agency and its id is in content/agencies.yaml" in message
    assert "是否要寫「npa (內政部警政署)」？本措施由 customs (財政部關務署)" in message


def test_new_says_which_measures_a_plan_has_and_what_a_roc_quarter_is(mini_site):
    root = str(mini_site.root)
    measure = run("new", "--root", root, "--measure", "9.9.9", "--agency", "tipo", "--quarter", "2024-Q3")
    assert measure.exit_code == 2
    assert " ".join(measure.output.split()).endswith(
        'Error: measure "9.9.9" is not in plan 2024-2026 | 方案 2024-2026 沒有執行措施「9.9.9」; '
        "plan 2024-2026 numbers its measures 1.1.1 to 2.1.1; each is listed on the plan page of the site and in "
        "content/plans/ | 方案 2024-2026 的措施編號自 1.1.1 至 2.1.1，逐項列於網站的方案頁面及 content/plans/")
    quarter = run("new", "--root", root, "--measure", "1.1.1", "--agency", "tipo", "--quarter", "民國113年第3季")
    assert quarter.exit_code == 2
    assert "民國113年第3季 is 2024-Q3: write --quarter 2024-Q3 | 民國113年第3季即 2024-Q3，請寫成 --quarter 2024-Q3" \
        in " ".join(quarter.output.split())


def test_new_is_not_stopped_by_a_stray_file_elsewhere_in_the_content(make_site):
    project = make_site({"notes.yaml": "todo: ask customs\n"})
    assert run("check", "--root", str(project.root)).exit_code == 1  # check reports the stray file
    result = run("new", "--root", str(project.root), "--measure", "1.1.1", "--agency", "tipo", "--quarter", "2025-Q1")
    assert result.exit_code == 0, result.output
