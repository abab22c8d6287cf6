"""The mini fixture corpus (tests/fixtures/mini) as tests break it: its files, and a customs entry to rewrite."""
from __future__ import annotations

from conftest import FIXTURES

CUSTOMS = "outcomes/2024-Q3/2.1.1.customs.md"
"""The mini corpus entry without an English translation, so a broken copy cascades into nothing else."""
CUSTOMS_PATH = "content/" + CUSTOMS
TIPO = "outcomes/2024-Q3/1.1.1.tipo.md"
TIPO_EN = "outcomes/2024-Q3/1.1.1.tipo.en.md"
PLAN = "plans/2024-2026/plan.yaml"
PLAN_PATH = "content/" + PLAN
BODY = 8
"""The line on which the body of `entry()` starts, when no field is added."""


def entry(body: str = "本季查扣侵權物品 1,234 件。", **fields: str | None) -> str:
    """Return the customs entry with front matter fields replaced or added (None drops one).

    Lines: 2 plan, 3 measure, 4 agency, 5 quarter, 6 updated, 7 the first added field.
    """
    values = {"plan": '"2024-2026"', "measure": '"2.1.1"', "agency": "customs", "quarter": "2024-Q3",
              "updated": "2024-10-15", **fields}
    front = "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None)
    return f"---\n{front}---\n{body}\n"


def quoted(text: str) -> str:
    """Return ``text`` as a single-quoted YAML scalar, which takes every character as it is."""
    return "'" + text.replace("'", "''") + "'"


def fixture_text(rel: str) -> str:
    """Return a file of the mini corpus as text."""
    return (FIXTURES / "mini" / rel).read_text(encoding="utf-8")


def line_in(text: str, part: str) -> int:
    """Return the 1-based line on which ``part`` first appears in ``text``."""
    return text.count("\n", 0, text.index(part)) + 1
