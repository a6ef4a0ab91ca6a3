"""The demo step plants abnormal filings through the real import path, screens them and confirms one; a rerun
changes nothing."""
from __future__ import annotations

import pytest

from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
from ipcity.accounts.roles import Role as R
from ipcity.demo.generator import DemoContext
from ipcity.regions.models import Region

pytestmark = pytest.mark.django_db


def test_demo_step_is_idempotent_and_leaves_flags_to_review(world):
    from ipcity.abnormal.demo import abnormal
    from ipcity.credit.models import CreditRecord
    from ipcity.orgs.actions import create_organisation

    third = create_organisation(acting_user=None, name="测试丙机械有限公司", kind="enterprise",
                                region=Region.objects.get(code="371702"), address="山东省菏泽市牡丹区长江路9号")
    ctx = DemoContext(seed=2026, city=Region.objects.get(code="371700"),
                      districts=list(Region.objects.filter(parent_id="371700")), acting_user=None,
                      enterprises_per_district=1)
    ctx.orgs = {"enterprise:a:0": world.orgs["enterprise_a"], "enterprise:a:1": world.orgs["enterprise_a"],
                "enterprise:b:0": world.orgs["enterprise_b"], "enterprise:c:0": third,
                "agency:0": world.orgs["agency_a"]}
    ctx.users = {"staff": world.user(R.CITY_STAFF)}
    abnormal(ctx)
    run = ScreeningRun.objects.get(is_demo=True)
    assert run.status == "finished" and run.job.status == "succeeded"
    flags = AbnormalFlag.objects.filter(first_run=run)
    assert set(flags.values_list("kind", flat=True)) == {"burst", "duplicate", "off_business"}
    assert all(f.is_demo for f in flags)
    confirmed = flags.get(state="confirmed")
    assert confirmed.kind == "duplicate" and confirmed.reviewer == world.user(R.CITY_STAFF)
    assert CreditRecord.objects.filter(kind="abnormal_filing", source_id=confirmed.pk, is_demo=True).exists()
    assert flags.filter(state="pending").exists()
    # The family's two applicants are flagged one each; the newcomer's waits for its own review.
    family = [f for f in flags.filter(kind="duplicate") if f.evidence["cluster"] == confirmed.evidence["cluster"]]
    assert sorted(f.state for f in family) == ["confirmed", "pending"]
    assert len(confirmed.application_numbers) == 2 and len(confirmed.evidence["cluster"]) == 3
    assert confirmed.organisation == world.orgs["enterprise_b"]
    count = AbnormalFlag.objects.count()
    abnormal(ctx)
    assert ScreeningRun.objects.count() == 1 and AbnormalFlag.objects.count() == count


def test_start_screening_marks_a_demo_run_itself(world):
    from ipcity.abnormal.actions import start_screening

    run = start_screening(acting_user=None, region=Region.objects.get(code="371700"), is_demo=True)
    assert ScreeningRun.objects.get(pk=run.pk).is_demo
    assert not start_screening(acting_user=None, region=Region.objects.get(code="371700")).is_demo
