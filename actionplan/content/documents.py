"""Whole documents that record what was done (a ministry's business report, an overseas meeting report): their
structure as the source numbers it, each section with a stable anchor, and the plan measures a section evidences
(this site's annotation). Read from ``content/documents/<id>.yaml``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path

from ..base.errors import Problems
from .fields import FieldReader
from .i18n import chinese_number
from .models import Text
from .schema import shape
from .sources import Mapping, SourceDoc, bi

FOLDER = "documents"
"""Where document files are, under content/."""
KINDS = ("business-report", "meeting-report")
"""A business report to the Legislative Yuan (業務報告); a report on an overseas meeting (出國報告)."""
KIND_LABELS = {"business-report": Text("業務報告", "Business report"),
               "meeting-report": Text("出國報告", "Overseas meeting report")}
"""What each kind of document is called."""
PART_WEIGHT = 26_000
"""The bytes of text (both languages) a page of a document holds at most: a longer document is cut, between its
top-level sections (or, for one heavier than this, between its subsections), into parts with addresses of their own,
so that every page stays within the site's page budget."""

_DIGITS = {chinese_number(n): n for n in range(1, 100)}
_CAPITALS = {**dict(zip("壹貳參肆伍陸柒捌玖", range(1, 10))), "参": 3}
"""The capital numerals that number chapters; the business report writes 参 (U+53C2) for 參 once."""
_NUMBER = re.compile(r"[（(]?\s*([^、）)]+?)\s*[、）)]?")


@dataclass(frozen=True)
class Evidence:
    """A plan measure a section reports on: this site's reading, not the source's."""

    plan: str
    measure: str
    why: Text
    """Briefly, why the section evidences the measure."""
    line: int = 0
    """The line of its measure in the document file."""


@dataclass(frozen=True)
class Section:
    """A section or item of a document, numbered as the source numbers it."""

    number: str
    """The source's numbering mark as written (``玖、``, ``（一）``, ``摘要``); empty for text before the first."""
    anchor: str
    """Its fragment id on the document's page, made from the numbers of it and the sections above it: ``s-9-1-2``
    for （二） under 一、 under 玖、; it stays as long as the source's numbering does."""
    level: int
    """1 for a top-level section."""
    title: Text | None
    text: str | None
    """The section's own text as the source writes it, in ``lang``; paragraphs separated by a blank line."""
    text_en: str | None
    lang: str
    """The language of the source's text: zh, or en for a part the source writes in English."""
    lines: bool
    """Whether the text keeps the source's lines (an agenda, a questionnaire) rather than paragraphs."""
    reproduced: bool
    """False for a section listed by its heading only: its text is not on this site."""
    agency: str | None
    note: Text | None
    evidences: tuple[Evidence, ...]
    sections: tuple["Section", ...]
    line: int
    """Its line in the document file."""
    key_lines: tuple[tuple[str, int], ...] = ()
    """The line of each of its fields, for problems with a value."""

    def walk(self):
        """Yield this section and every section under it, in reading order."""
        yield self
        for section in self.sections:
            yield from section.walk()

    @property
    def weight(self) -> int:
        """Return about how many bytes of text the section and those under it make on a page."""
        own = sum(len(value.encode("utf-8")) for value in (self.text, self.text_en) if value)
        return own + 200 + sum(section.weight for section in self.sections)

    def paragraphs(self, lang: str) -> list[str]:
        """Return the section's text in ``lang`` where it has it (else the source's), paragraph by paragraph."""
        text = self.text_en if lang == "en" and self.text_en else self.text
        return [part for part in (text or "").split("\n\n") if part.strip()]

    def untranslated(self, lang: str) -> bool:
        """Return whether an English page shows this section's Chinese text in place of a translation."""
        return lang == "en" and self.lang != "en" and not self.text_en and bool(self.text)


@dataclass(frozen=True)
class PartBlock:
    """What one part of a document shows of a top-level section: its heading and text where ``first``, and the
    subsections ``start`` to ``end``."""

    section: Section
    start: int
    end: int
    first: bool


@dataclass(frozen=True)
class Part:
    """One page of a document."""

    key: str
    """The page's key: the document's id for the first part, ``<id>/<anchor of its first section>`` after."""
    number: int
    blocks: tuple[PartBlock, ...]

    @property
    def anchors(self) -> frozenset[str]:
        """Return the anchors of the sections on this page."""
        found = set()
        for block in self.blocks:
            if block.first:
                found.add(block.section.anchor)
            for sub in block.section.sections[block.start:block.end]:
                found.update(s.anchor for s in sub.walk())
        return frozenset(found)


