"""Measures the build against the performance issue's targets: cold builds, rebuilds, memory, output size, budgets.

    .venv/bin/python bench/build_bench.py                        # the shipped content, then the 20-year archive
    .venv/bin/python bench/build_bench.py real                   # the shipped content only (about a minute)
    .venv/bin/python bench/build_bench.py archive --runs 1 --no-search
    .venv/bin/python bench/build_bench.py real --json real.json  # also write every figure as JSON

Every build is a whole process, ``build.py build --root ROOT --out OUT``, as an editor or CI runs it: start-up and
imports count. Each project is first copied (the shipped content) or generated (``bench/synthetic.py``, by default
its ``issue`` profile) into a work folder, on tmpfs where there is one, so that the repository is never touched:

- **cold**: no output folder and nothing the build may have left in the project root (a cache), without search;
- **unchanged**: the same build again into the same output folder, nothing changed;
- **one entry**: one Chinese entry gets one more sentence, then the same build again (restored afterwards);
- **search**: a cold build with the Pagefind index, whose ``search index`` stage is the indexing time;
- **preview, one entry**: ``build.py serve`` on the project (``bench/preview_edit.py``, a child process), once it
  holds its build, the same entry edited ``--preview-runs`` times: the patch re-rendering the entry's pages, and
  the time from the file written to the open pages told to reload, watcher included.

The builds run with Python's default of keeping the package compiled (``__pycache__``), as on an editor's machine or
in CI, the compiled files kept in the work folder (``PYTHONPYCACHEPREFIX``) so that the repository is not written
to. Where the environment says not to keep them (``PYTHONDONTWRITEBYTECODE``, as this project's sandbox does), every
start compiles the package again; the start-up figure is printed both ways.

Each figure is the median of ``--runs`` runs. Wall time is the child's, from start to exit; the stages are what
the build prints (``[sources 0.02s, load 0.08s, validate 0.04s, render 0.26s, ...]``, whatever names it uses).
Peak memory is the larger of the kernel's peak RSS of the build's processes (``wait4``: the largest single
process, Python or Pagefind) and the largest sum of their RSS sampled every 20 ms (the two together while Pagefind
runs).
The output is then weighed: bytes, the largest pages plain and gzipped against the page budgets, CSS, scripts.
Units are decimal: 1 KB = 1,000 bytes, 1 MB = 10^6, 1 GB = 10^9.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatch
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = REPO / ".venv" / "bin" / "python"
KB, MB, GB = 1000, 1000**2, 1000**3

# The targets. The build rates are for the archive, with search indexing reported separately.
COLD_FILES_PER_S = 2_500
UNCHANGED_FILES_PER_S = 15_000
ONE_ENTRY_S = 0.3
"""The issue's rebuild after one entry changed, which is the preview's: a new process must first find the edit among
every source, the whole of a rebuild with nothing changed, which the issue allows 1.8 s on the archive
(``UNCHANGED_FILES_PER_S``). ``build.py build`` after an edit is held to that rate, and its seconds are shown."""
PEAK_MEMORY = 1 * GB
REAL_COLD_S = 2.0
PAGE_BYTES, PAGE_GZIP, TRACKING_GZIP, CSS_BYTES = 100 * KB, 25 * KB, 60 * KB, 20 * KB
"""Every HTML page ≤ 100 KB plain and ≤ 25 KB gzipped, except a quarter's full tracking table (…/tracking/), whose
budget is 60 KB gzipped (it has no plain budget: 60 KB gzipped is several times 100 KB plain); CSS ≤ 20 KB."""
EDITORS_FORM = "admin"
"""The editors' form's folder, weighed apart from the public site."""
ALLOWED_SCRIPT = re.compile(r"search|pagefind|loader", re.I)
"""No JavaScript except search and its loader: a script's file name must say it is one of them."""
LARGEST = 10
EDIT = "\n\n本季另補充說明一則（基準測試第 {n} 次修改）。\n"
"""The sentence the one-entry rebuild appends, a new paragraph, numbered so that every run changes the file."""
LEFT_OUT = (".git", ".venv", "site", ".site-*", "tests", "bench", ".hypothesis", ".pytest_cache", "*.egg-info", "build")
"""The repository's top-level folders its copy leaves out: what remains is the content, the templates and static
files, and the files the editors' guide may link to (README.md, .github/…)."""


