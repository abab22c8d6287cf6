"""The site as data: the datasets, their data package, the pages' CSV and the Atom feeds, held against the corpus
and against the pages that publish the same entries."""
from __future__ import annotations

import csv
import functools
import io
import json
import re
import threading
import time
import urllib.request
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from frictionless import validate
from odfdo import Document

from actionplan.base.errors import Problems
from actionplan.build.pipeline import build
from actionplan.build.reuse import Reuse
from actionplan.content.corpus import build_corpus
from actionplan.content.markdown import RenderedTexts
from actionplan.content.models import Text
from actionplan.editors.serve import PreviewHandler, header_rules, headers_for
from actionplan.site.data import files as data_files
from actionplan.site.data import tables
from actionplan.site.data.formats import BOM, ods_bytes
from actionplan.site.data.tables import DATASETS, Dataset, Field
from conftest import ROOT, count
from htmlpage import read_page
from mini import CUSTOMS, entry

TAIPEI = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(ROOT / "content", Problems(ROOT))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def datasets(published_site) -> dict[str, list[dict[str, str]]]:
    """Every dataset of the published site, as its CSV reads."""
    return {dataset.name: read_csv(published_site / f"data/{dataset.name}.csv") for dataset in DATASETS}


def file_of(site: Path, url: str) -> Path:
    """Return the file a site address (``/zh/quarters/2018-q3/goal-3/#entry-…``) is served from."""
    path = url.split("#")[0].lstrip("/")
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def entry_ids(html: str) -> list[str]:
    """Return the ids of the entries a page shows, one per entry (its heading carries the id)."""
    return re.findall(r'<article class="entry" aria-labelledby="(entry-[^"]+)"', html)


def source_body(path: Path) -> str:
    """Return an entry file's text below its front matter, as the file has it."""
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


# ───────────────────────────── the files ─────────────────────────────