@dataclass(frozen=True)
class Document:
    """A whole document and what this site adds to it."""

    id: str
    kind: str
    issuer: str
    title: Text
    period: Text
    """The period it covers, as the source gives it (or says it does not)."""
    date: Text
    """Its date, as the source gives it (or says it does not)."""
    source: Text
    updated: date
    notes: tuple[Text, ...]
    sections: tuple[Section, ...]
    path: Path | None = None
    lines: tuple[tuple[str, int], ...] = ()
    """The line of each top-level field, for problems with its value."""

    def walk(self):
        """Yield every section, in reading order."""
        for section in self.sections:
            yield from section.walk()

    @property
    def kind_label(self) -> Text:
        """Return what its kind of document is called."""
        return KIND_LABELS[self.kind]

    @cached_property
    def page_keys(self) -> dict[str, str]:
        """Return, by section anchor, the key of the page that shows the section."""
        return {anchor: part.key for part in self.parts for anchor in part.anchors}

    @property
    def agencies(self) -> frozenset[str]:
        """Return the issuer and the agencies whose sections the document has."""
        return frozenset([self.issuer, *(s.agency for s in self.walk() if s.agency)])

    @cached_property
    def parts(self) -> tuple[Part, ...]:
        """Return the document's pages: its sections cut where the text grows past PART_WEIGHT."""
        blocks: list[list[PartBlock]] = [[]]
        weight = 0

        def add(block: PartBlock, added: int) -> None:
            nonlocal weight
            if blocks[-1] and weight + added > PART_WEIGHT:
                blocks.append([])
                weight = 0
            blocks[-1].append(block)
            weight += added

        for section in self.sections:
            if section.weight <= PART_WEIGHT or not section.sections:
                add(PartBlock(section, 0, len(section.sections), True), section.weight)
                continue
            own = section.weight - sum(s.weight for s in section.sections)
            add(PartBlock(section, 0, 1, True), own + section.sections[0].weight)
            for index, sub in enumerate(section.sections[1:], 1):
                last = blocks[-1][-1]
                if last.section is section and weight + sub.weight <= PART_WEIGHT:
                    blocks[-1][-1] = PartBlock(section, last.start, index + 1, last.first)
                    weight += sub.weight
                else:
                    add(PartBlock(section, index, index + 1, False), sub.weight)
        parts = []
        for number, found in enumerate(blocks, 1):
            first = found[0]
            anchor = first.section.anchor if first.first else first.section.sections[first.start].anchor
            parts.append(Part(self.id if number == 1 else f"{self.id}/{anchor}", number, tuple(found)))
        return tuple(parts)

    def page_of(self, anchor: str) -> str:
        """Return the key of the page that shows the section with ``anchor``."""
        return self.page_keys[anchor]

    def trail(self, anchor: str) -> str:
        """Return the numbering marks of a section and those above it, as one reads them: 玖、五、（三）."""
        def find(sections, marks):
            for section in sections:
                here = marks + section.number
                if section.anchor == anchor:
                    return here
                found = find(section.sections, here)
                if found is not None:
                    return found
            return None
        return find(self.sections, "") or ""

    def evidence_for(self, plan: str, measure: str) -> list[tuple[Section, Evidence]]:
        """Return the sections that evidence a measure, each with the site's reason."""
        return [(s, e) for s in self.walk() for e in s.evidences if e.plan == plan and e.measure == measure]

    def measures(self, sections=None) -> list[tuple[str, str]]:
        """Return the (edition, measure) pairs the document's sections (or ``sections``) evidence, in order."""
        pairs = [(e.plan, e.measure) for s in (sections if sections is not None else self.walk()) for e in s.evidences]
        return list(dict.fromkeys(pairs))


def related_sections(documents: tuple[Document, ...], plan: str, measure: str) -> tuple[tuple[Document, Section, Evidence], ...]:
    """Return the sections of ``documents`` that evidence a measure, each with its document and the site's reason."""
    return tuple((document, section, evidence) for document in documents
                 for section, evidence in document.evidence_for(plan, measure))


def documents_of(documents: tuple[Document, ...], agency: str) -> tuple[Document, ...]:
    """Return the documents an agency issued or has a section of."""
    return tuple(document for document in documents if agency in document.agencies)


def anchor_part(number: str) -> str:
    """Return what a numbering mark adds to an anchor: 9 for 玖、, 12 for 十二、, 3 for （三） and (3), annex-1 for
    附件 1、, summary for 摘要; the mark itself, made an id, for any other."""
    mark = number.strip()
    if mark == "摘要":
        return "summary"
    if mark.startswith("附件"):
        return "annex-" + "".join(ch for ch in mark if ch.isdigit())
    found = _NUMBER.fullmatch(mark)
    core = found.group(1) if found else mark
    if core.isdigit():
        return str(int(core))
    if core in _DIGITS:
        return str(_DIGITS[core])
    if core and all(ch in _CAPITALS or ch == "拾" for ch in core):
        value = 0
        for ch in core:
            value = (value or 1) * 10 if ch == "拾" else value + _CAPITALS[ch]
        return str(value)
    return "x" + "".join(f"{ord(ch):x}" for ch in core)


def document_path(rel: str) -> bool:
    """Return whether a file under content/ (``documents/x.yaml``) is a document file."""
    return rel.startswith(f"{FOLDER}/") and rel.endswith(".yaml") and rel.count("/") == 1


