"""Cross-reference rules of the white papers: the plan measures a recommendation is linked to exist, every
recommendation has a response, every response's agency is in the registry."""
from __future__ import annotations

from ..base.errors import WARNING, Problems
from ..content.fields import did_you_mean, unknown_agency
from ..content.models import Corpus
from ..content.sources import bi


def validate_whitepapers(corpus: Corpus, problems: Problems) -> None:
    """Add every cross-reference problem of the white papers to ``problems``."""
    measures = {f"{plan.id}/{m.id}" for plan in corpus.plans.values() for m in plan.measures}
    for paper in corpus.whitepapers.values():
        answered = {r.recommendation for r in paper.responses}
        for rec in paper.recommendations:
            for ref in rec.measures:
                if ref not in measures and "plans" not in corpus.incomplete:
                    problems.add(paper.path, rec.measures_line,
                                 bi(f"recommendation {rec.id} is linked to \"{ref}\", which is no measure of a plan",
                                    f"建議事項 {rec.id} 連結的「{ref}」不是任何方案的執行措施"),
                                 did_you_mean(ref, measures) or bi("write edition/measure, e.g. 2024-2026/2.2.4",
                                                                   "請寫 版本/措施編號，例如 2024-2026/2.2.4"),
                                 code="E-MEASURE-UNKNOWN")
            if rec.id not in answered:
                problems.add(paper.path, rec.line,
                             bi(f"recommendation {rec.id} has no response", f"建議事項 {rec.id} 沒有任何回應"),
                             bi(f"add its responses as responses/{rec.id}.<agency>.md (python build.py new-response)",
                                f"請新增 responses/{rec.id}.<機關代號>.md（python build.py new-response）"),
                             code="W-RECOMMENDATION-UNANSWERED", severity=WARNING)
        for response in paper.responses:
            if response.agency not in corpus.agencies and "agencies" not in corpus.incomplete:
                problems.add(response.path, response.lines.get("agency", 0),
                             *unknown_agency(response.agency, corpus.agencies), code="E-AGENCY-UNKNOWN")
