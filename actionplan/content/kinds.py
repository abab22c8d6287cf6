"""Every kind of content file, declared once: where its files are under ``content/``, the JSON Schemas they are
checked against, and the model they become.

A new kind of report adds its line here, its schema in ``schemas/``, its model and its loader (``corpus``), and its
checks (``checks/``). A file that no kind here claims is reported as part of no content type; the schemas and the
documentation of every kind are held to this table by the tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from .documents import Document
from .models import Agency, Outcome, Plan, Site, Text
from .whitepaper import Response, WhitePaper


@dataclass(frozen=True)
class ContentKind:
    """One kind of content file."""

    name: str
    files: tuple[str, ...]
    """Where its files are, relative to ``content/``, as patterns (``*`` stands for one path segment's part)."""
    schemas: tuple[str, ...]
    """The schemas its files are checked against (``schemas/<name>.schema.json``); an entry's English file has its own."""
    model: type
    """What one of its files becomes (a ``Text`` for the interface strings, each key one)."""
    required: bool = False
    """Whether the site cannot be built without it."""

    def claims(self, relative: str) -> bool:
        """Return whether a file at ``relative`` (a POSIX path under ``content/``) is one of this kind's."""
        return any(fnmatchcase(relative, pattern) and relative.count("/") == pattern.count("/")
                   for pattern in self.files)


CONTENT_KINDS: tuple[ContentKind, ...] = (
    ContentKind("site", ("site.yaml",), ("site",), Site, required=True),
    ContentKind("strings", ("strings.yaml",), ("strings",), Text, required=True),
    ContentKind("agencies", ("agencies.yaml",), ("agencies",), Agency, required=True),
    ContentKind("plan", ("plans/*/plan.yaml",), ("plan",), Plan),
    ContentKind("outcome", ("outcomes/*/*.md",), ("outcome", "outcome-en"), Outcome),
    ContentKind("whitepaper", ("whitepapers/*/whitepaper.yaml",), ("whitepaper",), WhitePaper),
    ContentKind("whitepaper-response", ("whitepapers/*/responses/*.md",), ("wp-response", "wp-response-en"), Response),
    ContentKind("document", ("documents/*.yaml",), ("document",), Document),
)


def kind_of(relative: str) -> ContentKind | None:
    """Return the kind a content file at ``relative`` (under ``content/``) is of, or None where no kind claims it."""
    return next((kind for kind in CONTENT_KINDS if kind.claims(relative)), None)
