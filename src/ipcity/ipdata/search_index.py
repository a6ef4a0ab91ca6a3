"""Keeping the patent search index (ipcity.search, files under IPCITY_SEARCH_DIR) consistent with the database:
updated after each import batch, rebuilt on demand, checked by comparing the sets of application numbers."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from ipcity.ipdata.models import ImportBatch, Patent, PatentParty, SourceRow

log = logging.getLogger(__name__)
CHUNK = 2000


def index_directory() -> Path:
    return Path(getattr(settings, "IPCITY_SEARCH_DIR", None) or Path(settings.IPCITY_HOME) / "search" / "patents")


def open_index():
    from ipcity.search.index import PatentIndex

    return PatentIndex(index_directory())


def _documents(patents: list[Patent]) -> list[dict]:
    names: dict[tuple[int, str], list[str]] = {}
    regions: dict[int, set[str]] = {}
    for pid, role, name, region in (PatentParty.objects.filter(patent__in=patents, role__in=["applicant", "inventor"])
                                    .order_by("patent_id", "role", "order")
                                    .values_list("patent_id", "role", "name", "region_id")):
        names.setdefault((pid, role), []).append(name)
        if region:
            regions.setdefault(pid, set()).add(region)
    docs = []
    for p in patents:
        own_regions = regions.get(p.pk, set()) | ({p.region_id} if p.region_id else set())
        docs.append({"id": p.application_number, "title": p.title, "abstract": p.abstract, "claims": p.claims,
                     "applicants": names.get((p.pk, "applicant"), []), "inventors": names.get((p.pk, "inventor"), []),
                     "patent_type": p.patent_type, "legal_status": p.legal_status,
                     "application_date": p.application_date, "publication_date": p.publication_date,
                     "ipc": p.ipc, "region": sorted(own_regions)})
    return docs


def documents(queryset=None) -> Iterator[dict]:
    queryset = (queryset if queryset is not None else Patent.objects.all()).order_by("pk")
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        yield from _documents(chunk)
        last = chunk[-1].pk


def update_for_batch(batch: ImportBatch) -> int:
    """Re-index the patents a batch created or changed (their rows are in SourceRow for that batch)."""
    ids = SourceRow.objects.filter(batch=batch).values("patent_id")
    index = open_index()
    if index.created:  # a new or schema-changed index: fill it from the database first
        return rebuild(index)
    count = index.add_or_update(documents(Patent.objects.filter(pk__in=ids)))
    index.commit()
    return count


def rebuild(index=None) -> int:
    index = index or open_index()
    count = index.rebuild(documents())
    return count


def check() -> tuple[set[str], set[str]]:
    """(in the database but not the index, in the index but not the database)."""
    index = open_index()
    return index.diff(Patent.objects.values_list("application_number", flat=True))


def search(query: str, *, limit: int = 20, offset: int = 0, sort: str = "relevance", facets: bool = False):
    """Run a query; hits carry the application number, date, title, applicants and highlights."""
    index = open_index()
    if index.created:
        rebuild(index)
    result = index.search(query, limit=limit, offset=offset, sort=sort, facets=facets,
                          texts=lambda ids: {p.application_number: {"claims": p.claims} for p in
                                             Patent.objects.filter(application_number__in=ids).only(
                                                 "application_number", "claims")})
    return result
