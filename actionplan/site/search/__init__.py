"""The site's search: copies of the pages that Pagefind reads (``copies``), indexed in shards (``pagefind``), and
asked by the search page (``static/search.js``). docs/search.md says why it is built so."""
from .copies import HAN, indexable
from .pagefind import (INDEX_CHUNK_SIZE, PAGEFIND_VERSION, SearchIndexFailed, copy_indexable, index_copies, index_copy,
                       index_search, pagefind_binary, reuse_search_index, shard_of)

__all__ = ["HAN", "INDEX_CHUNK_SIZE", "PAGEFIND_VERSION", "SearchIndexFailed", "copy_indexable", "index_copies",
           "index_copy", "index_search", "indexable", "pagefind_binary", "reuse_search_index", "shard_of"]