def test_the_data_package_is_valid_and_describes_every_dataset_in_both_languages(published_site):
    report = validate(published_site / "data/datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "message"])
    package = json.loads((published_site / "data/datapackage.json").read_text(encoding="utf-8"))
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == {f"{d.name}-{fmt}" for d in DATASETS for fmt in ("csv", "json", "ods")}
    for dataset in DATASETS:
        for fmt in ("csv", "json"):
            schema = resources[f"{dataset.name}-{fmt}"]["schema"]
            assert [field["name"] for field in schema["fields"]] == [field.name for field in dataset.fields]
            assert all(field["x-description"]["zh"] and field["x-description"]["en"] for field in schema["fields"])
        assert resources[f"{dataset.name}-ods"]["bytes"] == (published_site / f"data/{dataset.name}.ods").stat().st_size
    assert package["licenses"][0]["path"] == "https://data.gov.tw/license"
    # A dataset's name makes its files' addresses and an id on the open-data page.
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", dataset.name) for dataset in DATASETS)
    count("data package resources validated", len(report.tasks))


def test_the_csv_is_utf8_with_a_byte_order_mark_and_crlf_and_the_json_and_ods_hold_the_same_rows(published_site):
    for dataset in DATASETS:
        raw = (published_site / f"data/{dataset.name}.csv").read_bytes()
        assert raw.startswith(BOM.encode("utf-8"))
        rows = read_csv(published_site / f"data/{dataset.name}.csv")
        assert rows and list(rows[0]) == [field.name for field in dataset.fields]
        # Every record ends with CRLF; a line break inside a quoted text is the content's own.
        again = io.StringIO()
        writer = csv.DictWriter(again, [field.name for field in dataset.fields], lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        assert raw.decode("utf-8") == BOM + again.getvalue()
        assert raw.endswith(b"\r\n")

        as_json = json.loads((published_site / f"data/{dataset.name}.json").read_text(encoding="utf-8"))
        shown = [{key: "" if value is None else ("true" if value is True else "false" if value is False else str(value))
                  for key, value in row.items()} for row in as_json]
        assert shown == rows

        table = Document(published_site / f"data/{dataset.name}.ods").body.get_table(0)
        assert table.name == dataset.name
        sheet = table.get_values()
        assert sheet[0] == [field.name for field in dataset.fields]
        width = len(dataset.fields)

        def cell(value) -> str:
            if value is None:
                return ""
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, datetime):
                return value.date().isoformat()
            return str(int(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)

        assert [[cell(value) for value in (row + [None] * width)[:width]] for row in sheet[1:]] == \
               [list(row.values()) for row in rows]


def test_the_same_rows_give_the_same_ods_bytes_whenever_they_are_written():
    fields = (Field("text", "string", "文字", "Text"), Field("day", "date", "日期", "Day"),
              Field("n", "integer", "數", "Number"), Field("ok", "boolean", "是否", "Whether"))
    rows = [("第一行\r\n第二行  兩個空白\t<&>\"'", datetime(2024, 10, 15).date(), 3, True), (None, None, None, False)]
    first = ods_bytes("t", "標題", fields, rows, datetime(2026, 11, 21).date())
    time.sleep(1.1)  # a zip stores times to two seconds
    assert ods_bytes("t", "標題", fields, rows, datetime(2026, 11, 21).date()) == first
    values = Document(io.BytesIO(first)).body.get_table(0).get_values()
    assert values[1][0] == "第一行\r\n第二行  兩個空白\t<&>\"'" and values[1][2] == 3 and values[1][3] is True


def test_every_data_file_and_feed_is_the_same_bytes_made_again_later(corpus, published_site, tmp_path):
    from actionplan.site.render import SiteLinks
    from actionplan.site.routes import plan_routes

    pages = SiteLinks.of(plan_routes(corpus, Problems(ROOT))).entry_pages

    def made(data: data_files.DataFiles, into: Path) -> tuple[data_files.DataUpdate, dict[str, bytes]]:
        update = data.make(corpus, pages, RenderedTexts(), into)
        return update, {path: (into / path).read_bytes() for path in update.written}

    first = made(data_files.DataFiles(), tmp_path / "first")[1]
    time.sleep(1.1)
    kept = data_files.DataFiles(keep=True)  # as a preview's build makes them, each row's encodings kept
    update, again = made(kept, tmp_path / "again")
    assert again == first
    kept.settle(update)
    assert made(kept, tmp_path / "third")[0].written == []  # nothing changed: nothing made again
    # And as the build wrote them.
    assert {path: (published_site / path).read_bytes() for path in first} == first


# ───────────────────────────── the data equals the site ─────────────────────────────

def test_every_entry_on_the_site_is_in_the_entries_dataset_exactly_once_as_its_files_write_it(
        published_site, datasets, corpus):
    rows = datasets["outcomes"]
    # Every entry the site publishes, where its quarter's goal pages publish it.
    on_pages = Counter()
    for lang in ("zh", "en"):
        for page in (published_site / lang / "quarters").rglob("index.html"):
            if "goal-" in page.parent.as_posix():
                path = "/" + page.relative_to(published_site).parent.as_posix() + "/"
                on_pages.update(f"{path}#{anchor}" for anchor in entry_ids(page.read_text(encoding="utf-8")))
    in_data = Counter(row[f"url_{lang}"] for row in rows for lang in ("zh", "en"))
    assert on_pages == in_data and set(in_data.values()) == {1}
    assert len(rows) == len(corpus.outcomes) == len({(r["plan"], r["quarter"], r["measure"], r["agency"]) for r in rows})
    # Every other page that shows an entry shows one of these.
    anchors = {row["url_zh"].split("#")[1] for row in rows}
    for page in published_site.rglob("index.html"):
        assert set(entry_ids(page.read_text(encoding="utf-8"))) <= anchors, page

    by_key = {(o.plan, o.quarter.id, o.measure, o.agency): o for o in corpus.outcomes}
    for row in rows:
        outcome = by_key[(row["plan"], row["quarter"], row["measure"], row["agency"])]
        assert row["text_zh"] == outcome.body.zh and source_body(outcome.path).strip() == row["text_zh"].strip()
        assert row["text_en"] == (source_body(outcome.en_path).strip() if outcome.body.en else "") or \
               row["text_en"] == outcome.body.en
        for name in ("completion", "remarks"):
            text: Text | None = getattr(outcome, name)
            assert (row[f"{name}_zh"], row[f"{name}_en"]) == ((text.zh, text.en or "") if text else ("", ""))
        assert row["site_note_zh"] == (outcome.note.zh if outcome.note else "")
        assert row["reported_as"] == (outcome.reported_as or "")
        assert row["updated"] == outcome.updated.isoformat()
        agency = corpus.agencies[outcome.agency]
        former = agency.former_on(outcome.quarter.end)
        assert row["agency_name_zh"] == (former.zh if former else agency.zh)
        for lang in ("zh", "en"):
            assert outcome.anchor in read_page(file_of(published_site, row[f"url_{lang}"])).ids
    count("entries held against the site", len(rows))


def test_every_measure_is_in_the_plans_dataset_once_with_its_agencies_resolved(published_site, datasets, corpus):
    rows = datasets["plans"]
    measures = [(plan, m) for plan in corpus.plans.values() for m in plan.measures]
    assert [(row["plan"], row["measure"]) for row in rows] == [(plan.id, m.id) for plan, m in measures]
    agencies = {row["agency"] for row in datasets["agencies"]}
    for row, (plan, measure) in zip(rows, measures, strict=True):
        goal = next(g for g in plan.goals if g.number == measure.goal)
        assert (row["measure_text_zh"], row["goal"], row["goal_title_zh"]) == (measure.text.zh, str(goal.number), goal.title.zh)
        assert row["strategy"] == f"{measure.goal}.{measure.strategy}" and row["lead_written"] == measure.lead.written
        for role in ("lead", "co"):
            ids = [i for i in row[f"{role}_agencies"].split(";") if i]
            assert ids == list(getattr(measure, role).ids) and set(ids) <= agencies
            assert row[f"{role}_names_zh"] == ";".join(corpus.agencies[i].zh for i in ids)
        assert read_page(file_of(published_site, row["url_en"])).h1


def test_every_name_of_every_agency_is_in_the_registry_dataset_with_its_dates(datasets, corpus):
    rows = datasets["agencies"]
    expected = [(a.id, "current", a.zh, "") for a in corpus.agencies.values()]
    expected += [(a.id, "former", f.zh, f.renamed_on.isoformat() if f.renamed_on else "")
                 for a in corpus.agencies.values() for f in a.former_names]
    assert sorted((r["agency"], r["name_status"], r["name_zh"], r["until"]) for r in rows) == sorted(expected)
    assert any(r["name_status"] == "former" and r["until"] for r in rows)


def test_the_tracking_dataset_has_every_responsible_agency_of_every_quarter_and_its_entries(published_site, datasets, corpus):
    rows = datasets["tracking"]
    filed = {(r["plan"], r["quarter"], r["measure"], r["agency"]) for r in datasets["outcomes"]}
    for quarter, entries in corpus.outcomes_by_quarter.items():
        mine = [r for r in rows if r["quarter"] == quarter.id]
        for plan_id in {o.plan for o in entries}:
            for measure in corpus.plans[plan_id].measures:
                listed = [(r["agency"], r["role"]) for r in mine if (r["plan"], r["measure"]) == (plan_id, measure.id)
                          and r["role"] != "extra"]
                # Grouped by agency, as the tracking page lists them.
                assert sorted(listed) == sorted([(i, "lead") for i in measure.lead.ids] + [(i, "co") for i in measure.co.ids])
        tracking_page = read_page(file_of(published_site, mine[0]["url_zh"]))
        for row in mine:
            assert row["url_zh"].split("#")[1] in tracking_page.ids
            counted = [i for i in row["entry_agencies"].split(";") if i]
            assert int(row["entries"]) == len(counted) and (row["state"] == "missing") == (not counted)
            assert all((row["plan"], row["quarter"], row["measure"], agency) in filed for agency in counted)
    assert {r["state"] for r in rows} == {"reported", "no_progress", "missing"}


def test_every_white_paper_response_is_in_its_dataset_once_with_its_status_and_text_as_written(
        published_site, datasets, corpus):
    rows = datasets["whitepaper-responses"]
    responses = [(paper, r) for paper in corpus.whitepapers.values() for r in paper.responses]
    assert responses, "the shipped content has the 2025 white paper"
    assert [(row["whitepaper"], row["recommendation"], row["agency"]) for row in rows] == \
        [(paper.id, r.recommendation, r.agency) for paper, r in responses]
    for row, (paper, response) in zip(rows, responses, strict=True):
        recommendation = paper.recommendations_by_id[response.recommendation]
        assert row["status"].split(";") == [choice.status for choice in response.statuses]
        assert row["status_written"].split(";") == [choice.written for choice in response.statuses]
        assert (row["progress_zh"], row["reported_as"], row["recommendation_heading"]) == (
            response.progress.zh, response.reported_as, recommendation.heading)
        assert row["laws_zh"] == (response.laws.zh if response.laws else "")
        assert row["continuing"] == (response.continuing or "")
        assert row["measures"] == ";".join(recommendation.measures)
        page = read_page(file_of(published_site, row["url_zh"]))
        assert page.h1 and response.reported_as in page.text
    # The seed's counts: 37 adopted, 26 partly adopted, 6 under study, 3 not adopted; two responses chose several.
    alone = Counter(row["status"] for row in rows if ";" not in row["status"])
    assert alone == {"adopted": 37, "partly-adopted": 26, "under-study": 6, "not-adopted": 3}
    assert sum(";" in row["status"] for row in rows) == 2


def test_every_document_is_in_the_documents_index_once_with_the_measures_it_evidences(published_site, datasets, corpus):
    rows = datasets["documents"]
    assert [row["document"] for row in rows] == [d.id for d in corpus.documents] and rows
    plan_rows = {f"{row['plan']}/{row['measure']}" for row in datasets["plans"]}
    for row, document in zip(rows, corpus.documents, strict=True):
        assert (row["kind"], row["issuer"], row["title_zh"], row["date_zh"], row["updated"]) == (
            document.kind, document.issuer, document.title.zh, document.date.zh, document.updated.isoformat())
        measures = row["measures"].split(";")
        assert measures == [f"{plan}/{measure}" for plan, measure in document.measures()]
        assert set(measures) <= plan_rows  # every measure linked is one of the plans dataset's
        assert document.title.zh in read_page(file_of(published_site, row["url_zh"])).text


def test_measure_agency_and_quarter_pages_link_their_own_entries_as_csv_and_their_feed(published_site, datasets):
    rows = datasets["outcomes"]
    checked = 0
    for folder, kind in (("plans/*/measures/*", "measures"), ("agencies/*", "agencies"), ("quarters/*", "quarters")):
        for page_file in sorted((published_site / "zh").glob(f"{folder}/index.html")):
            if page_file.parent.name == "tracking":
                continue
            key = "/".join(page_file.parent.relative_to(published_site / "zh").parts[1:])
            if kind == "measures":
                key = "/".join(page_file.parent.relative_to(published_site / "zh").parts[1::2])
            for lang in ("zh", "en"):
                page = read_page(published_site / lang / page_file.relative_to(published_site / "zh"))
                csv_url, feed_url = f"/data/outcomes/{kind}/{key}.csv", f"/feeds/{lang}/{kind}/{key}.atom"
                assert page.feeds == [feed_url]
                assert {csv_url, feed_url} <= {link.get("href") for link in page.links}
            sliced = read_csv(published_site / f"data/outcomes/{kind}/{key}.csv")
            wanted = {"measures": lambda r: f"{r['plan']}/{r['measure']}" == key,
                      "agencies": lambda r: r["agency"] == key,
                      "quarters": lambda r: r["quarter"].lower() == key}[kind]
            assert sliced == [row for row in rows if wanted(row)]
            checked += 1
    assert checked > 150
    count("pages linking their CSV and feed", checked)


def test_the_feeds_are_valid_atom_with_stable_ids_and_the_entries_dates(published_site, datasets, corpus):
    rows = {row["url_zh"]: row for row in datasets["outcomes"]} | {row["url_en"]: row for row in datasets["outcomes"]}
    feeds = sorted((published_site / "feeds").rglob("*.atom"))
    assert len(feeds) == 2 * (1 + len(corpus.agencies) + sum(len(p.measures) for p in corpus.plans.values())
                              + len(corpus.outcomes_by_quarter))
    feed_ids = set()
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10" and feed.feed.id.startswith("urn:uuid:") and feed.feed.id not in feed_ids
        feed_ids.add(feed.feed.id)
        lang = path.relative_to(published_site / "feeds").parts[0]
        page = next(link.href for link in feed.feed.links if link.rel == "alternate")
        assert "/" + path.relative_to(published_site).as_posix() in read_page(file_of(published_site, page)).feeds
        assert len({e.id for e in feed.entries}) == len(feed.entries)
        for item in feed.entries:
            row = rows[item.link]
            assert item.link == row[f"url_{lang}"]
            assert item.updated == datetime.fromisoformat(row["updated"]).replace(tzinfo=TAIPEI).isoformat()
        newest = max([corpus.site.updated.isoformat(), *(rows[e.link]["updated"] for e in feed.entries)])
        assert feed.feed.updated.startswith(newest + "T00:00:00+08:00")
    # An entry keeps its id from feed to feed of a language.
    site_feed = feedparser.parse((published_site / "feeds/zh/site.atom").read_bytes())
    first = site_feed.entries[0]
    row = rows[first.link]
    agency_feed = feedparser.parse((published_site / f"feeds/zh/agencies/{row['agency']}.atom").read_bytes())
    assert first.id in {e.id for e in agency_feed.entries}
    count("feeds read by feedparser", len(feeds))


def test_the_open_data_page_lists_every_dataset_with_fields_files_sizes_dates_and_licence(published_site, corpus):
    newest_entry = max(o.updated for o in corpus.outcomes)
    for lang in ("zh", "en"):
        html = (published_site / lang / "open-data/index.html").read_text(encoding="utf-8")
        page = read_page(published_site / lang / "open-data/index.html")
        hrefs = {link.get("href") for link in page.links}
        assert "https://data.gov.tw/license" in hrefs and "/data/datapackage.json" in hrefs
        for dataset in DATASETS:
            assert f"dataset-{dataset.name}" in page.ids
            for fmt in ("csv", "json", "ods"):
                path = f"data/{dataset.name}.{fmt}"
                assert "/" + path in hrefs
                assert f"{(published_site / path).stat().st_size:,}" in page.text
            for field in dataset.fields:
                assert f"<code>{field.name}</code>" in html
                assert (field.zh if lang == "zh" else field.en) in page.text
        assert f'<time datetime="{newest_entry.isoformat()}">' in html
        # What the national platform asks and the content does not give is said to be missing, never made up.
        assert ("本站內容未載明" if lang == "zh" else "Not given in this site's content") in page.text
        assert corpus.site.phone in page.text


def test_data_files_are_sent_with_their_type_and_charset():
    rules = header_rules(ROOT / "netlify.toml")
    assert headers_for(rules, "/data/outcomes.csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert headers_for(rules, "/data/outcomes/measures/2024-2026/3.1.5.csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert headers_for(rules, "/data/datapackage.json")["Content-Type"] == "application/json; charset=utf-8"
    assert headers_for(rules, "/data/plans.ods")["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert headers_for(rules, "/feeds/zh/agencies/tipo.atom")["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "Content-Type" not in headers_for(rules, "/zh/")


def test_the_preview_sends_a_data_file_once_with_netlifys_type(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/outcomes.csv").write_bytes(BOM.encode("utf-8") + b"plan\r\n")
    handler = type("Handler", (PreviewHandler,), {"header_rules": header_rules(ROOT / "netlify.toml")})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{httpd.server_address[1]}/data/outcomes.csv") as response:
            assert response.headers.get_all("Content-Type") == ["text/csv; charset=utf-8"]
    finally:
        httpd.shutdown()
        httpd.server_close()


# ───────────────────────────── builds ─────────────────────────────

def test_an_edit_of_an_entry_rebuilt_changes_its_csv_and_feeds_as_a_cold_build_makes_them(make_site, tmp_path):
    project = make_site({CUSTOMS: entry("本季查扣侵權物品 1,234 件。")})
    site = tmp_path / "site"
    build(project, site, search=False, reuse=Reuse())
    before = (site / "data/outcomes/agencies/customs.csv").read_bytes()
    (project.content / CUSTOMS).write_text(entry("本季查扣侵權物品 5,678 件。"), encoding="utf-8")
    report = build(project, site, search=False, reuse=Reuse())
    assert report.patched  # the edit was patched in from what the last build kept, not built anew
    for path in ("data/outcomes.csv", "data/outcomes.ods", "data/outcomes/agencies/customs.csv",
                 "data/outcomes/quarters/2024-q3.csv", "feeds/zh/site.atom", "feeds/zh/agencies/customs.atom"):
        assert "5,678" in read_text_of(site / path), path
    assert (site / "data/outcomes/agencies/customs.csv").read_bytes() != before
    cold = tmp_path / "cold"
    build(project, cold, search=False)
    made = {p.relative_to(cold).as_posix(): p.read_bytes() for p in cold.rglob("*") if p.is_file()}
    assert {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()} == made


def read_text_of(path: Path) -> str:
    if path.suffix == ".ods":
        return "\n".join(str(v) for row in Document(path).body.get_table(0).get_values() for v in row)
    return path.read_text(encoding="utf-8-sig")


def test_a_dataset_is_added_by_one_declaration(mini_site, tmp_path, monkeypatch):
    extra = Dataset("measures-count", Text("各版本措施數", "Measures per edition"), Text("每版本一列。", "One row per edition."),
                    (Field("plan", "string", "版本", "Edition", True), Field("measures", "integer", "措施數", "Measures", True)),
                    lambda corpus, urls: ((plan.id, len(plan.measures)) for plan in corpus.plans.values()),
                    lambda corpus: max(plan.updated for plan in corpus.plans.values()), tables.IRREGULAR)
    monkeypatch.setattr(data_files, "DATASETS", (*DATASETS, extra))
    site = tmp_path / "site"
    build(mini_site, site, search=False)
    assert read_csv(site / "data/measures-count.csv") == [{"plan": "2024-2026", "measures": "2"}]
    report = validate(site / "data/datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "message"])
    assert "dataset-measures-count" in read_page(site / "en/open-data/index.html").ids