CHILD_ENV = dict(os.environ)
"""The environment of every process measured; ``main`` sets where compiled code is kept (``child_env``)."""


def child_env(work: Path) -> dict[str, str]:
    """Return this environment with Python keeping compiled code, in ``work/pycache``."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(work / "pycache")}


class BuildError(RuntimeError):
    """A build exited with an error; its output says why."""


@dataclass
class Run:
    """One whole-process build."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """Seconds of CPU, user and system, of the build's processes: less swayed than wall time by a busy machine."""
    peak_rss: int
    """Bytes: the larger of the largest process's peak and the largest sampled sum of the process tree."""
    process_rss: int
    """Bytes: the kernel's peak RSS of the largest single process of the build (wait4's ru_maxrss)."""
    stages: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    files: int = 0


@dataclass
class Measured:
    """The medians of several runs of one kind of build."""

    runs: list[Run]
    source_files: int

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_rss(self) -> int:
        return int(statistics.median(r.peak_rss for r in self.runs))

    @property
    def stages(self) -> dict[str, float]:
        names = dict.fromkeys(name for run in self.runs for name in run.stages)
        return {n: statistics.median(r.stages[n] for r in self.runs if n in r.stages) for n in names}

    def summary(self) -> dict:
        """Return the medians, the rates and the runs, for JSON."""
        pages = self.runs[0].pages
        return {"wall_s": self.wall, "cpu_s": self.cpu, "peak_rss_bytes": self.peak_rss, "stages_s": self.stages,
                "source_files_per_s": self.source_files / self.wall, "pages": pages, "pages_per_s": pages / self.wall,
                "runs": [asdict(r) for r in self.runs]}


# ─── running a build ───────────────────────────────────────────────────────────────────────────────────────────


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants until it exits; keeps the largest sum."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, sum(rss(pid) for pid in process_tree(self.pid)))
            self.done.wait(self.interval)


def process_tree(pid: int) -> list[int]:
    """Return ``pid`` and its descendants (Linux /proc); processes that exit meanwhile are skipped."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def rss(pid: int) -> int:
    """Return the resident memory of a process in bytes, 0 if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) * 1024 if match else 0


def parse_report(stdout: str) -> tuple[tuple[int, int], dict[str, float]]:
    """Return the pages and files, and the stage timings, of the build's last line:
    ``Built 396 pages (407 files) into OUT [sources 0.02s, load 0.08s, validate 0.04s, render 0.26s, write 0.02s]``."""
    line = next((text for text in reversed(stdout.splitlines()) if text.startswith(("Built ", "Nothing changed"))), "")
    # "Built 378 pages, 370 unchanged from the last build (389 files) …", or "Nothing changed … (378 pages) …".
    counts = re.match(r"Built (\d+) pages(?:, \d+ unchanged from the last build)? \((\d+) files\)", line) \
        or re.match(r"Nothing changed.*?\((\d+) pages\)()", line)
    bracket = re.search(r"\[([^\[\]]*)\]\s*$", line)
    stages = {}
    for name, value, unit in re.findall(r"\s*([^,]+?) (\d+(?:\.\d+)?)(ms|s)(?=,|$)", bracket.group(1) if bracket else ""):
        stages[name] = float(value) / (1000 if unit == "ms" else 1)
    return (int(counts.group(1)), int(counts.group(2) or 0)) if counts else (0, 0), stages