def load_documents(docs: dict[str, SourceDoc], problems: Problems) -> tuple[Document, ...]:
    """Return the documents of the content files among ``docs`` (by path under content/), in id order; every
    problem of a file is reported at its line, and a file with one is left out."""
    found: dict[str, Document] = {}
    for rel, doc in docs.items():
        if not document_path(rel) or doc.unreadable:
            continue
        document = _read_document(doc, problems)
        if document is None:
            continue
        if document.id in found:
            problems.add(doc.path, 1, bi(f"document id \"{document.id}\" is used twice", f"文件代號「{document.id}」重複"),
                         bi("give each document its own id", "每份文件請用不同代號"), code="E-ID-DUPLICATE")
            continue
        found[document.id] = document
    return tuple(found[key] for key in sorted(found))


def _read_document(doc: SourceDoc, problems: Problems) -> Document | None:
    read = FieldReader(doc.path, problems)
    data = read.as_mapping(doc.data, doc.path.name)
    if data is None:
        return None
    fields = read.fields(data, shape("document"), doc.path.name)
    values = {key: fields.value(key) for key in ("title", "period", "date", "source", "updated")}
    doc_id, kind, issuer = fields.identifier("id"), fields.value("kind"), fields.identifier("issuer")
    if doc_id is not None and doc.path.stem != doc_id:
        read.error(data.key_lines["id"], bi(f"document id \"{doc_id}\" does not match its file name \"{doc.path.name}\"",
                                            f"文件代號「{doc_id}」與檔名「{doc.path.name}」不一致"),
                   bi(f"name the file content/documents/{doc_id}.yaml", f"請將檔案命名為 content/documents/{doc_id}.yaml"),
                   "E-ID-MISMATCH")
    if kind is not None and kind not in KINDS:
        read.error(data.key_lines["kind"], bi(f"unknown kind of document \"{kind}\"", f"沒有「{kind}」這種文件類別"),
                   bi("write business-report or meeting-report", "請寫 business-report 或 meeting-report"), "E-ID-FORMAT")
        kind = None
    notes = []
    for node in fields.sequence("notes") if fields.node("notes") is not None else ():
        note = read.as_mapping(node, "a note", node.line, "附註")
        if note is not None:
            text = _pair(read, note)
            if text is not None:
                notes.append(text)
    sections = _read_sections(read, fields.sequence("sections"), shape("document", "sections"), "s", 1)
    if doc_id is None or kind is None or issuer is None or any(v is None for v in values.values()) or sections is None:
        return None
    return Document(doc_id, kind, issuer, notes=tuple(notes), sections=sections, path=doc.path,
                    lines=tuple(sorted(data.key_lines.items())), **values)


def _pair(read: FieldReader, mapping: Mapping) -> Text | None:
    read.check_keys(mapping, ("zh", "en"), "a note", "附註")
    zh = read.text(mapping, "zh")
    return Text(zh, read.text(mapping, "en", required=False)) if zh is not None else None


def _read_sections(read: FieldReader, nodes, section_shape, prefix: str, level: int) -> tuple[Section, ...] | None:
    """Return the sections of a list, or None where one of them has a problem (reported)."""
    sections, failed, anchors = [], False, set()
    for node in nodes:
        mapping = read.as_mapping(node, "a section", getattr(node, "line", 1), "章節")
        if mapping is None:
            failed = True
            continue
        fields = read.fields(mapping, section_shape, "a section", "章節")
        number = fields.value("number") or ""
        anchor = f"{prefix}-{anchor_part(number)}" if number else f"{prefix}-preamble"
        if anchor in anchors:
            read.error(mapping.line, bi(f"two sections here are numbered \"{number}\"", f"此處有兩個章節編號都是「{number}」"),
                       bi("number each section as the source does", "請照來源為各節編號"), "E-ID-DUPLICATE")
            # The document still loads, so that the checks of its references report their problems in this run.
        anchors.add(anchor)
        evidences = []
        for item in fields.sequence("evidences") if fields.node("evidences") is not None else ():
            evidence = read.as_mapping(item, "an evidence", getattr(item, "line", mapping.line), "對應措施")
            if evidence is None:
                failed = True
                continue
            ev = read.fields(evidence, section_shape.inner("evidences"), "an evidence", "對應措施")
            plan, measure, why = ev.identifier("plan"), ev.identifier("measure"), ev.value("why")
            if plan is None or measure is None or why is None:
                failed = True
            else:
                evidences.append(Evidence(plan, measure, why, evidence.key_lines.get("measure", evidence.line)))
        children = _read_sections(read, fields.sequence("sections"), section_shape.inner("sections"), anchor, level + 1) \
            if fields.node("sections") is not None else ()
        lang = fields.identifier("lang") or "zh"
        layout = fields.identifier("layout") or "paragraphs"
        agency = fields.identifier("agency") if fields.node("agency") is not None else None
        if children is None:
            failed = True
            continue
        sections.append(Section(number, anchor, level, fields.value("title"), fields.value("text"), fields.value("text_en"),
                                lang, layout == "lines", fields.value("reproduced"), agency, fields.value("note"),
                                tuple(evidences), children, mapping.line, tuple(sorted(mapping.key_lines.items()))))
    return None if failed else tuple(sections)
