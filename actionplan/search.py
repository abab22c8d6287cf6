"""Indexes the written site with Pagefind's extended binary, which segments Chinese words."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

PAGEFIND_VERSION = "1.5.2"


class SearchIndexFailed(RuntimeError):
    """Pagefind could not be run or did not finish."""


def pagefind_binary() -> Path:
    """Return the pinned extended binary; the plain one indexes Chinese without word breaks."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as err:
        raise SearchIndexFailed("pagefind-bin-extended is not installed: pip install -e .") from err
    binary = Path(get_executable())
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    if version != f"pagefind {PAGEFIND_VERSION}":
        raise SearchIndexFailed(f"expected pagefind {PAGEFIND_VERSION} (extended), found {version!r} at {binary}")
    return binary


def index_search(site_dir: Path) -> str:
    """Build the search index inside ``site_dir``; return Pagefind's summary line."""
    result = subprocess.run(
        [str(pagefind_binary()), "--site", str(site_dir), "--quiet"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        said = " / ".join(line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip())
        raise SearchIndexFailed(f"pagefind failed ({result.returncode}): {said}")
    normalise_entry(site_dir / "pagefind" / "pagefind-entry.json")
    return result.stdout.strip()


def normalise_entry(entry: Path) -> None:
    """Sort the keys of Pagefind's entry file, whose language map comes out in hash order, so builds repeat.

    Every other file Pagefind writes is named by and holds content hashes, and repeats as it is.
    """
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
