"""Generates a synthetic multi-year archive of quarterly reports, for benchmarks of search size and build time.

    .venv/bin/python bench/synthetic.py OUT_DIR --years 20 [--seed 0] [--profile default|issue]
    .venv/bin/python build.py check --strict   # run from OUT_DIR, or check(Project(OUT_DIR), strict=True)

OUT_DIR becomes a project root: ``content/`` (rewritten on every run) and copies of the repository's ``templates/``
and ``static/``, so that ``build(Project(OUT_DIR), OUT_DIR / "site")`` builds it. The quarters are the last N
years up to 2026-Q4, each filed under the three-year edition in force: the real 2024–2026 plan, and copies of it
relabelled 2021–2023, 2018–2020… for earlier years. Every measure's lead agencies and some of its co-agencies
report each quarter, with texts recombined from the real 2018-Q3 entries; about half have an English twin.

The ``issue`` profile is the archive the performance issue sizes (70 measures × 2–3 reporting agencies × 4
quarters a year, in two languages: some 14,000 entries and 28,000 source files in twenty years). Every lead and
co-agency reports every quarter, every entry has its English twin, and since the real plan names only 124
responsible agencies for its 68 measures (36 measures have one), co-agencies are added to the plan's ``co``
cells until every measure has at least two and the plan 2.5 on average (170): each drawn from the agencies the
real plan makes responsible for another measure of the same goal. Twenty years are then 13,600 entries and
27,200 entry files.

The same arguments always write the same bytes; the ``default`` profile writes what it wrote before profiles
existed. Other scripts ``sys.path.insert(0, bench_dir)`` and call ``generate(out_dir, years, seed)``, or
``generate(out_dir, years, seed, PROFILES["issue"])``.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from actionplan.base.errors import Problems  # noqa: E402
from actionplan.content.models import Measure, Quarter  # noqa: E402
from actionplan.build.pipeline import Project, load  # noqa: E402

LAST_YEAR = 2026
REAL_EDITION = "2024-2026"
SAMPLE = REPO / "content" / "outcomes" / "2018-Q3"
SAMPLE_YEAR = 2018
LEAD_REPORTS, CO_REPORTS, ENGLISH_SHARE = 0.9, 0.6, 0.5
"""Chances that a lead agency, a co-agency reports in a quarter, and that an entry has an English twin: TIPO,
lead in 35 measures and co-agency in 9, then files about 37 entries a quarter."""


@dataclass(frozen=True)
class Profile:
    """How much of the plan reports each quarter, in how many languages."""

    lead_reports: float = LEAD_REPORTS
    """The chance that a lead agency reports on its measure in a quarter."""
    co_reports: float = CO_REPORTS
    """The chance that a co-agency reports on its measure in a quarter."""
    english_share: float = ENGLISH_SHARE
    """The chance that an entry has an English twin."""
    agencies_per_measure: float = 0.0
    """When above zero, co-agencies are added to the plan until every measure has at least its whole part of this
    many responsible agencies, and the plan this many on average; 0 keeps the real plan's cells."""


PROFILES = {"default": Profile(), "issue": Profile(1.0, 1.0, 1.0, 2.5)}
"""``default``: the archive docs/search.md's figures were measured on. ``issue``: the archive the performance
issue sizes, 2–3 responsible agencies per measure, all of them reporting, in both languages."""

# Kinds of body by weight: "none" says 本季無新進度; "long" has paragraphs, a list and a table.
KINDS = (("paragraphs", 55), ("list", 20), ("none", 8), ("table", 7), ("long", 10))
NO_PROGRESS = (("本季無新進度。", "No new progress this quarter."), ("本季尚無新進度。", "Nothing new to report this quarter."))
INTROS = {"zh": ("本季辦理情形如下：", "相關成果如下：", "執行情形說明如下："),
          "en": ("The work done this quarter was as follows:", "The results were as follows:", "Details follow:")}
"""Lead-ins for lists, besides those of the 2018-Q3 entries (which have none in English)."""
REMARKS = (("持續辦理", "Ongoing"), ("本季數字為初步統計", "The figures for the quarter are preliminary"))
CATEGORIES = (("侵害著作權", "Copyright infringement"), ("侵害商標權", "Trademark infringement"),
              ("侵害專利權", "Patent infringement"), ("侵害營業秘密", "Theft of trade secrets"),
              ("盜版光碟", "Pirated optical discs"), ("仿冒品", "Counterfeit goods"), ("網路侵權", "Online infringement"),
              ("電腦伴唱機", "Karaoke machines"), ("非法機上盒", "Illicit set-top boxes"), ("其他", "Other"))
