"""Permission matrix for the data hub."""
from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from ipcity.accounts.roles import PUBLIC
from ipcity.accounts.roles import Role as R
from ipcity.core.files import store_file
from ipcity.core.testing import ALL_ROLES, ScopeMatrix
from ipcity.ipdata.models import ImportBatch, Patent, PatentParty, PatentRevision, Publication, RejectedRow, SourceRow

EVERYONE = set(ALL_ROLES)
OFFICES = {R.SYSADMIN, R.AUDITOR, R.CITY_LEADER, R.CITY_STAFF, R.DISTRICT_STAFF, R.ENFORCEMENT_OFFICER}
assert PUBLIC in EVERYONE


def _batch(world):
    stored = store_file(ContentFile(b"scope batch", name="b.csv"), acting_user=world.users["city_staff"])
    return ImportBatch.objects.create(file=stored, source_format="generic", created_by=world.users["city_staff"])


def _patent(world):
    return Patent.objects.create(application_number="CN202210836006.7", title="一种测试装置", content_hash="x",
                                 application_date=dt.date(2022, 7, 1))


class TestPatentScope(ScopeMatrix):
    model = Patent
    objects = {"patent": _patent}
    visible_to = {role: {"patent"} for role in EVERYONE}


class TestPublicationScope(ScopeMatrix):
    model = Publication
    objects = {"pub": lambda w: Publication.objects.create(patent=_patent(w), number="CN114399933A", kind="A")}
    visible_to = {role: {"pub"} for role in EVERYONE}


class TestPatentPartyScope(ScopeMatrix):
    model = PatentParty
    objects = {"party": lambda w: PatentParty.objects.create(patent=_patent(w), role="applicant", order=0,
                                                             name="测试甲科技有限公司")}
    visible_to = {role: {"party"} for role in EVERYONE}


class TestImportBatchScope(ScopeMatrix):
    model = ImportBatch
    objects = {"batch": _batch}
    visible_to = {role: {"batch"} for role in OFFICES}


class TestRejectedRowScope(ScopeMatrix):
    model = RejectedRow
    objects = {"row": lambda w: RejectedRow.objects.create(batch=_batch(w), row_number=1, reasons=["x"], raw={})}
    visible_to = {role: {"row"} for role in OFFICES}


class TestSourceRowScope(ScopeMatrix):
    model = SourceRow
    objects = {"row": lambda w: SourceRow.objects.create(patent=_patent(w), batch=_batch(w), row_number=1,
                                                         row_hash="h", raw={})}
    visible_to = {role: {"row"} for role in OFFICES}


class TestPatentRevisionScope(ScopeMatrix):
    model = PatentRevision
    objects = {"rev": lambda w: PatentRevision.objects.create(patent=_patent(w), batch=_batch(w), changes={})}
    visible_to = {role: {"rev"} for role in OFFICES}


from ipcity.ipdata.models import (CopyrightRegistration, EnterpriseFlag, GeographicalIndication,  # noqa: E402
                                  LayoutDesign, PlantVariety, Trademark)
from ipcity.regions.models import Region  # noqa: E402


class TestTrademarkScope(ScopeMatrix):
    model = Trademark
    objects = {"mark": lambda w: Trademark.objects.create(registration_number="1", name="甲", nice_classes=[9],
                                                          owner_name="甲")}
    visible_to = {role: {"mark"} for role in EVERYONE}


class TestGeographicalIndicationScope(ScopeMatrix):
    model = GeographicalIndication
    objects = {"gi": lambda w: GeographicalIndication.objects.create(
        name="曹县芦笋", kind="product", approval_number="1", region=Region.objects.get(code="371721"))}
    visible_to = {role: {"gi"} for role in EVERYONE}


class TestCopyrightScope(ScopeMatrix):
    model = CopyrightRegistration
    objects = {"c": lambda w: CopyrightRegistration.objects.create(registration_number="1", title="软件", kind="software",
                                                                   owner_name="甲")}
    visible_to = {role: {"c"} for role in EVERYONE}


class TestPlantVarietyScope(ScopeMatrix):
    model = PlantVariety
    objects = {"p": lambda w: PlantVariety.objects.create(right_number="1", name="菏牡1号", owner_name="甲")}
    visible_to = {role: {"p"} for role in EVERYONE}


