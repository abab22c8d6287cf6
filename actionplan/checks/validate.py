"""Cross-reference rules: entries against plans, agencies and periods; every problem, not the first."""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from ..content.agencies import is_responsible
from .documents import check_documents
from ..base.errors import WARNING, Problem, Problems
from ..content.fields import did_you_mean, unknown_agency, unknown_measure
from ..content import markdown
from ..content.markdown import LinkTargets, RenderedTexts, check_markdown
from ..content.models import Corpus, Outcome, Plan, Site
from ..base.parallel import ordered_map
from ..site.routes import PageSpec, page_anchors
from ..content.schema import shape
from .whitepaper import validate_whitepapers
from ..content.sources import bi

_PLAN_MARKDOWN = ("preface", "implementation", "tracking", "attachment")
"""Plan chapters rendered as Markdown (the vision is a sentence, shown as plain text)."""
_SITE_MARKDOWN = ("about", "privacy", "open_data")
# What a value that becomes part of a link may be, as site.schema.json says.
_BASE_PATH = shape("site").field("base_path").pattern
_BASE_URL = shape("site").field("base_url").pattern
_EMAIL = shape("site").field("email").pattern


def validate(corpus: Corpus, problems: Problems, pages: list[PageSpec], known: dict | None = None,
             rendered: RenderedTexts | None = None) -> None:
    """Add every cross-reference problem of the corpus to ``problems``; links are checked against ``pages``, unless
    there are none to check them against. ``known`` holds what entries' texts were found to have in earlier runs
    (it is updated), so that unchanged texts are not checked again; ``rendered`` keeps the HTML made of the texts
    checked, for the build to publish."""
    _check_site_urls(corpus, problems)
    targets = link_targets(corpus, pages) if corpus.plans and pages else None
    _check_outcomes(corpus, corpus.outcomes, problems, targets, {} if known is None else known, rendered)
    for plan in corpus.plans.values():
        _check_text_markdown(plan, plan.path, _PLAN_MARKDOWN, problems, targets)
    _check_text_markdown(corpus.site, corpus.site.path, _SITE_MARKDOWN, problems, targets)
    validate_whitepapers(corpus, problems)
    check_documents(corpus, problems)


def validate_entries(corpus: Corpus, outcomes: list[Outcome], problems: Problems, targets: LinkTargets | None,
                     known: dict, rendered: RenderedTexts | None = None) -> None:
    """Add the problems of some entries of the corpus to ``problems``, as ``validate`` finds them; ``known`` keeps
    what the other entries' texts were found to have."""
    _check_outcomes(corpus, outcomes, problems, targets, known, rendered, forget=False)


def link_targets(corpus: Corpus, pages: list[PageSpec]) -> LinkTargets:
    """Return the pages a link in the content may point to, with their anchors."""
    base = corpus.site.base_path
    targets = {base + page.path: page_anchors(page) for page in pages}
    targets[base] = frozenset()  # the root page, which sends readers to the Chinese home page
    return LinkTargets(base, targets)


def _check_outcomes(corpus: Corpus, outcomes, problems: Problems, targets: LinkTargets | None, known: dict,
                    rendered: RenderedTexts | None, forget: bool = True) -> None:
    for outcome in outcomes:
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
                             *unknown_measure(outcome.measure, plan.id, [m.id for m in plan.measures]),
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
            problems.add(outcome.path, lines["agency"], *unknown_agency(outcome.agency, corpus.agencies),
                         code="E-AGENCY-UNKNOWN")
    _check_outcome_markdown(outcomes, problems, targets, known, rendered, forget)


