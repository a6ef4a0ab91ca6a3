"""Permission matrix for the analytics data."""
from __future__ import annotations

from ipcity.accounts.roles import Role as R
from ipcity.analytics.models import PatentFlag, SeiTable
from ipcity.core.testing import ALL_ROLES, ScopeMatrix
from ipcity.ipdata.models import Patent


class TestSeiTableScope(ScopeMatrix):
    """The offices and the administrators; not enterprises, agencies, experts, member departments or the public."""

    model = SeiTable
    objects = {"t": lambda w: SeiTable.objects.create(name="表", rules=[], mapping={}, rules_sha256="a",
                                                      mapping_sha256="b", rule_count=0, code_count=0)}
    visible_to = {role: {"t"} for role in (R.SYSADMIN, R.AUDITOR, R.CITY_LEADER, R.CITY_STAFF, R.DISTRICT_STAFF,
                                           R.ENFORCEMENT_OFFICER)}


class TestPatentFlagScope(ScopeMatrix):
    """Derived from public patent data: everyone, like the patents."""

    model = PatentFlag
    objects = {"f": lambda w: PatentFlag.objects.create(
        patent=Patent.objects.create(application_number="CN202210836006.7", content_hash="x"), content_hash="x",
        signature="s")}
    visible_to = {role: {"f"} for role in ALL_ROLES}
