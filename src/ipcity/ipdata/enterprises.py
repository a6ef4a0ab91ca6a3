"""Resolving applicant names to enterprises: by USCC when known, else by normalised name — and the reviewable merge
list (`EnterpriseMerge`) that records every name so resolved.

- `EnterpriseMatcher()` loads the enterprise table and the reviewed names once (two queries); `.match(name, uscc)`
  answers an organisation id or None. A name staff rejected answers None (never re-linked); a name staff confirmed
  or linked by hand answers its organisation. Names resolved for the first time are kept in memory:
  `pending_links()` hands them over and `record_links()` writes them in one bulk insert (`record_pending()` does
  both; the import calls it per chunk — optional, the backfill below finds whatever it did not record).
- `backfill_merges()` records the names of parties already linked that the list does not hold yet (patents
  imported before the list existed, or by an import that did not call `record_links`); the merge page calls it.
"""
from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_FORMS = [("有限责任公司", "有限公司"), ("股份有限公司", "股份公司")]
NAME_MAX = 300  # PatentParty.name / EnterpriseMerge.name


def normalise_company_name(name: str) -> str:
    """Full/half width, brackets, whitespace and company-form variants folded, for matching only (never shown)."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACE.sub("", text).replace("(", "（").replace(")", "）")
    for long, short in _FORMS:
        if text.endswith(long):
            text = text[: -len(long)] + short
    return text


def _method(name: str, org_name: str, *, uscc_matched: bool = False, org_has_uscc: bool = False) -> str:
    """How a name came to an enterprise: by USCC when that matched, else by the exact or the normalised name. A
    linked name found by the backfill that matches neither was linked by USCC when the enterprise has one."""
    from ipcity.ipdata.models import EnterpriseMerge

    if uscc_matched:
        return EnterpriseMerge.Method.USCC
    if name == org_name:
        return EnterpriseMerge.Method.EXACT
    if normalise_company_name(name) == normalise_company_name(org_name):
        return EnterpriseMerge.Method.VARIANT
    return EnterpriseMerge.Method.USCC if org_has_uscc else EnterpriseMerge.Method.MANUAL


class EnterpriseMatcher:
    """Caches the enterprise table and the merge list's decisions once per import."""

    def __init__(self):
        from ipcity.ipdata.models import EnterpriseMerge
        from ipcity.orgs.models import Organisation

        rows = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE).values_list("pk", "name", "uscc")
        self.by_name: dict[str, int] = {}
        self.by_uscc: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for pk, name, uscc in rows:
            self.by_name.setdefault(normalise_company_name(name), pk)
            self.names[pk] = name
            if uscc:
                self.by_uscc[uscc] = pk
        self.known: set[str] = set()
        self.decided: dict[str, int | None] = {}  # reviewed names: confirmed → organisation, rejected → None
        for name, status, org_id in EnterpriseMerge.objects.values_list("name", "status", "organisation_id"):
            self.known.add(name)
            if status == EnterpriseMerge.Status.REJECTED:
                self.decided[name] = None
            elif status == EnterpriseMerge.Status.CONFIRMED:
                self.decided[name] = org_id
        self._pending: dict[str, tuple[int, str]] = {}

    def match(self, name: str, uscc: str | None = None) -> int | None:
        key = (name or "")[:NAME_MAX]
        if key in self.decided:
            return self.decided[key]
        by_uscc = bool(uscc and uscc in self.by_uscc)
        org_id = self.by_uscc[uscc] if by_uscc else self.by_name.get(normalise_company_name(name))
        if org_id is not None and key and key not in self.known and key not in self._pending:
            self._pending[key] = (org_id, _method(key, self.names.get(org_id, ""), uscc_matched=by_uscc))
        return org_id

    def pending_links(self) -> list[tuple[str, int, str]]:
        """Names resolved for the first time since the last call, as (name, organisation id, method)."""
        links = [(name, org_id, method) for name, (org_id, method) in self._pending.items()]
        self.known.update(self._pending)
        self._pending = {}
        return links

    def record_pending(self) -> int:
        """Write the names resolved since the last call to the merge list (one bulk insert, none when nothing is
        new). The import calls it when it flushes a chunk, inside the chunk's transaction."""
        return record_links(self.pending_links())


def record_links(links) -> int:
    """Add (name, organisation id, method) rows to the merge list as automatic merges awaiting review, in one bulk
    insert; names already listed keep their row (and their review state). Returns how many were offered."""
    from ipcity.ipdata.models import EnterpriseMerge

    rows = [EnterpriseMerge(name=name[:NAME_MAX], organisation_id=org_id, method=method)
            for name, org_id, method in links if name]
    if rows:
        EnterpriseMerge.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def backfill_merges() -> int:
    """Record the names of applicants/patentees already linked to an enterprise that the merge list lacks. One
    query when there is nothing to add."""
    from django.db import transaction

    from ipcity.ipdata.models import EnterpriseMerge, PatentParty

    linked = (PatentParty.objects.filter(role__in=MERGED_ROLES, organisation__isnull=False)
              .exclude(name__in=EnterpriseMerge.objects.values("name"))
              .values_list("name", "organisation_id", "organisation__name", "organisation__uscc")
              .order_by("name", "organisation_id").distinct())
    links: dict[str, tuple[int, str]] = {}
    for name, org_id, org_name, uscc in linked:
        if name and name not in links:
            links[name] = (org_id, _method(name, org_name, org_has_uscc=bool(uscc)))
    if not links:
        return 0
    with transaction.atomic():
        return record_links((name, org_id, method) for name, (org_id, method) in links.items())


MERGED_ROLES = ("applicant", "patentee")  # the party roles the import links to enterprises