def run_build(root: Path, out: Path, search: bool) -> Run:
    """Run one whole-process build of ``root`` into ``out``; raise BuildError if it fails."""
    command = [str(PYTHON), str(REPO / "build.py"), "build", "--root", str(root), "--out", str(out)]
    command += [] if search else ["--no-search"]
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=REPO, env=CHILD_ENV)
        sampler = TreeSampler(child.pid)
        sampler.start()
        # wait4, not Popen.wait: it also returns the child's resource usage, which includes the children it
        # waited for (Pagefind); its peak RSS is that of the largest single process.
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0), stderr.seek(0)
        out_text, err_text = stdout.read(), stderr.read()
    if child.returncode != 0:
        tail = "\n".join((out_text + err_text).strip().splitlines()[-15:])
        raise BuildError(f"{' '.join(command)} exited {child.returncode}:\n{tail}")
    (pages, files), stages = parse_report(out_text)
    process_rss = usage.ru_maxrss * 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, max(process_rss, sampler.peak), process_rss, stages, pages, files)


def startup_time(runs: int, compiled: bool = True) -> float:
    """Return the median wall time of ``build.py --help``: the interpreter and the command line, no build; with the
    package kept compiled, or compiled at every start."""
    env = CHILD_ENV if compiled else {**{k: v for k, v in CHILD_ENV.items() if k != "PYTHONPYCACHEPREFIX"},
                                      "PYTHONDONTWRITEBYTECODE": "1"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(PYTHON), str(REPO / "build.py"), "--help"], capture_output=True, check=True, cwd=REPO,
                       env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# ─── the projects ──────────────────────────────────────────────────────────────────────────────────────────────


def stage_real(work: Path) -> tuple[Path, dict]:
    """Copy the repository's content, docs, templates and static files into ``work/real``; return it."""
    root = work / "real"
    shutil.rmtree(root, ignore_errors=True)

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == REPO
        return {n for n in names if n == "__pycache__" or (top and any(fnmatch(n, p) for p in LEFT_OUT))}

    shutil.copytree(REPO, root, ignore=ignore, symlinks=True)
    return root, {}


def stage_archive(work: Path, years: int, profile: str, seed: int) -> tuple[Path, dict]:
    """Generate the synthetic archive into ``work/archive``; return it and the generator's counts."""
    sys.path.insert(0, str(BENCH))
    from synthetic import PROFILES, generate

    root = work / "archive"
    shutil.rmtree(root, ignore_errors=True)
    return root, generate(root, years, seed, PROFILES[profile])


def source_files(root: Path) -> list[Path]:
    """Return every file under ``content/``: the source files the rates are per."""
    return sorted(p for p in (root / "content").rglob("*") if p.is_file())


