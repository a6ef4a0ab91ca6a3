"""Reads: who sees which saved searches, and running a patent search for a user.

A search runs in the tantivy index (ipcity.search.index, fed by ipcity.ipdata.search_index) and its page of hits
is then read from the database through the Patent scope, so a hit the user may not see is never shown, whatever
the index holds.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ipcity.core import scoping
from ipcity.search.models import SavedSearch
from ipcity.search.query import Range, Term, and_, parse, to_query

MAX_QUERY_CHARS = 2000
PAGE_SIZE = 20
# Deep pages cost the engine more and are never read by people; beyond this, narrow the query or export it.
MAX_OFFSET = {"staff": 10_000, "public": 1_000}
MAX_EXPORT_ROWS = 100_000
FACET_LABELS = {"patent_type": "专利类型", "year": "申请年", "ipc_subclass": "IPC小类", "applicant": "申请人",
                "region": "地区", "legal_status": "法律状态"}
# The public page shows bibliographic facets only.
PUBLIC_FACETS = ("patent_type", "year", "ipc_subclass")


@scoping.register(SavedSearch)
def scope_saved_searches(qs, user):
    """A saved search is its owner's own working note; the audit administrator reads about it in the audit log."""
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(owner=user)


@dataclass
class Hit:
    application_number: str
    title: str
    application_date: dt.date | None
    publication_date: dt.date | None
    patent_type: str
    legal_status: str
    ipc_main: str
    applicants: list[str]
    region_name: str
    score: float | None
    highlights: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        """The hit as `ipcity search --json` prints it."""
        return {"application_number": self.application_number,
                "application_date": self.application_date.isoformat() if self.application_date else None,
                "title": self.title, "applicants": self.applicants, "score": self.score}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    query: str  # the current query narrowed to this value


@dataclass
class SearchPage:
    query: str
    total: int
    offset: int
    limit: int
    sort: str
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def page_number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.limit))


def check_query(text: str) -> str:
    """The query, stripped; raises QuerySyntaxError (Chinese message, position) when it does not parse."""
    from ipcity.search.query import QuerySyntaxError

    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"检索式过长（不超过 {MAX_QUERY_CHARS} 个字符）", MAX_QUERY_CHARS)
    parse(text)
    return text


def narrow(query: str, facet: str, value) -> str:
    """The query AND one facet value, printed in the syntax users type (facet links, saved searches)."""
    if facet == "year":
        year = int(value)
        clause = Range("AD", year * 10000 + 101, year * 10000 + 1231)
    else:
        code = {"patent_type": "PT", "ipc_subclass": "IC", "applicant": "PA", "region": "RG",
                "legal_status": "LS"}[facet]
        clause = Term(code, str(value), quoted=True)
    return to_query(and_(parse(query), clause))


def run_search(query: str, *, user, offset: int = 0, limit: int = PAGE_SIZE, sort: str = "relevance",
               facets: bool = False, public: bool = False) -> SearchPage:
    """One page of hits for `user` (bibliographic fields only when `public`); facets over every match."""
    from ipcity.ipdata import search_index

    query = check_query(query)
    offset = max(0, min(offset, MAX_OFFSET["public" if public else "staff"]))
    result = search_index.search(query, limit=limit, offset=offset, sort=sort, facets=facets)
    hits = hydrate(result.hits, user=user)
    page = SearchPage(query=query, total=result.total, offset=offset, limit=limit, sort=sort, hits=hits)
    if facets:
        page.facets = _label_facets(query, result.facets, public=public)
    return page


def hydrate(index_hits: list[dict], *, user) -> list[Hit]:
    """Index hits -> Hit rows read from the database through the user's scope (two queries for a page)."""
    from ipcity.ipdata.models import Patent, PatentParty

    ids = [h["id"] for h in index_hits]
    patents = {p.application_number: p for p in scoping.visible(Patent, user).filter(application_number__in=ids)
               .select_related("region").only("application_number", "title", "application_date", "publication_date",
                                              "patent_type", "legal_status", "ipc_main", "region__name")}
    applicants: dict[int, list[str]] = {}
    for pid, name in (PatentParty.objects.filter(patent__in=list(patents.values()), role=PatentParty.Role.APPLICANT)
                      .order_by("patent_id", "order").values_list("patent_id", "name")):
        applicants.setdefault(pid, []).append(name)
    out = []
    for hit in index_hits:
        patent = patents.get(hit["id"])
        if patent is None:  # outside the user's scope, or deleted since the index was written
            continue
        out.append(Hit(application_number=patent.application_number, title=patent.title,
                       application_date=patent.application_date, publication_date=patent.publication_date,
                       patent_type=patent.patent_type, legal_status=patent.legal_status, ipc_main=patent.ipc_main,
                       applicants=applicants.get(patent.pk, []),
                       region_name=patent.region.name if patent.region_id else "",
                       score=hit.get("score"), highlights=hit.get("highlights") or {}))
    return out


def _label_facets(query: str, facets: dict, *, public: bool) -> dict[str, list[FacetValue]]:
    from ipcity.regions.models import Region

    names = FACET_LABELS if not public else {k: FACET_LABELS[k] for k in PUBLIC_FACETS}
    region_codes = [str(value) for value, _ in facets.get("region", [])]
    region_names = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name"))
    out = {}
    for name in names:
        values = []
        for value, count in facets.get(name, []):
            label = region_names.get(str(value), str(value)) if name == "region" else str(value)
            values.append(FacetValue(value=str(value), label=label, count=count, query=narrow(query, name, value)))
        out[name] = values
    return out


def can_export(user) -> bool:
    return user.is_authenticated and user.has_perm("search.export_patents")

