"""Search at scale: what the search index costs on the 20-year archive and on the shipped content, for this tree
and, with ``--before REF``, for the code at a git ref, side by side.

    .venv/bin/python bench/search_scale.py                    # this tree: the archive, then the shipped content
    .venv/bin/python bench/search_scale.py --before a9aeb52   # the same figures for the code at a9aeb52 too
    .venv/bin/python bench/search_scale.py --years 5          # a smaller archive (quicker, not the issue's)

For each tree, its own ``bench/synthetic.py`` writes the archive (``--profile issue``: 27,210 source files, 7,828
pages at 20 years; its templates are the tree's), and its own ``build.py`` builds it, each build a whole process
(``build_bench.run_build``'s measures: wall time, and the peak RSS of the largest process, Pagefind included):

- **cold with search**: ``build.py build`` into a new folder, as CI and Netlify run it;
- **query bytes**: what the search page fetches for a first query and then a second one, the first ten results'
  excerpts included, code counted gzipped (``search_quality.ServedSite.fetched_bytes``);
- **one entry**: one Chinese entry gets one more sentence, and ``build.py build`` runs again into the same folder
  (with the record the first build left): its wall time and its ``search index`` stage;
- **as a cold build**: a cold build of the edited archive into another folder, whose index is compared with the
  updated one file by file (the same input builds the same bytes, so the same files answer the same queries);
- **quality after the update**: eight terms (``ARCHIVE_TERMS``, the edit's sentence among them) asked of the
  updated archive through its search page, every result counted: the lowest recall and precision;

The shipped content is built (cold, with search) from a copy of the tree, and its query bytes weighed the same way.
Units: KiB = 1,024 bytes, MiB = 1,024 KiB.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from build_bench import PYTHON, TreeSampler, parse_report  # noqa: E402
from search_quality import BYTES_QUERIES, SITE_SHOWS, ServedSite, pages_by_language, score  # noqa: E402

EDIT = "\n\n本季另辦理說明會一場。\n"
"""The sentence the one-entry build adds to an entry."""
LEFT_OUT = {".git", ".venv", "site", "node_modules", ".pytest_cache", ".hypothesis", "tests", "bench"}
"""What the copy of a tree for the shipped content leaves out at its top: the project is what remains."""


def run(tree: Path, root: Path, out: Path, *extra: str) -> dict:
    """Run ``tree``'s ``build.py build --root root --out out``; return its wall time, largest process's peak RSS
    and the stages it printed."""
    command = [str(PYTHON), str(tree / "build.py"), "build", "--root", str(root), "--out", str(out), *extra]
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=tree)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)  # its peak RSS is the largest single process's, Pagefind included
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        output.seek(0)
        text = output.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text[-3000:]}")
    _, stages = parse_report(text)
    return {"wall": wall, "peak": usage.ru_maxrss * 1024, "search": stages.get("search index", 0.0)}


def query_bytes(site: Path) -> dict[str, float]:
    """Return the KiB fetched for each language's first and second query, code gzipped."""
    found = {}
    with ServedSite(site) as served:
        for lang, (first, second) in BYTES_QUERIES.items():
            for name, kinds in zip((f"{lang} 1st {first}", f"{lang} 2nd {second}"),
                                   served.fetched_bytes(lang, first, second, SITE_SHOWS)):
                found[name] = kinds["total (code gzip)"] / 1024
    return found


ARCHIVE_TERMS = {"zh": ["營業秘密", "仿冒", "邊境", "電腦伴唱機", EDIT.strip().rstrip("。")],
                 "en": ["trade secrets", "customs", "border"]}
"""Terms asked of the archive after the one-entry build (its index partly kept, partly made again): the last is
the sentence the edit added, on one page."""


def archive_quality(site: Path) -> tuple[float, float]:
    """Return the recall and precision of ``ARCHIVE_TERMS`` on ``site``, over every result: the lowest of each."""
    pages = pages_by_language(site)
    with ServedSite(site) as served:
        scores = [score(term, lang, urls, pages[lang]) for lang, terms in ARCHIVE_TERMS.items()
                  for term, urls in zip(terms, served.ask(lang, terms))]
    return min(one.recall for one in scores), min(one.precision for one in scores)


def same_index(one: Path, other: Path) -> bool:
    """Return whether two search indexes have the same files, byte for byte."""
    files = lambda index: sorted(p.relative_to(index) for p in index.rglob("*") if p.is_file())  # noqa: E731
    names = files(one)
    return names == files(other) and all(filecmp.cmp(one / n, other / n, shallow=False) for n in names)


