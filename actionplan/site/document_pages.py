"""The pages of documents: an index of them, and each document's page (or pages, where it is cut into parts),
with its table of contents and its sections at their anchors."""
from __future__ import annotations

from ..content.i18n import LANGUAGES
from ..content.models import Corpus
from .kinds import KINDS

def document_pages(corpus: Corpus, PageSpec: type) -> list:
    """Return the documents' pages in both languages, made with ``PageSpec`` (routes' page class: routes calls this
    module, which is not to import it back); none where the content has no document."""
    if not corpus.documents:
        return []
    pages = []
    updated = max(document.updated for document in corpus.documents)
    for lang in LANGUAGES:
        pages.append(PageSpec("documents", lang, "", KINDS["documents"].template, updated,
                              {"documents": corpus.documents}, corpus.documents[0].path, 0))
        for document in corpus.documents:
            parts = document.parts
            for part in parts:
                shown = [s for block in part.blocks for s in _block_sections(block)]
                measures = [m for m in (corpus.measure(plan, measure) for plan, measure in document.measures(shown)) if m]
                kind = "document" if part.number == 1 else "document-part"
                pages.append(PageSpec(kind, lang, part.key, KINDS[kind].template, document.updated,
                                      {"document": document, "part": part, "parts": parts, "measures": measures},
                                      document.path, 0))
    return pages


def _block_sections(block):
    if block.first:
        yield block.section
    for sub in block.section.sections[block.start:block.end]:
        yield from sub.walk()