def entry_to_edit(root: Path) -> Path:
    """Return the Chinese entry the one-entry rebuild edits: the middle one in file order, so the same each run."""
    entries = [p for p in sorted((root / "content" / "outcomes").glob("*/*.md")) if not p.name.endswith(".en.md")]
    return entries[len(entries) // 2]


def clear(root: Path, out: Path, original: set[str]) -> None:
    """Remove the output folder, what the build keeps beside it for the next (``.build-state-site.json``,
    ``.build-entries-site.pickle``, …), and whatever the build added to the project root since it was staged."""
    shutil.rmtree(out, ignore_errors=True)
    for kept in [*out.parent.glob(f".build-*-{out.name}.*"), *out.parent.glob(f".build-*-{out.name}")]:
        shutil.rmtree(kept) if kept.is_dir() else kept.unlink()
    for name in set(os.listdir(root)) - original:
        path = root / name
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


# ─── measuring ─────────────────────────────────────────────────────────────────────────────────────────────────


def measure_builds(root: Path, out: Path, runs: int, search_runs: int, say) -> tuple[dict[str, Measured], str]:
    """Return the cold, unchanged, one-entry and search builds of ``root``, each measured ``runs`` times (search
    ``search_runs`` times), and the entry the one-entry rebuilds edited."""
    original = set(os.listdir(root))
    count = len(source_files(root))
    results: dict[str, Measured] = {}

    def repeat(kind: str, times: int, before=None, search: bool = False, target: Path = out) -> None:
        done = []
        for n in range(1, times + 1):
            if before:
                before(n)
            done.append(run_build(root, target, search))
            say(f"  {kind} {n}/{times}: {done[-1].wall:.2f} s, cpu {done[-1].cpu:.2f} s, {done[-1].peak_rss / MB:.0f} MB")
        results[kind] = Measured(done, count)

    repeat("cold", runs, before=lambda n: clear(root, out, original))
    repeat("unchanged", runs)
    entry = entry_to_edit(root)
    text = entry.read_bytes()
    try:
        repeat("one entry", runs, before=lambda n: entry.write_bytes(text + EDIT.format(n=n).encode()))
    finally:
        entry.write_bytes(text)
    if search_runs:
        search_out = out.with_name(out.name + "-search")
        repeat("search", search_runs, before=lambda n: clear(root, search_out, original), search=True,
               target=search_out)
    return results, entry.relative_to(root).as_posix()


def measure_preview(root: Path, runs: int, say) -> dict:
    """Return the medians of the preview's answers to ``runs`` edits of one entry (``bench/preview_edit.py``)."""
    original = set(os.listdir(root))
    child = subprocess.run([str(PYTHON), str(BENCH / "preview_edit.py"), str(root), str(runs)], capture_output=True,
                           text=True, cwd=REPO, env=CHILD_ENV)
    clear(root, root / "site", original)  # the preview builds into the project's own site/
    if child.returncode != 0:
        tail = "\n".join((child.stdout + child.stderr).strip().splitlines()[-15:])
        raise BuildError(f"bench/preview_edit.py exited {child.returncode}:\n{tail}")
    measured = json.loads(child.stdout)
    median = lambda key: statistics.median(run[key] for run in measured["runs"])  # noqa: E731
    summary = {"runs": measured["runs"], "ready_s": measured["ready_s"], "peak_rss_bytes": measured["peak_rss_bytes"],
               "patch_s": median("patch_s"), "reload_s": median("reload_s"), "settled_s": median("settled_s"),
               "rendered": median("rendered"), "edited": measured["edited"]}
    say(f"  preview: ready in {summary['ready_s']:.2f} s; one entry: patch {summary['patch_s']:.3f} s, "
        f"save to reload {summary['reload_s']:.3f} s, {summary['rendered']:.0f} pages rendered")
    return summary


def gzipped(data: bytes) -> int:
    """Return the gzipped size of ``data``, at gzip's default level, as a server compresses a page."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_url(out: Path, path: Path) -> str:
    """Return the address of a written page: ``/zh/quarters/2018-q3/tracking/``."""
    url = "/" + path.relative_to(out).as_posix()
    return url.removesuffix("index.html")


def page_budget(url: str) -> tuple[int | None, int]:
    """Return a page's budgets, plain and gzipped; a quarter's tracking table has only a gzipped one."""
    return (None, TRACKING_GZIP) if url.endswith("/tracking/") else (PAGE_BYTES, PAGE_GZIP)


def weigh_page(out: Path, path: Path) -> dict:
    """Return a page's address, sizes, whether it is over its budget, and the scripts it loads."""
    data = path.read_bytes()
    url = page_url(out, path)
    plain_budget, gzip_budget = page_budget(url)
    size, packed = len(data), gzipped(data)
    html = data.decode("utf-8", "replace")
    return {"url": url, "bytes": size, "gzip": packed,
            "over_budget": (plain_budget is not None and size > plain_budget) or packed > gzip_budget,
            "scripts": re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html),
            "inline_scripts": len(re.findall(r"<script\b(?![^>]*\bsrc=)", html))}


