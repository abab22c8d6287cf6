"""Reading what a pull request may have written: no symbolic link is followed, and no file is read whole past a limit.

A deploy preview builds every pull request on a machine that holds other files. A link in the repository would point
the build at any of them, and it would publish what it read; a huge file would exhaust the machine. See
docs/security.md for what the build refuses and why.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import Problems, bi

MAX_SOURCE_BYTES = 1 << 20
"""The largest content or guide file the build reads: 1 MiB. The largest shipped file is 47,470 bytes
(content/plans/2024-2026/plan.yaml), the largest of the 20-year synthetic archive (``bench/synthetic.py``, issue
profile) 48,660 bytes, and its largest entry 13,168: the limit is over twenty times the largest."""

_EMACS_LOCK = ".#"
"""Emacs marks a file being edited with a dangling link named ``.#name`` beside it; nothing reads it."""


class LinkRefused(OSError):
    """Raised when a file to read is a symbolic link, or is reached through one."""


class TooLarge(OSError):
    """Raised when a file is larger than its limit; nothing of it was read."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(f"{path}: {size} bytes, more than {limit}")
        self.size = size
        self.limit = limit


def linked_paths(roots: Iterable[Path]) -> list[Path]:
    """Return every symbolic link at or under ``roots``, following none, in path order (Emacs's lock links aside)."""
    found: list[Path] = []

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        if not entry.name.startswith(_EMACS_LOCK):
                            found.append(Path(entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        walk(entry.path)
        except OSError:
            pass  # a folder that cannot be listed has nothing the build could read either

    for root in roots:
        if root.is_symlink():
            found.append(root)
        elif root.is_dir():
            walk(str(root))
    return sorted(found, key=lambda path: path.parts)


def report_links(links: list[Path], problems: Problems) -> None:
    """Report each of ``links`` as an error: the build reads none of them."""
    for link in links:
        try:
            target = os.readlink(link)
        except OSError:
            target = "?"
        problems.add(
            link, 0,
            bi(f"this is a symbolic link (to \"{target}\"); the build does not follow links",
               f"這是符號連結（指向「{target}」）；建置不會讀取連結"),
            bi("put the file or folder itself here instead of a link (delete the link, copy the file in its place)",
               "請改放檔案或資料夾本身（刪除連結，將檔案複製到原處）"),
            code="E-FILE-LINK",
        )


def is_linked(path: Path, root: Path) -> bool:
    """Return whether ``path``, or a folder between ``root`` (not included) and it, is a symbolic link."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return True  # not under root at all: as good as a link out
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return True
    return False


def regular_files(folder: Path) -> list[Path]:
    """Return every regular file under ``folder``, sorted, entering no linked folder and listing no link; none when
    ``folder`` itself is a link."""
    found: list[Path] = []

    def walk(current: str) -> None:
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        found.append(Path(entry.path))
        except OSError:
            pass

    if not folder.is_symlink():
        walk(str(folder))
    return sorted(found)


def read_limited(path: Path, limit: int) -> bytes:
    """Return the bytes of the file at ``path``; raise ``LinkRefused`` if it is a link, ``TooLarge`` if it holds
    more than ``limit`` bytes (found before reading any), OSError if it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise LinkRefused(errno.ELOOP, "a symbolic link", str(path)) from err
        raise
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if status.st_size > limit:
            raise TooLarge(path, status.st_size, limit)
        data = file.read(limit + 1)  # a file that grew since: never more than the limit in memory
    if len(data) > limit:
        raise TooLarge(path, len(data), limit)
    return data


def report_too_large(path: Path, err: TooLarge, problems: Problems, what: str = "content file",
                     what_zh: str = "內容檔案") -> None:
    """Report a file refused for its size, with the size and the limit."""
    problems.add(
        path, 0,
        bi(f"the file is {err.size:,} bytes, more than the {err.limit:,} bytes a {what} may have",
           f"檔案有 {err.size:,} 位元組，超過{what_zh}的上限 {err.limit:,} 位元組"),
        bi("check that this is the file you meant to add; split a real one into smaller files",
           "請確認是否放錯檔案；若內容確實這麼多，請拆成較小的檔案"),
        code="E-FILE-SIZE",
    )


def report_unread_link(path: Path, problems: Problems) -> None:
    """Report a file not read because it is a symbolic link (found when opening it, not by ``linked_paths``)."""
    report_links([path], problems)