EVENTS = (("智慧財產權保護宣導說明會", "IPR protection awareness session"),
          ("營業秘密保護研討會", "Trade secret protection seminar"),
          ("查緝人員教育訓練", "Training for enforcement officers"), ("校園智慧財產權講習", "Campus IPR course"),
          ("專利檢索實務課程", "Patent search course"), ("邊境執法座談會", "Border enforcement forum"),
          ("著作權授權實務說明會", "Copyright licensing workshop"), ("跨部會聯合查緝會議", "Joint enforcement meeting"))
TABLE_HEADS = {"stats": ("| 月份 | 類別 | 件數 | 人數 | 金額（新臺幣元） |",
                         "| Month | Category | Cases | Persons | Amount (NT$) |"),
               "events": ("| 日期 | 活動 | 場次 | 參加人次 |", "| Date | Event | Sessions | Attendance |")}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
_ENUMERATOR = re.compile(r"^(?:[-*]\s+)?(?:[(（]?\d+\\?[.)）．]\s*)*")
_BLOCK_START = re.compile(r"^(?:[-*+>#|=`]|\d+[.)])")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def quarters_for(years: int) -> list[Quarter]:
    """Return every quarter of the last ``years`` years, oldest first."""
    return [Quarter(year, n) for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1) for n in range(1, 5)]


