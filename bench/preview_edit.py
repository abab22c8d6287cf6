"""Measures the preview's answer to one saved entry, as an editor sees it: ``build_bench.py`` runs it as a child.

    .venv/bin/python bench/preview_edit.py ROOT RUNS

It starts the preview (``build.py serve``, without search) on ROOT, which builds into ROOT/site and keeps that
build in memory; then, RUNS times, appends a numbered sentence to the entry ``build_bench.py`` edits and times:

- **patch**: the rebuild itself, the pages that show the entry re-rendered and written (``actionplan.build.patch``);
- **reload**: from the file written to the reload sent to the open pages, watcher latency included;
- **settled**: from the file written to the build record saved, when the next edit can start.

Editing starts once the preview holds its build. The entry is restored at the end. It prints one JSON object: the
runs, the seconds until the preview was ready, the pages each patch rendered and the peak RSS of the preview
process, which holds the whole build.
"""
from __future__ import annotations

import contextlib
import json
import resource
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from build_bench import EDIT, entry_to_edit  # noqa: E402

import actionplan.editors.serve  # noqa: E402
from actionplan.build.pipeline import Project  # noqa: E402
from actionplan.editors.serve import PreviewServer  # noqa: E402

patches: list[tuple[float, int | None]] = []
"""Each patch the preview made: its seconds and the pages it rendered (None where it left the edit to a full build)."""


def timed_patch(last, saved):
    started = time.perf_counter()
    report = patch(last, saved)
    patches.append((time.perf_counter() - started, None if report is None else report.rendered))
    return report


patch = actionplan.editors.serve.patch
actionplan.editors.serve.patch = timed_patch


def next_event(events) -> dict:
    """Return the next event of the preview's stream, past keep-alive comments."""
    while True:
        line = events.readline()
        if line.startswith(b"data: "):
            return json.loads(line.removeprefix(b"data: "))


def main() -> None:
    root, runs = Path(sys.argv[1]), int(sys.argv[2])
    entry = entry_to_edit(root)
    text = entry.read_bytes()
    started = time.perf_counter()
    # The preview says what it built on stdout, which is this script's answer: its words go to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        preview = PreviewServer(Project(root), port=0, search=False).start()
        try:
            while preview._last is None:  # a site found up to date has its build kept in the background
                time.sleep(0.05)
            with preview._building:  # held while the build kept is prepared for patches
                ready_s = time.perf_counter() - started
            results = edit_runs(preview, entry, text, runs)
        finally:
            preview.stop()
    print(json.dumps({"ready_s": ready_s, "runs": results, "edited": entry.relative_to(root).as_posix(),
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


def edit_runs(preview: PreviewServer, entry: Path, text: bytes, runs: int) -> list[dict]:
    """Edit ``entry`` ``runs`` times, each after the last edit settled; restore it; return the times of each."""
    results = []
    try:
        with urllib.request.urlopen(preview.url + "__preview/events") as events:
            next_event(events)
            for n in range(1, runs + 1):
                before = len(patches)
                entry.write_bytes(text + EDIT.format(n=n).encode())
                written = time.perf_counter()
                event = next_event(events)
                reload_s = time.perf_counter() - written
                if event["problems"]:
                    sys.exit("the preview's build failed:\n" + "\n".join(event["problems"]))
                with preview._building:  # released once the record is saved
                    settled_s = time.perf_counter() - written
                (patch_s, rendered), = patches[before:]  # one save, one patch
                results.append({"reload_s": reload_s, "settled_s": settled_s, "patch_s": patch_s,
                                "rendered": rendered})
            entry.write_bytes(text)
            next_event(events)
    finally:
        entry.write_bytes(text)
    return results


if __name__ == "__main__":
    main()
