"""Cross-reference rules: entries against plans, agencies and periods; every problem, not the first."""
from __future__ import annotations

from .agencies import is_responsible
from .errors import WARNING, Problems
from .fields import did_you_mean
from .markdown import check_markdown
from .models import Corpus
from .sources import bi


def validate(corpus: Corpus, problems: Problems) -> None:
    """Add every cross-reference problem of the corpus to ``problems``."""
    for outcome in corpus.outcomes:
        lines = outcome.lines
        plan = corpus.plans.get(outcome.plan)
        if plan is None and "plans" in corpus.incomplete:
            pass  # The plan file itself is broken and reported; naming every entry too would bury that.
        elif plan is None:
            problems.add(outcome.path, lines["plan"], bi(f"unknown plan \"{outcome.plan}\"", f"沒有「{outcome.plan}」這個方案"),
                         did_you_mean(outcome.plan, corpus.plans) or bi("known plans: " + ", ".join(corpus.plans),
                                                                         "現有方案：" + "、".join(corpus.plans)),
                         code="E-PLAN-UNKNOWN")
        else:
            measure = corpus.measure(plan.id, outcome.measure)
            if measure is None:
                problems.add(outcome.path, lines["measure"],
                             bi(f"measure \"{outcome.measure}\" is not in plan {plan.id}",
                                f"方案 {plan.id} 沒有執行措施「{outcome.measure}」"),
                             did_you_mean(outcome.measure, [m.id for m in plan.measures])
                             or bi("look the number up on the plan page", "請在方案頁面查詢措施編號"),
                             code="E-MEASURE-UNKNOWN")
            elif outcome.agency in corpus.agencies and not is_responsible(corpus.agencies, outcome.agency, measure.lead.ids + measure.co.ids) and outcome.note is None:
                problems.add(outcome.path, lines["agency"],
                             bi(f"agency \"{outcome.agency}\" is neither lead nor co-agency of measure {measure.id}",
                                f"機關「{outcome.agency}」不是措施 {measure.id} 的主辦或協辦機關"),
                             bi("check the measure number and the agency; if the source files it there, say so in a note: field",
                                "請確認措施編號與機關；若原始報告確實如此填報，請以 note: 欄位說明"),
                             code="W-AGENCY-NOT-RESPONSIBLE", severity=WARNING)
            if not plan.covers(outcome.quarter):
                period = f"{plan.start or '…'} – {plan.end or '…'}"
                problems.add(outcome.path, lines["quarter"],
                             bi(f"quarter {outcome.quarter.id} is outside plan {plan.id} ({period})",
                                f"{outcome.quarter.id} 不在方案 {plan.id} 的實施期間（{period}）內"),
                             bi("check the quarter, or report it under the edition in force then",
                                "請確認季別，或改報當時施行的方案版本"), code="E-QUARTER-PERIOD")
        if outcome.agency not in corpus.agencies and "agencies" not in corpus.incomplete:
            problems.add(outcome.path, lines["agency"], bi(f"unknown agency \"{outcome.agency}\"", f"沒有「{outcome.agency}」這個機關代號"),
                         did_you_mean(outcome.agency, corpus.agencies)
                         or bi("use an id from content/agencies.yaml, e.g. tipo", "請使用 content/agencies.yaml 中的代號，例如 tipo"),
                         code="E-AGENCY-UNKNOWN")
        check_markdown(outcome.body.zh, outcome.path, lines["body"], problems)
        if outcome.en_path is not None and outcome.body.en:
            check_markdown(outcome.body.en, outcome.en_path, lines["body_en"], problems)