def edition_of(quarter: Quarter) -> tuple[int, int]:
    """Return the first and last year of the three-year edition in force in ``quarter``."""
    first = 2024 + 3 * ((quarter.year - 2024) // 3)
    return first, first + 2


def edition_id(first: int, last: int) -> str:
    """Return the plan id of an edition, such as ``2021-2023``."""
    return f"{first}-{last}"


def relabel_plan(text: str, first: int, last: int) -> str:
    """Return the real plan.yaml rewritten as the edition of ``first``–``last``: id, label, period and the texts
    that quote them, in Gregorian and ROC years; its ``updated`` date stays as it is."""
    swaps = {"2024": str(first), "2026": str(last), "113": str(first - 1911), "115": str(last - 1911)}
    lines = [line if line.startswith("updated:") else re.sub("2024|2026|113|115", lambda m: swaps[m.group()], line)
             for line in text.split("\n")]
    return "# Synthetic edition written by bench/synthetic.py from plans/2024-2026/plan.yaml.\n" + "\n".join(lines)


def split_body(text: str) -> str:
    """Return the Markdown body of an entry file."""
    return text.split("---\n", 2)[2]


def sample_pools() -> dict[str, dict[str, list[str]]]:
    """Return the sentences and list intros of the 2018-Q3 entries, by language, under the agency that wrote them
    and under ``*`` for all agencies; list intros (ending in a colon) go under ``intro``."""
    pools: dict[str, dict[str, list[str]]] = {lang: defaultdict(list, intro=list(INTROS[lang])) for lang in INTROS}
    for path in sorted(SAMPLE.glob("*.md")):
        lang = "en" if path.name.endswith(".en.md") else "zh"
        agency = path.name.removesuffix(".md").removesuffix(".en").rpartition(".")[2]
        for line in split_body(path.read_text(encoding="utf-8")).split("\n"):
            parts = re.findall(r"[^。；]+[。；]?", line) if lang == "zh" else re.split(r"(?<=[.;:])\s+(?=[A-Z(]|\d+\.\s)", line)
            for part in (_ENUMERATOR.sub("", p.strip()).replace("|", "/") for p in parts):
                # A sentence that starts like a Markdown block would turn into a list, heading or table.
                if len(part) < 8 or _BLOCK_START.match(part):
                    continue
                if part[-1] in "：:":
                    pools[lang]["intro"].append(part)
                    continue
                part = part[:-1] + "。" if part[-1] == "；" else part[:-1] + "." if part[-1] == ";" else part
                part += "" if part[-1] in "。.)）」" else "。" if lang == "zh" else "."
                pools[lang][agency].append(part)
                pools[lang]["*"].append(part)
    return pools


def vary(text: str, quarter: Quarter, rng: random.Random) -> str:
    """Return a 2018-Q3 sentence moved to ``quarter``: years and the quarter's months follow it, counts vary."""
    shift = quarter.year - SAMPLE_YEAR
    month_shift = 3 * (quarter.number - 3)

    def number(match: re.Match) -> str:
        raw, after = match.group(), text[match.end():match.end() + 8].lstrip()
        if raw.isdigit():
            value = int(raw)
            if 7 <= value <= 9 and re.match(r"月|至\s*9\s*月", after):
                return str(value + month_shift)
            if (95 <= value <= 110 and after.startswith("年")) or 1990 <= value <= 2030:
                return str(value + shift)
            if value <= 31:
                return raw  # days, months and list numbers
        decimals = len(raw.partition(".")[2])
        value = float(raw.replace(",", "")) * rng.uniform(0.5, 1.5)
        value = min(value, 99.99) if after.startswith("%") else max(value, 1)
        return f"{value:,.{decimals}f}" if "," in raw else f"{value:.{decimals}f}"

    text = _NUMBER.sub(number, text)
    return re.sub("July|August|September", lambda m: MONTHS_EN[MONTHS_EN.index(m.group()) + month_shift], text)


def draw_shape(rng: random.Random, quarter: Quarter) -> list[tuple]:
    """Return the blocks of one entry, shared by its Chinese text and its English twin: a kind of body, with the
    number of sentences in each paragraph and list item and the figures of any table."""
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    paragraphs = lambda count, longest: [("para", rng.randint(1, longest)) for _ in range(count)]  # noqa: E731
    if kind == "none":
        return [("none", rng.randrange(len(NO_PROGRESS)))]
    if kind == "paragraphs":
        return paragraphs(rng.choices((1, 2, 3), (5, 3, 2))[0], 4)
    items = ("list", [rng.randint(1, 2) for _ in range(rng.randint(2, 7))], rng.random() < 0.6)
    if kind == "list":
        return [("intro",), items] + paragraphs(int(rng.random() < 0.3), 2)
    months = [3 * quarter.number - 2 + i for i in range(3)]
    if rng.random() < 0.5:
        cats = sorted(rng.sample(range(len(CATEGORIES)), rng.randint(3, len(CATEGORIES))))
        rows = [(m, c, rng.randint(1, 400), rng.randint(1, 500), rng.randint(10_000, 90_000_000)) for m in months for c in cats]
        table = ("table", "stats", rows)
    else:
        rows = sorted((date(quarter.year, rng.choice(months), rng.randint(1, 28)), rng.randrange(len(EVENTS)),
                       rng.randint(1, 12), rng.randint(15, 900)) for _ in range(rng.randint(6, 40)))
        table = ("table", "events", rows)
    if kind == "table":
        return paragraphs(1, 2) + [table] + paragraphs(int(rng.random() < 0.5), 2)
    return paragraphs(rng.randint(3, 6), 5) + [("intro",), items, table] + paragraphs(rng.randint(1, 3), 4)


def render_body(shape: list[tuple], lang: str, pool: list[str], intros: list[str], quarter: Quarter,
                rng: random.Random) -> str:
    """Return the Markdown of an entry in ``lang``, its sentences drawn from ``pool``."""
    zh = lang == "zh"
    join = "".join if zh else " ".join
    say = lambda count: join(vary(sentence, quarter, rng) for sentence in rng.sample(pool, min(count, len(pool))))  # noqa: E731
    blocks = []
    for block in shape:
        if block[0] == "none":
            blocks.append(NO_PROGRESS[block[1]][0 if zh else 1])
        elif block[0] == "para":
            blocks.append(say(block[1]))
        elif block[0] == "intro":
            blocks.append(vary(rng.choice(intros), quarter, rng))
        elif block[0] == "list":
            blocks.append("\n".join(f"{f'{i}.' if block[2] else '-'} {say(n)}" for i, n in enumerate(block[1], 1)))
        elif block[0] == "table":
            head = TABLE_HEADS[block[1]][0 if zh else 1]
            lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
            for row in block[2]:
                if block[1] == "stats":
                    month = f"{row[0]}月" if zh else MONTHS_EN[row[0] - 1]
                    lines.append(f"| {month} | {CATEGORIES[row[1]][0 if zh else 1]} | {row[2]} | {row[3]} | {row[4]:,} |")
                else:
                    day = f"{row[0].year - 1911}年{row[0].month}月{row[0].day}日" if zh else row[0].isoformat()
                    lines.append(f"| {day} | {EVENTS[row[1]][0 if zh else 1]} | {row[2]} | {row[3]} |")
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def front_matter(fields: dict[str, str]) -> str:
    """Return a front matter block; texts are written as JSON strings, which YAML reads as double-quoted text."""
    quoted = {"plan", "measure", "completion", "remarks"}
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False) if k in quoted else v}\n"
                             for k, v in fields.items()) + "---\n"


