"""A screening over the data hub, run as a background job from the page: flags with evidence for the planted cases,
nothing twice on a rerun, the pages, and the review (a human decision; confirming records a credit fact)."""
from __future__ import annotations

import pytest

from ipcity.abnormal import actions
from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
from ipcity.abnormal.tests.helpers import insert_filings, scenario
from ipcity.accounts.roles import Role as R
from ipcity.core.models import AuditEntry
from ipcity.jobs.models import Job
from ipcity.jobs.runner import run_job

pytestmark = pytest.mark.django_db


def _run_from_page(client, user) -> ScreeningRun:
    client.force_login(user)
    response = client.post("/abnormal/start/")
    assert response.status_code == 302
    job = Job.objects.get(kind="abnormal.screen", status=Job.Status.QUEUED)
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.status = Job.Status.RUNNING
    job.save()
    job = run_job(job)
    assert job.status == Job.Status.SUCCEEDED, job.error
    return ScreeningRun.objects.get(pk=job.params["run_id"])


@pytest.fixture
def planted(world):
    return scenario(world)


def test_screening_flags_the_planted_cases_once(world, client, planted):
    staff = world.user(R.CITY_STAFF)
    run = _run_from_page(client, staff)
    assert run.status == "finished" and run.patents > 150 and run.region_id == "371700"
    flags = {f.kind: f for f in AbnormalFlag.objects.filter(first_run=run)}
    burst = AbnormalFlag.objects.get(kind="burst", subject_name=world.orgs["enterprise_a"].name)
    assert set(burst.application_numbers) >= planted["burst"]
    assert burst.organisation == world.orgs["enterprise_a"] and burst.region_id == "371702"
    dup = flags["duplicate"]
    assert set(dup.application_numbers) == planted["family"] and dup.region_id == "371703"
    assert dup.organisation == world.orgs["enterprise_b"]
    assert set(dup.patents.values_list("application_number", flat=True)) == planted["family"]
    off = flags["off_business"]
    assert set(off.application_numbers) == planted["off"] and off.organisation is None
    assert run.new_flags == AbnormalFlag.objects.filter(first_run=run).count()
    assert AuditEntry.objects.filter(action="abnormal.record_findings", object_id=str(run.pk)).exists()

    # Running again raises nothing twice; an excluded flag stays excluded.
    reviewer = world.user(R.DISTRICT_STAFF)
    actions.review_flag(burst, acting_user=reviewer, confirm=False, reason="系企业正常研发成果集中申报")
    again = _run_from_page(client, staff)
    assert again.new_flags == 0 and again.seen_flags == run.new_flags
    burst.refresh_from_db()
    assert burst.state == "excluded" and burst.last_run == again


def test_district_run_covers_only_its_district(world, client, planted):
    run = _run_from_page(client, world.user(R.DISTRICT_STAFF))
    assert run.region_id == "371702"
    assert set(AbnormalFlag.objects.filter(first_run=run).values_list("region_id", flat=True)) == {"371702"}


