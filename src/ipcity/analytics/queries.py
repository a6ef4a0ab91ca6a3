"""Who may see the analytics reference data, and reading the active SEI table."""
from __future__ import annotations

from ipcity.accounts.roles import OFFICE_ROLES, Role
from ipcity.analytics.models import PatentFlag, SeiTable
from ipcity.core import scoping


@scoping.register(SeiTable)
def scope_sei_tables(qs, user):
    # The concordance is an official publication; the offices and the administrators work with it.
    if user.is_authenticated and (user.role in OFFICE_ROLES or user.role in {Role.SYSADMIN, Role.AUDITOR}
                                  or user.is_superuser):
        return qs
    return qs.none()


@scoping.register(PatentFlag)
def scope_patent_flags(qs, user):
    # Derived from public bibliographic data, like the patents themselves.
    return qs


_cache: dict[tuple, object] = {}


def active_sei_table():
    """The classifier (sei.SeiTable) of the active concordance version, or None when none is loaded. Built once per
    version and process (keyed by the files' hashes, not only the row id, which a restored database may reuse)."""
    from ipcity.analytics.sei import SeiTable as Classifier

    key = SeiTable.objects.filter(is_active=True).values_list("pk", "rules_sha256", "mapping_sha256").first()
    if key is None:
        return None
    found = _cache.get(key)
    if found is None:
        row = SeiTable.objects.get(pk=key[0])
        _cache.clear()
        found = _cache[key] = Classifier.from_stored(row.rules, row.mapping, version=row.name)
    return found