def weigh_output(out: Path, search_out: Path | None) -> dict:
    """Return the output's size, its pages against the budgets, and its CSS and scripts."""
    # /admin/ is the editors' form (Decap CMS, issue 6): not linked from the public site, not indexed, and a
    # JavaScript application by nature. It is weighed apart; the budgets and the script rule are the public site's.
    everything = [p for p in out.rglob("*") if p.is_file()]
    editors = [p for p in everything if p.relative_to(out).parts[0] == EDITORS_FORM]
    files = [p for p in everything if p not in set(editors)]
    pages = [weigh_page(out, p) for p in files if p.suffix == ".html"]
    pages.sort(key=lambda p: (-p["bytes"], p["url"]))
    css = {p.relative_to(out).as_posix(): p.stat().st_size for p in files if p.suffix == ".css"}
    # The scripts of the site as published: with Pagefind's, when there is a build with search.
    published = search_out if search_out and search_out.is_dir() else out
    scripts = {p.relative_to(published).as_posix(): p.stat().st_size for p in sorted(published.rglob("*"))
               if p.suffix in (".js", ".mjs") and p.is_file() and p.relative_to(published).parts[0] != EDITORS_FORM}
    referenced = sorted({src for page in pages for src in page["scripts"]})
    weighed = {
        "editors_form": {"files": len(editors), "bytes": sum(p.stat().st_size for p in editors)},
        "files": len(files), "bytes": sum(p.stat().st_size for p in files),
        "html_pages": len(pages), "html_bytes": sum(p["bytes"] for p in pages),
        "html_gzip_bytes": sum(p["gzip"] for p in pages),
        "largest_pages": [{k: v for k, v in p.items() if k not in ("scripts",)} for p in pages[:LARGEST]],
        "largest_gzip": max((p["gzip"] for p in pages if not p["url"].endswith("/tracking/")), default=0),
        "largest_tracking_gzip": max((p["gzip"] for p in pages if p["url"].endswith("/tracking/")), default=0),
        "pages_over_budget": [p["url"] for p in pages if p["over_budget"]],
        "css": css, "css_bytes": sum(css.values()),
        "scripts": scripts, "scripts_referenced": referenced,
        "pages_with_inline_script": sum(1 for p in pages if p["inline_scripts"]),
        "scripts_not_allowed": sorted({s for s in [*scripts, *referenced] if not ALLOWED_SCRIPT.search(s.rsplit("/", 1)[-1])}),
    }
    pagefind = search_out / "pagefind" if search_out else None
    if pagefind and pagefind.is_dir():
        index = [p for p in pagefind.rglob("*") if p.is_file()]
        weighed["pagefind_files"], weighed["pagefind_bytes"] = len(index), sum(p.stat().st_size for p in index)
    return weighed


def check_targets(kind: str, builds: dict[str, Measured], preview: dict, weighed: dict) -> list[dict]:
    """Return the issue's targets that apply to the project, each with what was measured and whether it passes."""
    rows = []

    def target(name: str, goal: str, measured: str, ok: bool) -> None:
        rows.append({"target": name, "goal": goal, "measured": measured, "pass": ok})

    cold = builds["cold"]
    if kind == "archive":
        target("cold build, source files/s", f"≥ {COLD_FILES_PER_S:,}", f"{cold.source_files / cold.wall:,.0f}",
               cold.source_files / cold.wall >= COLD_FILES_PER_S)
        rate = cold.source_files / builds["unchanged"].wall
        target("rebuild, nothing changed, source files/s", f"≥ {UNCHANGED_FILES_PER_S:,}", f"{rate:,.0f}",
               rate >= UNCHANGED_FILES_PER_S)
        reload = preview["reload_s"]
        target("one entry changed, preview: save to reload", f"≤ {ONE_ENTRY_S} s",
               f"{reload:.2f} s (patch {preview['patch_s']:.2f} s, {preview['rendered']:.0f} pages)",
               reload <= ONE_ENTRY_S)
        one = builds["one entry"].wall
        rate = cold.source_files / one
        target("one entry changed, build.py build, files/s", f"≥ {UNCHANGED_FILES_PER_S:,}, as nothing changed",
               f"{rate:,.0f} ({one:.2f} s)", rate >= UNCHANGED_FILES_PER_S)
        target("peak memory, cold build", f"≤ {PEAK_MEMORY / GB:.0f} GB", f"{cold.peak_rss / MB:,.0f} MB",
               cold.peak_rss <= PEAK_MEMORY)
    else:
        target("cold build (without search)", f"≤ {REAL_COLD_S} s", f"{cold.wall:.2f} s", cold.wall <= REAL_COLD_S)
    over = weighed["pages_over_budget"]
    target("HTML pages within budget", f"≤ {PAGE_BYTES // KB} KB, ≤ {PAGE_GZIP // KB} KB gz "
           f"(tracking ≤ {TRACKING_GZIP // KB} KB gz)", f"{len(over)} of {weighed['html_pages']:,} over", not over)
    target("CSS", f"≤ {CSS_BYTES // KB} KB", f"{weighed['css_bytes'] / KB:.1f} KB", weighed["css_bytes"] <= CSS_BYTES)
    bad = weighed["scripts_not_allowed"]
    target("JavaScript only search and its loader", "none else",
           ", ".join(bad) if bad else f"{len(weighed['scripts'])} files, all search", not bad)
    return rows