def responsible(measure: Measure) -> list[str]:
    """Return the ids of a measure's lead and co-agencies, each once, in the plan's order."""
    return list(dict.fromkeys(measure.lead.ids + measure.co.ids))


def added_co_agencies(measures: list[Measure], per_measure: float, rng: random.Random) -> dict[str, list[str]]:
    """Return, by measure id, the co-agencies to add so that every measure has at least ``int(per_measure)``
    responsible agencies and the plan ``per_measure`` on average. Each is drawn from the agencies the plan makes
    responsible for another measure of the same goal, or of the plan where the goal has no more."""
    if per_measure <= 0:
        return {}
    counts = {m.id: len(responsible(m)) for m in measures}
    by_goal: dict[int, set[str]] = defaultdict(set)
    for measure in measures:
        by_goal[measure.goal].update(responsible(measure))
    everyone = set().union(*by_goal.values())
    added: dict[str, list[str]] = defaultdict(list)

    def add(measure: Measure) -> None:
        taken = set(responsible(measure)) | set(added[measure.id])
        pool = sorted(by_goal[measure.goal] - taken) or sorted(everyone - taken)
        added[measure.id].append(rng.choice(pool))
        counts[measure.id] += 1

    floor = int(per_measure)
    for measure in measures:
        while counts[measure.id] < floor:
            add(measure)
    # Then a few measures that have just the floor get one more, until the plan has its average.
    candidates = [m for m in measures if counts[m.id] == floor]
    rng.shuffle(candidates)
    for measure in candidates[:max(0, round(per_measure * len(measures)) - sum(counts.values()))]:
        add(measure)
    return dict(added)


def with_co_agencies(plan_text: str, measures: list[Measure], added: dict[str, list[str]],
                     agencies: dict) -> str:
    """Return the plan.yaml text with the ``added`` co-agencies written at the end of each measure's ``co`` cell,
    by their full Chinese names (經濟部國際貿易署), which the registry resolves like the plan's own cells."""
    if not added:
        return plan_text
    lines = plan_text.split("\n")
    for measure in measures:
        if measure.id not in added:
            continue
        # A measure's line is its "- number:"; its co cell is the first "co:" after it.
        at = next(i for i in range(measure.line, len(lines)) if lines[i].lstrip().startswith("co: "))
        names = [measure.co.written] if measure.co.written else []
        names += [agencies[a].zh for a in added[measure.id]]
        indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
        lines[at] = f"{indent}co: {json.dumps('、'.join(names), ensure_ascii=False)}"
    header = "# Synthetic: the real plan with co-agencies added by bench/synthetic.py.\n"
    return header + "\n".join(lines)


def reporters(measure: Measure, extra_co: list[str], profile: Profile, rng: random.Random) -> list[str]:
    """Return the agencies that report on ``measure`` this quarter: most of its leads, some of its co-agencies
    (``extra_co`` are those the profile added to the plan)."""
    chosen = [a for a in measure.lead.ids if rng.random() < profile.lead_reports]
    return chosen + [a for a in measure.co.ids + tuple(extra_co)
                     if a not in chosen and rng.random() < profile.co_reports]


