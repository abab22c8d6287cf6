"""What a build reports, and how it fails: the problems found, with the previous site left as it was."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import BuildFailed, Problems
from ..content.sources import bi
from ..site.render import template_problem


@dataclass
class BuildReport:
    """What a build did and how long each stage took."""

    pages: int = 0
    files: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    problems: Problems | None = None
    search_summary: str = ""
    rendered: int = 0
    """How many pages were rendered; the others were taken unchanged from the last build."""
    unchanged: bool = False
    """Whether nothing had changed since the last build, which was left as it was."""
    patched: bool = False
    """Whether the pages an edit changed were patched into the site from what the last build kept."""


def raise_if_failed(problems: Problems, strict: bool) -> None:
    """Raise BuildFailed if there are errors, or warnings when ``strict``."""
    if problems or (strict and problems.warnings):
        raise BuildFailed(problems, strict)


def template_failed(problems: Problems, err: Exception, templates: Path) -> BuildFailed:
    """Return the failure of a build whose rendering raised ``err``, one of ``render.TEMPLATE_ERRORS``."""
    path, line, reason = template_problem(err, templates)
    problems.add(path, line, f"{bi('template error', '版型錯誤')}: {reason}",
                 bi("correct the template; content is not the cause", "請更正版型；問題不在內容"), code="E-TEMPLATE")
    return BuildFailed(problems)


def search_failed(problems: Problems, out_dir: Path, err: Exception) -> BuildFailed:
    """Return the failure of a build whose search index could not be made."""
    problems.add(out_dir, 0, f"{bi('the search index could not be built', '無法建立搜尋索引')}: {err}",
                 bi("the previous site is unchanged; fix what Pagefind reports, or preview with --no-search",
                    "原有網站未更動；請依 Pagefind 的訊息修正，或以 --no-search 預覽"), code="E-SEARCH")
    return BuildFailed(problems)


def write_failed(problems: Problems, out_dir: Path, err: Exception) -> BuildFailed:
    """Return the failure of a build that could not write the site."""
    problems.add(out_dir, 0, f"{bi('could not write the site', '無法寫入網站')}: {err}",
                 bi("the previous site is unchanged; free disk space or check the folder, then build again",
                    "原有網站未更動；請釋出磁碟空間或檢查資料夾後重新建置"), code="E-WRITE")
    return BuildFailed(problems)
