"""What a preview's builds do that other builds do not: keep the build in memory, so that an edit of entries is
patched into the site from it (``build.patch``), and show the pages at once, the search index made after them.

Both are a ``PreviewReuse``, the preview's own kind of ``Reuse``, handed to ``pipeline.build``."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from ..build.patch import LastBuild
from ..build.report import BuildReport
from ..build.reuse import Reuse
from ..build.state import BuildState
from ..content.models import Corpus
from ..site.facets import Facets
from ..site.render import SiteLinks
from ..site.routes import PageSpec
from ..site.search import copy_indexable, index_copies, reuse_search_index
from ..site.write import discard, stage_dir, swap_in


class PreviewReuse(Reuse):
    """A preview's build: its texts' HTML is kept whole, the build is kept in memory (``last``) rather than on disk,
    and the search index is made after the site is swapped in (``pending``)."""

    keep_texts = True

    def __init__(self, *, load_unchanged: bool = False) -> None:
        """With ``load_unchanged``, a site found up to date is loaded and made again from the old site's pages all
        the same, to keep it in memory."""
        super().__init__()
        self.load_unchanged = load_unchanged
        self.last: LastBuild | None = None
        """The build, once it has succeeded."""
        self.pending: PendingIndex | None = None
        """The search index of its pages, still to be made."""

    def may_skip(self) -> bool:
        return not self.load_unchanged

    def may_patch(self) -> bool:
        return False  # the preview patches the build it holds in memory, before asking for a build

    def index_kept(self, staging: Path, rendered: list, facets: dict[str, Facets], report: BuildReport) -> bool:
        self.search_index = self.inputs
        kept = self.shards_kept(staging, rendered)
        if kept is not None and kept == self.every_shard():
            reuse_search_index(self.out_dir, staging)
            report.search_summary = "the search index is unchanged"
            return True
        if self.state.search_index_intact(self.out_dir):
            reuse_search_index(self.out_dir, staging)  # until the new one is made: search keeps working
        self.search_index = self.state.search_index
        self.pending = PendingIndex(self.out_dir, self.inputs, facets)
        return True

    def keep(self, corpus: Corpus, pages: list[PageSpec], facets: dict[str, Facets], links: SiteLinks,
             report: BuildReport) -> None:
        self.last = self.last_build(corpus, pages, facets)


def pending_after_patch(last: LastBuild) -> PendingIndex | None:
    """Return the search index a preview's patched site needs, where it has search."""
    return PendingIndex(last.out_dir, last.state.inputs, dict(last.facets)) if last.search else None


@dataclass(frozen=True)
class PendingIndex:
    """The search index of a build's pages, made after the build so that a preview can show the pages at once.

    The steps are apart so that a caller can hold its own lock where the output folder must not change under them:
    ``copy_pages`` reads the site and ``install`` swaps the index into it; ``index`` runs Pagefind on the copies."""

    out_dir: Path
    inputs: str
    """What the build was made from (``BuildState.inputs``): the index is installed only while the site is still
    that build's."""
    facets: dict

    def copy_pages(self, copies: Path) -> None:
        """Write into ``copies`` what Pagefind reads of the site's pages."""
        copy_indexable(self.out_dir, copies)

    def index(self, copies: Path, staging: Path) -> str:
        """Index the copies into ``staging/pagefind``; return Pagefind's summary line."""
        return index_copies(copies, staging / "pagefind", self.facets)

    def install(self, staging: Path) -> bool:
        """Swap the index made in ``staging`` into the site, unless another build has replaced the site since;
        return whether it was installed."""
        state = BuildState.load(self.out_dir)
        if state.inputs != self.inputs or not self.out_dir.is_dir():
            return False
        swap_in(staging / "pagefind", self.out_dir / "pagefind")
        state.search_index = self.inputs
        state.record_outputs(self.out_dir)
        state.save()
        return True

    def run(self, holding: AbstractContextManager = nullcontext(), wanted: Callable[[], bool] = lambda: True) -> bool:
        """Make the index and install it; return whether it was installed. The pages are copied and the index
        swapped in while ``holding`` is held, and only if ``wanted()`` still says so then."""
        staging = stage_dir(self.out_dir)
        try:
            with holding:
                if not wanted():
                    return False
                self.copy_pages(staging / "copies")
            self.index(staging / "copies", staging)
            with holding:
                return wanted() and self.install(staging)
        finally:
            discard(staging)

