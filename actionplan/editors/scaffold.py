"""Creates a new outcome entry file from measure, agency and quarter, refusing ones that do not exist."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..base.errors import BuildFailed, Problems
from ..base.project import Project
from ..content.agencies import AgencyIndex
from ..content.corpus import build_corpus
from ..content.fields import closest, did_you_mean, either, quarter_hint, unknown_measure
from ..content.models import QUARTER_PATTERN, Quarter


class ScaffoldRefused(click.UsageError):
    """The measure, agency or quarter asked for does not exist; nothing was written."""


def new_entry(project: Project, measure_id: str, agency_name: str, quarter_text: str, plan_id: str | None,
              with_english: bool, today: date) -> list[Path]:
    """Write the entry file (and its English twin when asked) and return their paths."""
    corpus = _registry_and_plans(project)
    if not QUARTER_PATTERN.match(quarter_text):
        raise ScaffoldRefused(f"quarter must look like 2024-Q3, not \"{quarter_text}\" | 季別請寫成 2024-Q3 的形式，"
                              f"而非「{quarter_text}」; " + quarter_hint(quarter_text, "--quarter "))
    quarter = Quarter.parse(quarter_text)
    if plan_id is None:
        covering = corpus.editions_in_force(quarter)
        if len(covering) != 1:
            raise ScaffoldRefused(f"no single plan edition is in force in {quarter.id}; name one with --plan "
                                  f"({', '.join(corpus.plans)}) | 請以 --plan 指定方案版本")
        plan_id = covering[0].id
    if plan_id not in corpus.plans:
        raise ScaffoldRefused(f"unknown plan \"{plan_id}\" | 沒有這個方案版本; {did_you_mean(plan_id, corpus.plans)}")
    plan = corpus.plans[plan_id]
    if not plan.covers(quarter):
        raise ScaffoldRefused(f"{quarter.id} is outside plan {plan.id} | 該季不在方案 {plan.id} 實施期間內")
    measure = corpus.measure(plan_id, measure_id)
    if measure is None:
        raise ScaffoldRefused("; ".join(unknown_measure(measure_id, plan_id, [m.id for m in plan.measures])))
    index = AgencyIndex(corpus.agencies.values())
    agency_id = index.find(agency_name)
    if agency_id is None:
        raise ScaffoldRefused(f"unknown agency \"{agency_name}\" | 機關名冊中沒有「{agency_name}」; "
                              + _agencies_like(agency_name, corpus, index, measure.lead.ids + measure.co.ids))
    folder = project.content / "outcomes" / quarter.id
    paths = [folder / f"{measure.id}.{agency_id}.md"]
    if with_english:
        paths.append(folder / f"{measure.id}.{agency_id}.en.md")
    existing = [p for p in paths if p.exists()]
    if existing:
        raise ScaffoldRefused(f"{existing[0].relative_to(project.root).as_posix()} already exists; edit it instead | 檔案已存在，請直接編輯")
    folder.mkdir(parents=True, exist_ok=True)
    agency = corpus.agencies[agency_id]
    guidance = (f"# {agency.zh}：{quarter.id} 就執行措施 {measure.id}「{measure.text.zh}」的執行成效，寫在下方 --- 之後。\n"
                "# 無進度請寫「本季無新進度」。Write the entry below the closing ---.\n")
    paths[0].write_text(_front_matter(plan_id, measure.id, agency_id, quarter, today, english=False, guidance=guidance),
                        encoding="utf-8")
    if with_english:
        paths[1].write_text(_front_matter(plan_id, measure.id, agency_id, quarter, today, english=True,
                                          guidance="# Write the English translation of the Chinese entry below the closing ---.\n"),
                            encoding="utf-8")
    return paths


def _front_matter(plan_id: str, measure_id: str, agency_id: str, quarter: Quarter, today: date, english: bool,
                 guidance: str) -> str:
    lines = [
        "---",
        guidance.rstrip("\n"),
        f'plan: "{plan_id}"',
        f'measure: "{measure_id}"',
        f"agency: {agency_id}",
        f"quarter: {quarter.id}",
        f"updated: {today.isoformat()}",
        # Editors uncomment a field by deleting its "# ": each optional field stands alone on its line, its note on
        # the line above, so that what is left is a whole field (a note after a value would be a YAML comment).
        "# 完成期程 (optional | 選填):" if not english else "# Completion (optional):",
        "# completion: 經常辦理" if not english else "# completion: Ongoing",
        "# 備註 (optional | 選填):" if not english else "# Remarks (optional):",
        '# remarks: ""' ,
        "---",
    ]
    return "\n".join(lines) + "\n"


def _agencies_like(name: str, corpus, index: AgencyIndex, responsible: tuple[str, ...]) -> str:
    """Return the agencies closest to a name the registry lacks, and those responsible for the measure, with where
    the whole list is: an editor who typed 警察局 learns of 內政部警政署 (npa)."""
    names = {agency.zh: agency_id for agency_id, agency in corpus.agencies.items()}
    names.update({agency.short_zh: agency_id for agency_id, agency in corpus.agencies.items() if agency.short_zh})
    near = closest(name, [*corpus.agencies, *names])
    found = [f"{names.get(n, n)} ({corpus.agencies[names.get(n, n)].zh})" for n in near]
    found = list(dict.fromkeys(found))
    lead = [f"{i} ({corpus.agencies[i].zh})" for i in dict.fromkeys(responsible) if i in corpus.agencies]
    en, zh = [], []
    if found:
        en.append(f"did you mean {either(found, 'en')}?")
        zh.append(f"是否要寫{either(found, 'zh')}？")
    if lead:
        en.append(f"the measure is reported by {', '.join(lead)}")
        zh.append(f"本措施由 {'、'.join(lead)} 填報")
    en.append("every agency and its id is in content/agencies.yaml and on the site's agencies page")
    zh.append("所有機關及其代號見 content/agencies.yaml 及網站「主協辦機關」頁")
    return "; ".join(en) + " | " + "；".join(zh).replace("？；", "？")


def _registry_and_plans(project: Project):
    """Return the corpus with its plans and agency registry, or stop with the problems of the files it needs.

    The entry written names a plan, a measure and an agency, so only the files those come from must be sound: a
    problem in another entry (the one just scaffolded and not yet written, for one) is for `check` to report."""
    problems = Problems(project.root)
    corpus = build_corpus(project.content, problems)
    content = problems.rel(project.content) + "/"
    # Without a corpus (site.yaml or strings.yaml unusable) every problem is said; else those of the registry and plans.
    needed = [p for p in problems.found
              if corpus is None or p.path == content + "agencies.yaml" or p.path.startswith(content + "plans/")]
    if corpus is None or any(p.severity == "error" for p in needed) or corpus.incomplete:
        only = Problems(project.root)
        only.include(needed)
        raise BuildFailed(only)
    return corpus
