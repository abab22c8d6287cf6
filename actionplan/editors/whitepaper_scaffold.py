"""Creates a new response file of a white paper from its recommendation and agency, refusing ones that do not exist."""
from __future__ import annotations

import json
from pathlib import Path

from ..base.errors import BuildFailed, Problems
from ..build.pipeline import Project, load
from ..content.agencies import AgencyIndex
from ..content.fields import did_you_mean
from ..content.whitepaper import FOLDER
from .scaffold import ScaffoldRefused


def new_response(project: Project, paper_id: str, recommendation_id: str, agency_name: str,
                 with_english: bool) -> list[Path]:
    """Write the response file (and its English twin when asked) and return their paths."""
    problems = Problems(project.root)
    corpus = load(project, problems)
    if corpus is None:
        raise BuildFailed(problems)
    paper = corpus.whitepapers.get(paper_id)
    if paper is None:
        raise ScaffoldRefused(f"unknown white paper \"{paper_id}\" | 沒有這份白皮書; "
                              + (did_you_mean(paper_id, corpus.whitepapers) or f"known: {', '.join(corpus.whitepapers)}"))
    recommendation = paper.recommendations_by_id.get(recommendation_id)
    if recommendation is None:
        raise ScaffoldRefused(f"recommendation \"{recommendation_id}\" is not in {paper_id} | 沒有這項建議事項; "
                              + (did_you_mean(recommendation_id, paper.recommendations_by_id)
                                 or "write chapter.issue.recommendation, e.g. 1.3.3 | 請寫 章.議題.建議，例如 1.3.3"))
    index = AgencyIndex(corpus.agencies.values())
    agency_id = index.find(agency_name)
    if agency_id is None:
        raise ScaffoldRefused(f"unknown agency \"{agency_name}\" | 機關名冊中沒有「{agency_name}」; "
                              + did_you_mean(agency_name, [*corpus.agencies, *index.names()]))
    folder = project.content / FOLDER / paper_id / "responses"
    paths = [folder / f"{recommendation.id}.{agency_id}.md"]
    if with_english:
        paths.append(folder / f"{recommendation.id}.{agency_id}.en.md")
    existing = [p for p in paths if p.exists()]
    if existing:
        raise ScaffoldRefused(f"{existing[0].relative_to(project.root).as_posix()} already exists; edit it instead | 檔案已存在，請直接編輯")
    agency = corpus.agencies[agency_id]
    order = len(paper.responses_to(recommendation)) + 1
    lines = [
        "---",
        f"# {agency.zh}對「{recommendation.heading}」的回應：辦理情形（目前進度及未來規劃）寫在下方 --- 之後，照原文逐行填寫。",
        "# Write the agency's answer below the closing ---, line for line as it wrote it.",
        f"whitepaper: {paper_id}",
        f"recommendation: {json.dumps(recommendation.id)}",
        f"agency: {agency_id}",
        f"order: {order}",
        f"reported_as: {json.dumps(agency.zh, ensure_ascii=False)}",
        'progress_heading: "1、 目前進度及未來規劃"',
        'laws_heading: "2、 涉及法規："',
        "# laws: 著作權法        # 涉及法規，照原文；未寫則刪除此行 | the laws as written; leave out if none are named",
        "# status:               # 議題參採：機關勾選的選項，每項一行 | the option(s) the agency chose, one a line",
        "#   - 已參採             # 已參採、部分參採、研議中 或 不參採，括號說明照寫",
        "---",
    ]
    folder.mkdir(parents=True, exist_ok=True)
    paths[0].write_text("\n".join(lines) + "\n", encoding="utf-8")
    if with_english:
        paths[1].write_text("\n".join([
            "---", "# Write the English translation of the Chinese response below the closing ---.",
            f"whitepaper: {paper_id}", f"recommendation: {json.dumps(recommendation.id)}", f"agency: {agency_id}",
            "# laws: Copyright Act", "---"]) + "\n", encoding="utf-8")
    return paths
