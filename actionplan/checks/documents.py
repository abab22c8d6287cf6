"""Cross-reference rules of documents: their issuer and agencies are in the registry, and every measure a section
is said to evidence is in its edition."""
from __future__ import annotations

from ..base.errors import Problems
from ..content.documents import Document
from ..content.fields import did_you_mean, unknown_agency
from ..content.models import Corpus
from ..content.sources import bi


def check_documents(corpus: Corpus, problems: Problems) -> None:
    """Add every problem of the documents' references to ``problems``."""
    for document in corpus.documents:
        _check_document(corpus, document, problems)


def _check_document(corpus: Corpus, document: Document, problems: Problems) -> None:
    lines = dict(document.lines)
    agencies_known = "agencies" not in corpus.incomplete
    if agencies_known and document.issuer not in corpus.agencies:
        problems.add(document.path, lines.get("issuer", 1), *unknown_agency(document.issuer, corpus.agencies),
                     code="E-AGENCY-UNKNOWN")
    for section in document.walk():
        if agencies_known and section.agency and section.agency not in corpus.agencies:
            problems.add(document.path, dict(section.key_lines).get("agency", section.line),
                         *unknown_agency(section.agency, corpus.agencies),
                         code="E-AGENCY-UNKNOWN")
        for evidence in section.evidences:
            if evidence.plan not in corpus.plans:  # reported at the measure's line, beside the plan's
                if "plans" not in corpus.incomplete:
                    problems.add(document.path, evidence.line,
                                 bi(f"unknown plan \"{evidence.plan}\"", f"沒有「{evidence.plan}」這個方案"),
                                 did_you_mean(evidence.plan, corpus.plans) or bi(
                                     "known plans: " + ", ".join(corpus.plans), "現有方案：" + "、".join(corpus.plans)),
                                 code="E-PLAN-UNKNOWN")
            elif corpus.measure(evidence.plan, evidence.measure) is None:
                measures = [m.id for m in corpus.plans[evidence.plan].measures]
                problems.add(document.path, evidence.line,
                             bi(f"measure \"{evidence.measure}\" is not in plan {evidence.plan}",
                                f"方案 {evidence.plan} 沒有執行措施「{evidence.measure}」"),
                             did_you_mean(evidence.measure, measures)
                             or bi("look the number up on the plan page", "請在方案頁面查詢措施編號"),
                             code="E-MEASURE-UNKNOWN")
            if not section.reproduced:
                problems.add(document.path, evidence.line,
                             bi("a section this site does not reproduce cannot evidence a measure",
                                "本站未收錄內文的章節不能對應執行措施"),
                             bi("link the measure from a section whose text is here", "請改由收錄內文的章節對應"),
                             code="E-CONTENT")