class TestLayoutDesignScope(ScopeMatrix):
    model = LayoutDesign
    objects = {"l": lambda w: LayoutDesign.objects.create(registration_number="1", name="芯片", owner_name="甲")}
    visible_to = {role: {"l"} for role in EVERYONE}


class TestEnterpriseFlagScope(ScopeMatrix):
    """Flags follow their enterprise's visibility (see orgs scoping)."""

    model = EnterpriseFlag
    objects = {"on_a": lambda w: EnterpriseFlag.objects.create(organisation=w.orgs["enterprise_a"], flag="high_tech",
                                                               valid_from=dt.date(2023, 1, 1)),
               "on_b": lambda w: EnterpriseFlag.objects.create(organisation=w.orgs["enterprise_b"], flag="high_tech",
                                                               valid_from=dt.date(2023, 1, 1))}
    visible_to = {**{role: {"on_a", "on_b"} for role in (R.SYSADMIN, R.AUDITOR, R.CITY_LEADER, R.CITY_STAFF)},
                  R.DISTRICT_STAFF: {"on_a"}, R.ENFORCEMENT_OFFICER: {"on_a"}, R.ENTERPRISE_USER: {"on_a"}}


from ipcity.ipdata.models import ColumnMapping  # noqa: E402


class TestColumnMappingScope(ScopeMatrix):
    model = ColumnMapping
    objects = {"m": lambda w: ColumnMapping.objects.create(name="某数据库导出", mapping={"application_number": "申请号"})}
    visible_to = {role: {"m"} for role in OFFICES}


from ipcity.ipdata.models import EnterpriseMerge  # noqa: E402


class TestEnterpriseMergeScope(ScopeMatrix):
    """Office working data following the enterprise: district offices see merges into their district's enterprises
    (the merge page's actions answer 404 outside that scope, see test_merges.py)."""

    model = EnterpriseMerge
    objects = {"on_a": lambda w: EnterpriseMerge.objects.create(name="测试甲科技有限责任公司",
                                                                organisation=w.orgs["enterprise_a"], method="variant"),
               "on_b": lambda w: EnterpriseMerge.objects.create(name="测试乙材料有限责任公司",
                                                                organisation=w.orgs["enterprise_b"], method="variant")}
    visible_to = {**{role: {"on_a", "on_b"} for role in (R.SYSADMIN, R.AUDITOR, R.CITY_LEADER, R.CITY_STAFF)},
                  R.DISTRICT_STAFF: {"on_a"}, R.ENFORCEMENT_OFFICER: {"on_a"}}


from decimal import Decimal  # noqa: E402

from ipcity.core.testing import DISTRICT_A, DISTRICT_B  # noqa: E402
from ipcity.ipdata.models import PatentAward, PatentPledge  # noqa: E402


def _pledge(number: str, region: str | None, pledgor: str | None):
    def make(world):
        return PatentPledge.objects.create(
            registration_number=number, application_number="CN202210836006.7", pledgor_name="甲", pledgee_name="银行",
            amount=Decimal("1500"), registered_on=dt.date(2024, 3, 1),
            region=Region.objects.get(code=region) if region else None,
            pledgor=world.orgs[pledgor] if pledgor else None)
    return make


class TestPatentPledgeScope(ScopeMatrix):
    """Financing data: the offices by jurisdiction (unattributed ones to all offices), an enterprise its own."""

    model = PatentPledge
    objects = {"in_a": _pledge("P1", DISTRICT_A, "enterprise_a"), "in_b": _pledge("P2", DISTRICT_B, "enterprise_b"),
               "nowhere": _pledge("P3", None, None)}
    visible_to = {**{role: {"in_a", "in_b", "nowhere"} for role in (R.SYSADMIN, R.AUDITOR, R.CITY_LEADER,
                                                                     R.CITY_STAFF)},
                  R.DISTRICT_STAFF: {"in_a", "nowhere"}, R.ENFORCEMENT_OFFICER: {"in_a", "nowhere"},
                  R.ENTERPRISE_USER: {"in_a"}}


class TestPatentAwardScope(ScopeMatrix):
    model = PatentAward
    objects = {"award": lambda w: PatentAward.objects.create(application_number="CN202210836006.7", award="cn_gold",
                                                             year=2023)}
    visible_to = {role: {"award"} for role in EVERYONE}
