"""Patent full-text search: the fielded query syntax, Chinese segmentation, the tantivy index, highlighting.

    from ipcity.search import PatentIndex, parse, QuerySyntaxError

    index = PatentIndex(home / "search")
    index.add_or_update(docs); index.commit()
    result = index.search("TI=商标 AND AD=[20200101 TO 20231231]", limit=20, facets=True)

No Django here: the platform feeds the index from its database (per import batch, a rebuild,
and a consistency check with ``diff``) and keeps it under $IPCITY_HOME/search/.
"""
from .query import And, Not, Or, QuerySyntaxError, Range, Term, parse, to_query

__all__ = ["PatentIndex", "SearchResult", "QuerySyntaxError", "parse", "to_query", "Term", "Range", "And",
           "Or", "Not"]


def __getattr__(name):  # tantivy is only imported when the index is used
    if name in ("PatentIndex", "SearchResult"):
        from . import index

        return getattr(index, name)
    raise AttributeError(name)
