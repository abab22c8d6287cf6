"""Where a project's parts are: its content, templates, static files and the editors' guide."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where a project's parts are."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def docs(self) -> Path:
        """The editors' guide, published as a page of the site."""
        return self.root / "docs"

    @property
    def sources(self) -> list[Path]:
        """The folders a build reads from the repository: content, the guide, templates and static files."""
        return [self.content, self.docs, self.templates, self.static]
