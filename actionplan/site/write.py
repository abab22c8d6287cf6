"""Writes the site beside the old one, then swaps it in, so a failed build never leaves a half-built site."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from ..base.untrusted import regular_files


def stage_dir(out_dir: Path) -> Path:
    """Return a fresh empty directory next to ``out_dir`` (same file system, so the swap is a rename)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))


def write_page(staging: Path, output: PurePosixPath, html: bytes) -> None:
    """Write one page's bytes at its output path inside ``staging``."""
    # Output paths come from validated ids, but a path must never leave the site whatever the content says. The
    # staging folder is this build's own, with no links in it: the path's own parts tell where it leads.
    if output.is_absolute() or ".." in output.parts or not output.parts:
        raise ValueError(f"refusing to write outside the site: {output}")
    target = staging / output
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)


def write_site(static_dir: Path, root_redirect: bytes, staging: Path, reused: list[str] = (),
               old_site: Path | None = None) -> int:
    """Write the root redirect and static files into ``staging``, beside the pages rendered into it, and take the
    ``reused`` pages from ``old_site`` unchanged; return the number of files this put there."""
    for relative in reused:
        assert old_site is not None
        link_or_copy(old_site / relative, staging / relative)
    count = len(reused)
    (staging / "index.html").write_bytes(root_redirect)
    assets = staging / "assets"
    for source in regular_files(static_dir):  # never a link, to a file or a folder (issue 26)
        target = assets / source.relative_to(static_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target, follow_symlinks=False)
        count += 1
    return count + 1


def link_or_copy(source: Path, target: Path) -> None:
    """Put ``source`` at ``target``: as a hard link where the file system allows (nothing is read or written, and
    nothing ever writes into an existing output file), else as a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with ``staging``; the old site stays in place until the new one is complete."""
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is readable by the web server
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
        discard(old)  # left by a build that was killed between the two renames
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        discard(old)


def discard(staging: Path) -> None:
    """Remove a staging directory after a failure, or the old site after a swap; a missing one is fine."""
    shutil.rmtree(staging, ignore_errors=True)