# ─── reporting ─────────────────────────────────────────────────────────────────────────────────────────────────


def print_project(result: dict) -> None:
    """Print one project's figures as readable tables."""
    print(f"\n=== {result['project']}: {result['source_files']:,} source files, "
          f"{result['builds']['cold']['pages']:,} pages ===")
    if result.get("generator"):
        print("generated: " + ", ".join(f"{v:,} {k}" for k, v in result["generator"].items()))
    print(f"start-up (build.py --help): {result['startup_s']:.2f} s, {result['startup_compiling_s']:.2f} s compiling the "
          f"package at each start; load average {result['loadavg_before']} before, "
          f"{result['loadavg_after']} after")
    print(f"\n{'build (median of runs)':<26}{'runs':>5}{'wall s':>9}{'cpu s':>8}{'files/s':>10}{'pages/s':>9}"
          f"{'peak MB':>9}  stages (s)")
    for kind, build in result["builds"].items():
        stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in build["stages_s"].items())
        print(f"{kind:<26}{len(build['runs']):>5}{build['wall_s']:>9.2f}{build['cpu_s']:>8.2f}"
              f"{build['source_files_per_s']:>10,.0f}"
              f"{build['pages_per_s']:>9,.0f}{build['peak_rss_bytes'] / MB:>9,.0f}  {stages}")
    print(f"one entry edited: {result['edited']}")
    preview = result["preview"]
    print(f"\npreview (build.py serve), {len(preview['runs'])} edits of that entry, medians: patch "
          f"{preview['patch_s']:.3f} s rendering {preview['rendered']:.0f} pages; save to reload "
          f"{preview['reload_s']:.3f} s; record saved {preview['settled_s']:.3f} s after the save; ready "
          f"{preview['ready_s']:.1f} s after start; peak {preview['peak_rss_bytes'] / MB:,.0f} MB")
    out = result["output"]
    print(f"\noutput: {out['files']:,} files, {out['bytes'] / MB:.1f} MB; HTML {out['html_pages']:,} pages, "
          f"{out['html_bytes'] / MB:.1f} MB ({out['html_gzip_bytes'] / MB:.1f} MB gzipped)"
          + (f"; pagefind {out['pagefind_files']:,} files, {out['pagefind_bytes'] / MB:.1f} MB"
             if "pagefind_bytes" in out else ""))
    print("CSS: " + ", ".join(f"{k} {v / KB:.1f} KB" for k, v in out["css"].items()))
    form = out["editors_form"]
    print(f"editors' form /admin/ (not public, weighed apart): {form['files']} files, {form['bytes'] / MB:.1f} MB")
    print("scripts: " + (", ".join(f"{k} {v / KB:.1f} KB" for k, v in out["scripts"].items()) or "none")
          + f"; pages reference {', '.join(out['scripts_referenced']) or 'none'}; "
          f"{out['pages_with_inline_script']} pages with inline script")
    print(f"\nlargest pages{'':<52}{'KB':>8}{'KB gz':>8}")
    for page in out["largest_pages"]:
        print(f"{page['url']:<65}{page['bytes'] / KB:>8.1f}{page['gzip'] / KB:>8.1f}"
              f"{'  OVER BUDGET' if page['over_budget'] else ''}")
    over = out["pages_over_budget"]
    print(f"{len(over):,} of {out['html_pages']:,} pages over budget" + (f", e.g. {', '.join(over[:3])}" if over else ""))
    print(f"\n{'target':<44}{'goal':<46}{'result':<8}measured")
    for row in result["targets"]:
        print(f"{row['target']:<44}{row['goal']:<46}{'PASS' if row['pass'] else 'FAIL':<8}{row['measured']}")
    sys.stdout.flush()  # before the next project's progress, which goes to stderr


