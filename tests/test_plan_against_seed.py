"""The shipped 2024–2026 plan says exactly what the source document says.

The source (tests/seeds/plan-2024-2026.txt, seed 000) is a PDF text export: lines are broken inside words, spaces are
inserted between characters, and a page break repeats the table header inside a cell. The comparison ignores exactly
those: all white space, and the repeated header between the two halves of a split cell.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.base.errors import Problems
from actionplan.content.i18n import chinese_number
from actionplan.build.pipeline import Project, load

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "seeds" / "plan-2024-2026.txt"
PAGE_HEADER = "實施要領執行措施主辦機關協辦機關辦理期程"
# Cells cut by a page break in the PDF: the rest of the cell follows the other columns and the repeated header.
SPLIT_BY_PAGE_BREAK = {"1.2.2 text", "8.2.2 text", "8.2.2 lead"}


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def plan():
    problems = Problems(ROOT)
    corpus = load(Project(ROOT), problems)
    assert corpus is not None, problems.report()
    return corpus.plans["2024-2026"]


@pytest.fixture(scope="module")
def seed() -> str:
    text = squeeze(SEED.read_text(encoding="utf-8"))
    return text[text.index("參、實施要領與執行措施"):text.index("肆、執行、預算及實施期間")]


def locate(seed: str, text: str, start: int, what: str, splits: set[str]) -> int:
    """Return where to look for the next cell after finding ``text`` in ``seed`` after ``start``.

    A cell split by a page break resumes after the other cells of its row and the repeated header; those other
    cells stand in the gap, so the search goes on from the end of the first half.
    """
    at = seed.find(text, start)
    if at != -1:
        return at + len(text)
    # Longest prefix found in place; the remainder must follow within the next cells and the repeated header.
    for cut in range(len(text) - 1, 0, -1):
        head = seed.find(text[:cut], start)
        if head == -1:
            continue
        gap_start = head + cut
        rest = seed.find(text[cut:], gap_start)
        gap = seed[gap_start:rest]
        if rest != -1 and PAGE_HEADER in gap and len(gap) < 80:
            splits.add(what)
            return gap_start
        break
    raise AssertionError(f"{what}: {text!r} is not in the source after position {start}")


def test_counts_match_the_source(plan):
    assert len(plan.goals) == 8
    assert len(plan.strategies) == 28
    assert len(plan.measures) == 68
    assert [len(g.strategies) for g in plan.goals] == [3, 4, 2, 3, 3, 7, 3, 3]


def test_every_text_and_agency_cell_matches_the_source_in_order(plan, seed):
    splits: set[str] = set()
    position = 0
    for goal in plan.goals:
        position = locate(seed, f"{chinese_number(goal.number)}、{squeeze(goal.title.zh)}", position, f"goal {goal.number}", splits)
        for strategy in goal.strategies:
            label = f"({chinese_number(strategy.number)})"
            position = locate(seed, label + squeeze(strategy.title.zh), position, f"strategy {strategy.id}", splits)
            for measure in strategy.measures:
                numbered = f"{measure.number}." + squeeze(measure.text.zh)
                unnumbered = len(strategy.measures) == 1 and seed.find(numbered, position) == -1
                text = squeeze(measure.text.zh) if unnumbered else numbered
                position = locate(seed, text, position, f"{measure.id} text", splits)
                position = locate(seed, squeeze(measure.lead.written), position, f"{measure.id} lead", splits)
                if measure.co.written:
                    position = locate(seed, squeeze(measure.co.written), position, f"{measure.id} co", splits)
                position = locate(seed, squeeze(measure.schedule.zh), position, f"{measure.id} schedule", splits)
    assert splits == SPLIT_BY_PAGE_BREAK


def test_every_agency_cell_resolves_to_the_registry(plan):
    for measure in plan.measures:
        assert measure.lead.ids, measure.id
        assert bool(measure.co.written) == bool(measure.co.ids), measure.id


def test_known_cells_resolve_to_the_named_units(plan):
    by_id = {m.id: m for m in plan.measures}
    assert by_id["1.1.1"].lead.ids == ("nstc", "doit", "ida", "tipo", "moea-soe")
    assert by_id["3.1.3"].lead.ids == ("thpo-ipb",)
    assert by_id["3.1.3"].co.ids == ("npa", "mjib")
    assert by_id["8.1.4"].co.ids == ("mofa", "ita")


def test_prose_chapters_match_the_source(plan):
    whole = squeeze(SEED.read_text(encoding="utf-8"))
    for name in ("preface", "implementation", "tracking"):
        for paragraph in getattr(plan, name).zh.split("\n\n"):
            assert squeeze(paragraph) in whole, (name, paragraph[:30])
    assert squeeze(plan.vision.zh) in whole


def test_everything_in_the_plan_has_english(plan):
    texts = [plan.title, plan.preface, plan.vision, plan.implementation, plan.tracking]
    texts += [g.title for g in plan.goals] + [s.title for s in plan.strategies]
    texts += [m.text for m in plan.measures] + [m.schedule for m in plan.measures]
    assert all(t.en for t in texts)