def entry_to_edit(root: Path) -> Path:
    """Return the Chinese entry the one-entry build edits: the middle one in file order."""
    entries = [p for p in sorted((root / "content" / "outcomes").glob("*/*.md")) if not p.name.endswith(".en.md")]
    return entries[len(entries) // 2]


def measure_tree(tree: Path, work: Path, years: int, say) -> dict:
    """Return every figure of one tree."""
    archive, out, cold_out = work / "archive", work / "site", work / "cold"
    subprocess.run([str(PYTHON), str(tree / "bench" / "synthetic.py"), str(archive), "--years", str(years),
                    "--profile", "issue"], check=True, capture_output=True, cwd=tree)
    figures: dict = {"cold": run(tree, archive, out)}
    say(f"  cold with search: {figures['cold']['wall']:.1f} s, search index {figures['cold']['search']:.1f} s, "
        f"largest process {figures['cold']['peak'] / 2**20:.0f} MiB")
    figures["bytes"] = query_bytes(out)
    say("  query bytes: " + ", ".join(f"{name} {kib:.0f} KiB" for name, kib in figures["bytes"].items()))
    entry = entry_to_edit(archive)
    entry.write_bytes(entry.read_bytes() + EDIT.encode())
    figures["one entry"] = run(tree, archive, out)
    say(f"  one entry: {figures['one entry']['wall']:.1f} s, search index {figures['one entry']['search']:.1f} s")
    run(tree, archive, cold_out)
    figures["same as cold"] = same_index(out / "pagefind", cold_out / "pagefind")
    say(f"  its index the same files as a cold build's: {figures['same as cold']}")
    try:
        figures["quality"] = archive_quality(out)
        say("  after it, the lowest recall and precision of {} terms: {:.3f}, {:.3f}".format(
            sum(map(len, ARCHIVE_TERMS.values())), *figures["quality"]))
    except Exception as err:  # an older search page that fails to load every result (before eefd290)
        say(f"  after it, the terms could not all be asked: {str(err).splitlines()[0][:120]}")
    shipped = work / "shipped"
    shutil.copytree(tree, shipped, symlinks=True, ignore=lambda folder, names: {
        name for name in names if name == "__pycache__" or (Path(folder) == tree and name in LEFT_OUT)})
    run(tree, shipped, work / "shipped-site")
    figures["shipped bytes"] = query_bytes(work / "shipped-site")
    say("  shipped content: " + ", ".join(f"{n} {kib:.0f} KiB" for n, kib in figures["shipped bytes"].items()))
    return figures


def table(results: dict[str, dict], years: int) -> str:
    """Return the figures of each tree as one table, a column a tree."""
    names = list(results)
    rows = [("cold build with search (s)", lambda f: f"{f['cold']['wall']:.1f}"),
            ("  of which the search index (s)", lambda f: f"{f['cold']['search']:.1f}"),
            ("peak memory, largest process (MiB)", lambda f: f"{f['cold']['peak'] / 2**20:.0f}"),
            ("one entry changed: build (s)", lambda f: f"{f['one entry']['wall']:.1f}"),
            ("  of which the search index (s)", lambda f: f"{f['one entry']['search']:.1f}"),
            ("  index the same as a cold build's", lambda f: "yes" if f["same as cold"] else "NO"),
            ("  then lowest recall, precision (8 terms)", lambda f: "{:.3f}, {:.3f}".format(*f["quality"])
             if "quality" in f else "-")]
    for query in next(iter(results.values()))["bytes"]:
        rows.append((f"archive, {query} (KiB)", lambda f, q=query: f"{f['bytes'][q]:.0f}"))
    for query in next(iter(results.values()))["shipped bytes"]:
        rows.append((f"shipped, {query} (KiB)", lambda f, q=query: f"{f['shipped bytes'][q]:.0f}"))
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{years}-year archive (synthetic.py --profile issue) and the shipped content",
             f"{'':<{width}}" + "".join(f"{name:>14}" for name in names)]
    lines += [f"{label:<{width}}" + "".join(f"{show(results[name]):>14}" for name in names) for label, show in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", metavar="REF", help="also measure the code at this git ref (git archive)")
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--work", type=Path, help="where to build (default: a temporary folder, on tmpfs if any)")
    args = parser.parse_args()
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    tmpfs = "/dev/shm" if Path("/dev/shm").is_dir() else None
    base = args.work or Path(tempfile.mkdtemp(prefix="search-scale-", dir=tmpfs))
    results = {}
    try:
        if args.before:
            tree = base / "before-tree"
            tree.mkdir(parents=True)
            archived = subprocess.run(["git", "archive", args.before], cwd=REPO, check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archived.stdout, check=True)
            say(f"before ({args.before}):")
            results[f"before {args.before[:7]}"] = measure_tree(tree, base / "before", args.years, say)
        say("after (this tree):")
        results["after"] = measure_tree(REPO, base / "after", args.years, say)
    finally:
        if args.work is None:
            shutil.rmtree(base, ignore_errors=True)
    print(table(results, args.years))
    return 0


if __name__ == "__main__":
    sys.exit(main())