def bench_project(kind: str, args: argparse.Namespace, work: Path) -> dict:
    """Stage one project, measure its builds and output, and return every figure."""
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    say(f"{kind}: staging in {work}")
    root, generator = stage_real(work) if kind == "real" else stage_archive(work, args.years, args.profile, args.seed)
    runs = args.runs or (5 if kind == "real" else 3)
    search_runs = 0 if not args.search else args.search_runs or (runs if kind == "real" else 1)
    out = work / f"{kind}-site"
    loadavg_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    builds, edited = measure_builds(root, out, runs, search_runs, say)
    preview = measure_preview(root, args.preview_runs, say)
    weighed = weigh_output(out, out.with_name(out.name + "-search") if search_runs else None)
    result = {
        "project": kind, "root": str(root), "source_files": builds["cold"].source_files, "generator": generator,
        "profile": args.profile if kind == "archive" else None, "years": args.years if kind == "archive" else None,
        "startup_s": startup_time(runs), "startup_compiling_s": startup_time(runs, compiled=False),
        "loadavg_before": loadavg_before,
        "loadavg_after": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "builds": {name: build.summary() for name, build in builds.items()},
        "edited": edited, "preview": preview, "output": weighed,
        "targets": check_targets(kind, builds, preview, weighed),
    }
    if not args.keep:
        for path in (root, out, out.with_name(out.name + "-search")):
            shutil.rmtree(path, ignore_errors=True)
    return result


def machine() -> dict:
    """Return what the figures were measured on."""
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "commit": head.stdout.strip() + ("+changes" if dirty.stdout.strip() else ""),
            "date": time.strftime("%Y-%m-%d %H:%M")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Checked below, not with choices=: argparse would check an empty list against them as one value.
    parser.add_argument("projects", nargs="*", metavar="real|archive",
                        help="what to build: the shipped content, the synthetic archive (default: both)")
    parser.add_argument("--runs", type=int, help="runs of each kind of build (default 5 real, 3 archive)")
    parser.add_argument("--search", action=argparse.BooleanOptionalAction, default=True,
                        help="also time builds with the Pagefind index (default on; the archive's takes minutes)")
    parser.add_argument("--search-runs", type=int, help="builds with search (default: --runs real, 1 archive)")
    parser.add_argument("--preview-runs", type=int, default=7, help="edits the preview answers (default 7)")
    parser.add_argument("--years", type=int, default=20, help="the archive's years (default 20)")
    parser.add_argument("--profile", default="issue", help="the archive's bench/synthetic.py profile (default issue)")
    parser.add_argument("--seed", type=int, default=0, help="the archive's seed (default 0)")
    parser.add_argument("--work", type=Path, help="where to stage and build (default: a folder in /dev/shm)")
    parser.add_argument("--keep", action="store_true", help="keep the staged projects and outputs")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE as JSON")
    args = parser.parse_args()
    if set(args.projects) - {"real", "archive"}:
        parser.error("the projects are real and archive")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    if not PYTHON.exists():
        parser.error(f"{PYTHON} is missing: python3 -m venv .venv && .venv/bin/pip install -e .")
    tmpfs = Path("/dev/shm")
    work = args.work or Path(tempfile.mkdtemp(prefix="build-bench-", dir=tmpfs if tmpfs.is_dir() else None))
    work.mkdir(parents=True, exist_ok=True)
    CHILD_ENV.clear()
    CHILD_ENV.update(child_env(work))
    report = {"machine": machine(), "projects": []}
    try:
        for kind in dict.fromkeys(args.projects or ["real", "archive"]):
            report["projects"].append(bench_project(kind, args, work))
            print_project(report["projects"][-1])
    except BuildError as err:
        sys.exit(f"build failed: {err}")
    finally:
        if args.json:
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