def write(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with LF line ends, whatever the platform."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def generate(out_dir: Path, years: int, seed: int = 0, profile: Profile = PROFILES["default"]) -> dict:
    """Write the synthetic project at ``out_dir`` and return its counts: editions, measures, responsible agencies
    per quarter (with those added), quarters, entries, files."""
    out_dir = Path(out_dir).resolve()
    if out_dir == REPO:
        raise ValueError("refusing to overwrite the repository's own content")
    corpus = load(Project(REPO), Problems(REPO))
    if corpus is None:
        raise RuntimeError("the repository's content does not load; run `python build.py check` there first")
    measures = corpus.plans[REAL_EDITION].measures
    content = out_dir / "content"
    shutil.rmtree(content, ignore_errors=True)
    for name in ("agencies.yaml", "site.yaml", "strings.yaml"):
        write(content / name, (REPO / "content" / name).read_text(encoding="utf-8"))
    for name in ("templates", "static"):
        # Copies, not links to the repository's: the build refuses symbolic links among its sources (issue 26).
        copy = out_dir / name
        if copy.is_symlink():
            copy.unlink()
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(REPO / name, copy)

    quarters = quarters_for(years)
    real_text = (REPO / "content" / "plans" / REAL_EDITION / "plan.yaml").read_text(encoding="utf-8")
    # Its own generator, so that the quarters' entries are drawn as they are without added co-agencies.
    added = added_co_agencies(measures, profile.agencies_per_measure, random.Random(f"{seed}:co-agencies"))
    plan_text = with_co_agencies(real_text, measures, added, corpus.agencies)
    write(content / "plans" / REAL_EDITION / "plan.yaml", plan_text)
    editions = sorted({edition_of(q) for q in quarters})
    for first, last in editions:
        if edition_id(first, last) != REAL_EDITION:
            write(content / "plans" / edition_id(first, last) / "plan.yaml", relabel_plan(plan_text, first, last))

    pools = sample_pools()
    files, entries = 3 + len(editions), 0
    for quarter in quarters:
        plan = edition_id(*edition_of(quarter))
        # Each quarter has its own generator, so that a quarter's entries do not depend on how many came before.
        rng = random.Random(f"{seed}:{quarter.id}")
        next_start = date(quarter.year + quarter.number // 4, quarter.number % 4 * 3 + 1, 1)
        for measure in measures:
            for agency in reporters(measure, added.get(measure.id, []), profile, rng):
                shape = draw_shape(rng, quarter)
                fields = {"plan": plan, "measure": measure.id, "agency": agency, "quarter": quarter.id}
                updated = next_start + timedelta(days=rng.randrange(14))
                remark = rng.choice(REMARKS) if rng.random() < 0.05 else None
                twin = rng.random() < profile.english_share
                stem = content / "outcomes" / quarter.id / f"{measure.id}.{agency}"
                for lang in ("zh", "en") if twin else ("zh",):
                    zh = lang == "zh"
                    pool = pools[lang][agency] if len(pools[lang][agency]) >= 5 and rng.random() < 0.7 else pools[lang]["*"]
                    extra = {"updated": updated.isoformat()} if zh else {}
                    extra["completion"] = measure.schedule.zh if zh else measure.schedule.en or measure.schedule.zh
                    if remark:
                        extra["remarks"] = remark[0 if zh else 1]
                    body = render_body(shape, lang, pool, pools[lang]["intro"], quarter, rng)
                    write(stem.with_name(stem.name + (".md" if zh else ".en.md")), front_matter({**fields, **extra}) + body)
                    files += 1
                entries += 1
    slots = sum(len(responsible(m)) + len(added.get(m.id, [])) for m in measures)
    return {"editions": len(editions), "measures": len(measures) * len(editions), "responsible agencies": slots,
            "quarters": len(quarters), "entries": entries, "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="the project root to write; its content/ is replaced")
    parser.add_argument("--years", type=int, default=20, help="how many years up to 2026 to cover (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="the random seed (default 0)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="default",
                        help="default: docs/search.md's search archive; issue: the performance issue's size (all "
                             "agencies report, all in English too, 2.5 responsible agencies per measure)")
    parser.add_argument("--lead-reports", type=float, help="override the profile's chance that a lead reports")
    parser.add_argument("--co-reports", type=float, help="override the profile's chance that a co-agency reports")
    parser.add_argument("--english", type=float, dest="english_share",
                        help="override the profile's chance that an entry has an English twin")
    parser.add_argument("--agencies-per-measure", type=float,
                        help="override the profile's responsible agencies per measure (0: the real plan's)")
    args = parser.parse_args()
    if not 1 <= args.years <= 100:
        parser.error("--years must be between 1 and 100")
    overrides = {name: getattr(args, name) for name in ("lead_reports", "co_reports", "english_share",
                                                        "agencies_per_measure") if getattr(args, name) is not None}
    if any(not 0 <= overrides.get(name, 0) <= 1 for name in ("lead_reports", "co_reports", "english_share")):
        parser.error("--lead-reports, --co-reports and --english are chances, between 0 and 1")
    counts = generate(args.out_dir, args.years, args.seed, replace(PROFILES[args.profile], **overrides))
    print(", ".join(f"{value} {key}" for key, value in counts.items()))


if __name__ == "__main__":
    main()