def _check_outcome_markdown(outcomes, problems: Problems, targets: LinkTargets | None, known: dict,
                            rendered: RenderedTexts | None, forget: bool) -> None:
    """Check the Markdown of the entries, on every core: it is most of the time validation takes. What a text was
    found to have is kept in ``known`` and not looked for again; for a text with links, only while the site's pages
    and anchors stay the same. With ``forget``, what no text of ``outcomes`` has any more is dropped from it."""
    texts = [(o.body.zh, o.path, o.lines["body"]) for o in outcomes]
    texts += [(o.body.en, o.en_path, o.lines["body_en"]) for o in outcomes if o.en_path is not None and o.body.en]
    pages = targets.digest if targets else "none"
    # Keyed by the path as given, not as editors see it: resolving 27,000 paths cost a second a build.
    keys = [_digest(f"{path}:{line}", text) for text, path, line in texts]

    def found_before(key: str) -> list | None:
        found = known.get(key)
        return known.get(_digest(key, pages)) if found == "links" else found

    todo = [(key, text) for key, text in zip(keys, texts) if found_before(key) is None]

    def check(text: tuple[str, Path, int]) -> tuple[bool, list, str | None]:
        found = Problems(problems.root)
        linked, html = markdown.check_and_render(*text, found, targets)
        return linked, [dataclasses.astuple(problem) for problem in found.found], html

    checked = ordered_map(check, [text for _, text in todo])
    # The HTML made from the checker's parse spares rendering a second parse of each text.
    if rendered is not None:
        rendered.keep({text[0]: html for (_, text), (_, _, html) in zip(todo, checked) if html is not None})
    for (key, _), (linked, found, _) in zip(todo, checked):
        if linked:
            known[key], known[_digest(key, pages)] = "links", found
        else:
            known[key] = found
    for key in keys:
        problems.include([Problem(*fields) for fields in found_before(key)])
    if not forget:
        return
    used = {*keys, *(_digest(key, pages) for key in keys if known.get(key) == "links")}
    for key in [key for key in known if key not in used]:  # texts edited or deleted since
        del known[key]


def _digest(*parts: str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


def _check_text_markdown(owner: Plan | Site, path: Path, keys: tuple[str, ...], problems: Problems,
                         targets: LinkTargets | None) -> None:
    """Check the Markdown of each text under ``keys``, in both languages, at the line where it starts."""
    for key in keys:
        text = getattr(owner, key)
        if text is None:
            continue
        for lang, value in (("zh", text.zh), ("en", text.en)):
            if value:
                check_markdown(value, path, owner.text_lines.get(f"{key}.{lang}", 0), problems, targets)


def _check_site_urls(corpus: Corpus, problems: Problems) -> None:
    """Report site.yaml values that become part of every link, or a link of their own, unless they are plain."""
    site = corpus.site
    lines, path = site.key_lines, site.path
    if not _BASE_PATH.fullmatch(site.base_path):
        problems.add(path, lines.get("base_path", 0), bi(f"base_path \"{site.base_path}\" is not a plain folder path",
                                                         f"base_path「{site.base_path}」不是單純的資料夾路徑"),
                     bi("write / for a site at the root of its domain, or a folder such as /reports/",
                        "網站在網域根目錄時請寫 /，否則寫資料夾，例如 /reports/"), code="E-URL")
    if site.base_url is not None and not _BASE_URL.fullmatch(site.base_url):
        problems.add(path, lines.get("base_url", 0), bi(f"base_url \"{site.base_url}\" is not a web address",
                                                        f"base_url「{site.base_url}」不是網址"),
                     bi("write the site's public address, such as https://example.gov.tw/",
                        "請寫網站的公開網址，例如 https://example.gov.tw/"), code="E-URL")
    elif site.base_url is not None and site.base_url.startswith("http:"):
        problems.add(path, lines.get("base_url", 0), bi(f"base_url \"{site.base_url}\" uses plain http",
                                                        f"base_url「{site.base_url}」使用不加密的 http"),
                     bi("use https://", "請改用 https://"), code="W-URL-HTTP", severity=WARNING)
    if site.email is not None and not _EMAIL.fullmatch(site.email):
        problems.add(path, lines.get("email", 0), bi(f"email \"{site.email}\" is not an e-mail address",
                                                     f"email「{site.email}」不是電子郵件地址"),
                     bi("write the address only, such as service@example.gov.tw",
                        "只寫電子郵件地址，例如 service@example.gov.tw"), code="E-EMAIL")