def test_pages_show_the_evidence_and_the_list_has_a_query_budget(world, client, planted,
                                                                  django_assert_max_num_queries):
    run = _run_from_page(client, world.user(R.CITY_STAFF))
    client.force_login(world.user(R.CITY_LEADER))
    page = client.get("/abnormal/").content.decode()
    assert "短期集中申请" in page and f"#{run.pk}" in page
    client.get("/abnormal/flags/")
    with django_assert_max_num_queries(12) as first:
        response = client.get("/abnormal/flags/")
    assert response.status_code == 200 and "内容近似重复" in response.content.decode()
    base = AbnormalFlag.objects.filter(first_run=run).first()
    for i in range(15):  # more rows, same number of queries
        AbnormalFlag.objects.create(kind="burst", subject_role="agency", subject_name=f"代理机构{i}",
                                    region_id="371702", natural_key=f"extra{i}", first_run=run, last_run=run,
                                    evidence=base.evidence if base.kind == "burst" else {},
                                    organisation=world.orgs["agency_a"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/abnormal/flags/")
    assert "代理机构3" in client.get("/abnormal/flags/?kind=burst&state=pending&q=代理机构3").content.decode()

    dup = AbnormalFlag.objects.get(first_run=run, kind="duplicate")
    html = client.get(f"/abnormal/flags/{dup.pk}/").content.decode()
    assert "近似申请对比" in html and "<mark>" in html and "相似度" in html
    burst = AbnormalFlag.objects.get(first_run=run, kind="burst", subject_name=world.orgs["enterprise_a"].name)
    html = client.get(f"/abnormal/flags/{burst.pk}/").content.decode()
    assert "申请量与历史基线" in html and "稳健标准差" in html
    off = AbnormalFlag.objects.get(first_run=run, kind="off_business")
    html = client.get(f"/abnormal/flags/{off.pk}/").content.decode()
    assert "业务画像" in html and "B23Q" in html and "不同部" in html
    assert 'data-testid="review-form"' not in html  # the leader reads; staff review
    assert client.get(f"/abnormal/runs/{run.pk}/").status_code == 200


def test_review_is_a_reasoned_decision_by_someone_else_and_confirming_records_credit(world, client, planted):
    from ipcity.credit.models import CreditRecord

    runner = world.user(R.CITY_STAFF)
    run = _run_from_page(client, runner)
    flag = AbnormalFlag.objects.get(first_run=run, kind="duplicate")
    client.force_login(runner)
    html = client.get(f"/abnormal/flags/{flag.pk}/").content.decode()
    assert "发起该次筛查的人员不能复核" in html
    response = client.post(f"/abnormal/flags/{flag.pk}/review/", {"decision": "confirm", "reason": "确认重复申请"})
    flag.refresh_from_db()
    assert response.status_code == 302 and flag.state == "pending"

    reviewer = world.user(R.DISTRICT_STAFF)  # district A's staff do not see district B's flag: 404
    client.force_login(reviewer)
    assert client.post(f"/abnormal/flags/{flag.pk}/review/", {"decision": "confirm", "reason": "确认"}).status_code == 404
    client.force_login(world.user(R.ENTERPRISE_USER))
    assert client.get("/abnormal/flags/").status_code == 403
    assert client.get(f"/abnormal/flags/{flag.pk}/").status_code == 404

    from ipcity.accounts.actions import create_user
    other = create_user(acting_user=None, username="t_abnormal_reviewer", role=R.CITY_STAFF,
                        organisation=world.orgs["section"], password="Test-Passw0rd!x", display_name="复核人")
    client.force_login(other)
    client.post(f"/abnormal/flags/{flag.pk}/review/", {"decision": "confirm", "reason": ""})
    flag.refresh_from_db()
    assert flag.state == "pending"  # no reason, no decision
    client.post(f"/abnormal/flags/{flag.pk}/review/", {"decision": "confirm", "reason": "三件申请文本实质相同，系改写重复提交"})
    flag.refresh_from_db()
    assert flag.state == "confirmed" and flag.reviewer == other
    record = CreditRecord.objects.get(kind="abnormal_filing", source_id=flag.pk)
    assert record.subject == world.orgs["enterprise_b"]
    assert AuditEntry.objects.filter(action="abnormal.review_flag", object_id=str(flag.pk)).exists()
    html = client.get(f"/abnormal/flags/{flag.pk}/").content.decode()
    assert "三件申请文本实质相同" in html and 'data-testid="review-form"' not in html
    with pytest.raises(Exception, match="已复核"):
        actions.review_flag(flag, acting_user=other, confirm=False, reason="再次复核一下")


def test_thresholds_are_rules_and_a_bad_override_fails_the_run_with_its_reason(world, client, planted):
    from ipcity.core.models import Rule

    Rule.objects.create(key="abnormal.burst_min_count", value=17)  # above the planted burst's 16
    run = _run_from_page(client, world.user(R.CITY_STAFF))
    assert run.settings_used["burst_min_count"] == 17
    assert not AbnormalFlag.objects.filter(first_run=run, kind="burst",
                                           subject_name=world.orgs["enterprise_a"].name).exists()
    Rule.objects.create(key="abnormal.dup_bands", value=7)  # 120 hashes do not split into 7 bands
    client.force_login(world.user(R.CITY_STAFF))
    client.post("/abnormal/start/")
    job = Job.objects.get(kind="abnormal.screen", status=Job.Status.QUEUED)
    job.status = Job.Status.RUNNING
    job.save()
    job = run_job(job)
    assert job.status == Job.Status.FAILED
    failed = ScreeningRun.objects.get(pk=job.params["run_id"])
    assert failed.status == "failed" and "整除" in failed.message


def _another_city_staff(world, username):
    from ipcity.accounts.actions import create_user

    return create_user(acting_user=None, username=username, role=R.CITY_STAFF, password="Test-Passw0rd!x",
                       organisation=world.orgs["section"], display_name=username)


def test_whoever_started_a_run_that_updated_a_flag_may_not_review_it(world, client, planted):
    a, b = world.user(R.CITY_STAFF), world.user(R.DISTRICT_STAFF)
    first = _run_from_page(client, a)
    flag = AbnormalFlag.objects.get(kind="burst", subject_name=world.orgs["enterprise_a"].name)
    assert flag.first_run == first and actions.review_problem(flag, b) is None
    second = _run_from_page(client, b)  # B's run rewrites the pending flag's evidence and score
    flag.refresh_from_db()
    assert flag.last_run == second and "不能复核" in (actions.review_problem(flag, b) or "")
    assert set(flag.runs.all()) == {first, second}
    with pytest.raises(Exception, match="不能复核"):
        actions.review_flag(flag, acting_user=b, confirm=False, reason="系企业正常研发成果集中申报")
    client.force_login(b)
    assert 'data-testid="review-form"' not in client.get(f"/abnormal/flags/{flag.pk}/").content.decode()
    other = _another_city_staff(world, "t_abnormal_third")
    actions.review_flag(flag, acting_user=other, confirm=False, reason="系企业正常研发成果集中申报")
    flag.refresh_from_db()
    assert flag.state == "excluded"


def test_a_rerun_after_the_next_import_updates_pending_flags_and_follows_up_decided_ones(world, client, planted):
    """One filing more inside the burst episode, one member more in the duplicate cluster: the pending burst flag
    grows in place (no second flag), the excluded duplicate stays excluded and only the new member is raised, as a
    follow-up that links to the decision; a third run raises nothing."""
    import datetime as dt

    staff = world.user(R.CITY_STAFF)
    first = _run_from_page(client, staff)
    ea, eb = world.orgs["enterprise_a"], world.orgs["enterprise_b"]
    burst = AbnormalFlag.objects.get(kind="burst", subject_name=ea.name)
    dup = AbnormalFlag.objects.get(kind="duplicate", subject_name=eb.name)
    assert set(dup.application_numbers) == planted["family"]
    actions.review_flag(dup, acting_user=_another_city_staff(world, "t_abnormal_excluder"), confirm=False,
                        reason="系同一项目的正常改进申请")
    g = planted["generator"]
    extra_burst = g.add(dt.date(2024, 9, 6), 4, (ea.name,), ())
    extra_dup = g.add(dt.date(2023, 7, 1), 5, (eb.name,), (), texts=g.paraphrase(*planted["base"], strength=0.2))
    insert_filings([extra_burst, extra_dup], planted["regions"], {ea.name: ea, eb.name: eb})

    second = _run_from_page(client, staff)
    bursts = AbnormalFlag.objects.filter(kind="burst", subject_name=ea.name)
    assert list(bursts) == [burst]
    burst.refresh_from_db()
    assert burst.state == "pending" and burst.last_run == second
    assert extra_burst.number in burst.application_numbers and burst.patent_count == len(burst.application_numbers)
    assert extra_burst.number in set(burst.patents.values_list("application_number", flat=True))
    dup.refresh_from_db()
    assert dup.state == "excluded" and set(dup.application_numbers) == planted["family"] and dup.last_run == second
    follow_up = AbnormalFlag.objects.get(kind="duplicate", subject_name=eb.name, state="pending")
    assert follow_up.follows == dup and follow_up.application_numbers == [extra_dup.number]
    assert list(follow_up.patents.values_list("application_number", flat=True)) == [extra_dup.number]
    assert set(follow_up.evidence["cluster"]) == planted["family"] | {extra_dup.number}
    assert list(AbnormalFlag.objects.filter(first_run=second)) == [follow_up]
    assert second.new_flags == 1 and second.statistics["follow_up_flags"] == 1

    client.force_login(world.user(R.CITY_LEADER))
    html = client.get(f"/abnormal/flags/{follow_up.pk}/").content.decode()
    assert f'href="/abnormal/flags/{dup.pk}/"' in html and "排除" in html and "系同一项目的正常改进申请" in html
    assert "<mark>" in html  # the pairs with the earlier members (no longer the flag's patents) are shown
    assert f'href="/abnormal/flags/{follow_up.pk}/"' in client.get(f"/abnormal/flags/{dup.pk}/").content.decode()

    third = _run_from_page(client, staff)
    assert third.new_flags == 0 and AbnormalFlag.objects.filter(first_run=third).count() == 0
    assert AbnormalFlag.objects.filter(kind="burst", subject_name=ea.name).count() == 1
    assert first.new_flags > 0
