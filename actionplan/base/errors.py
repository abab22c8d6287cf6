"""Problems found in content, collected across a whole run and reported together."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import click

_VISIBLE = {code: f"\\u{code:04x}" for code in [*range(0x20), 0x7f, 0x85, 0x2028, 0x2029]} | {
    0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t"}

ERROR = "error"
WARNING = "warning"


def bi(en: str, zh: str) -> str:
    """Return a message in both languages, as editors read them."""
    return f"{en} | {zh}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at a file and line."""

    path: str
    """The file, relative to the project root, with forward slashes."""
    line: int
    """1-based line of the offending key or field; 0 when the problem is about the whole file."""
    col: int = 0
    """1-based column where known, else 0."""
    code: str = field(default="E-CONTENT", compare=False)
    """A stable code such as ``E-YAML-DUPKEY`` that tests and editors can search for."""
    message: str = field(default="", compare=False)
    """What is wrong, in Chinese and English where an editor reads it."""
    hint: str = field(default="", compare=False)
    """What to write instead."""
    severity: str = field(default=ERROR, compare=False)

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        label = "warning: " if self.severity == WARNING else ""
        text = f"{where}: {label}{self.message}"
        if self.hint:
            text += f": {self.hint}"
        # One problem, one line: a quoted value holding a line break or a control character shows it escaped.
        return text.translate(_VISIBLE)


class Problems:
    """Collects problems during a run; stages add to it instead of raising."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._items: list[Problem] = []
        self._folders: dict[Path, Path] = {}
        """Folders resolved, by their absolute path: a run names thousands of files in a few folders."""
        self._resolved_root: Path | None = None

    def rel(self, path: Path | str) -> str:
        """Return ``path`` relative to the project root, as editors see it in their checkout."""
        path = Path(path)
        if self.root is not None:
            try:
                path = self._resolve(path).relative_to(self._root())
            except ValueError:
                pass
        return path.as_posix()

    def _root(self) -> Path:
        if self._resolved_root is None:
            self._resolved_root = self.root.resolve()
        return self._resolved_root

    def _resolve(self, path: Path) -> Path:
        """Return ``path.resolve()``, with its folder resolved once for all the files in it."""
        if os.path.islink(path) and path.name not in ("", ".", ".."):
            return path.parent.resolve() / path.name  # the link itself, where it is, not where it leads
        if not path.is_absolute() or path.name in ("", ".."):
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name

    def add(
        self,
        path: Path | str,
        line: int,
        message: str,
        hint: str = "",
        *,
        code: str = "E-CONTENT",
        col: int = 0,
        severity: str = ERROR,
    ) -> None:
        """Record one problem."""
        self._items.append(Problem(self.rel(path), line, col, code, message, hint, severity))

    def include(self, found: list[Problem]) -> None:
        """Record problems found before, as ``found`` lists them."""
        self._items.extend(found)

    @property
    def found(self) -> list[Problem]:
        """Return every problem, errors and warnings, in the order found."""
        return list(self._items)

    @property
    def errors(self) -> list[Problem]:
        """Return the errors, sorted by file and line."""
        return sorted(p for p in self._items if p.severity == ERROR)

    @property
    def warnings(self) -> list[Problem]:
        """Return the warnings, sorted by file and line."""
        return sorted(p for p in self._items if p.severity == WARNING)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def report(self, strict: bool = False) -> str:
        """Return every problem, one per line, then a count, as printed to editors."""
        lines = [str(p) for p in sorted(self._items)]
        errors = self.errors
        files = len({p.path for p in errors})
        if not errors and strict and self.warnings:
            count = len(self.warnings)
            lines.append(f"Build failed: {count} warning{'s' if count != 1 else ''} and --strict. "
                         f"建置失敗：{count} 個警告（--strict 模式視同錯誤）。")
        elif errors:
            lines.append(
                f"Build failed: {len(errors)} error{'s' if len(errors) != 1 else ''} "
                f"in {files} file{'s' if files != 1 else ''}. "
                f"建置失敗：{files} 個檔案共 {len(errors)} 個錯誤。"
            )
        return "\n".join(lines)


class BuildFailed(click.ClickException):
    """Raised when content has errors; click prints the report and exits with 1, without a traceback."""

    exit_code = 1

    def __init__(self, problems: Problems, strict: bool = False) -> None:
        super().__init__(problems.report(strict))
        self.problems = problems

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # type: ignore[override]
        click.echo(self.format_message(), err=True)
