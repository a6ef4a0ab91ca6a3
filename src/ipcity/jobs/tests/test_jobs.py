"""Background jobs: submitting (audited), claiming, running with progress, failure and rollback, the progress page
(full and HTMX fragment), the API, and the CLI's progress bar."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from ipcity.core.models import AuditEntry, Rule
from ipcity.jobs.actions import submit_job
from ipcity.jobs.models import Job
from ipcity.jobs.registry import get_kind, job_kind, kinds
from ipcity.jobs.runner import claim, run_job, run_pending


@job_kind("tests.count", "测试计数")
def count_job(job, progress, n=4):
    for i in range(1, n + 1):
        progress(i, n, f"第 {i} 步")
    return {"counted": n}


@job_kind("tests.fail", "测试失败")
def failing_job(job, progress):
    with transaction.atomic():  # step 1 commits (a resumable job keeps finished steps)
        Rule.objects.create(key="tests.job_step1", value=1)
    progress(1, 3, "写入中")
    with transaction.atomic():  # step 2 fails: its writes roll back
        Rule.objects.create(key="tests.job_rollback", value=1)
        raise ValueError("模拟的错误")


@job_kind("tests.bad_result", "结果无法保存")
def bad_result_job(job, progress):
    Rule.objects.create(key="tests.job_bad_result", value=1)
    return {"when": dt.date(2025, 1, 1)}


@pytest.fixture
def staff(world):
    return world.users["city_staff"]


def audit_for(job: Job, action: str):
    return AuditEntry.objects.filter(action=action, object_type="jobs.Job", object_id=str(job.pk))


def test_kinds_are_registered():
    assert get_kind("tests.count").title == "测试计数"
    assert "workdays.recompute" in kinds()
    with pytest.raises(LookupError):
        get_kind("tests.nope")


def test_submit_job_queues_and_audits(staff):
    job = submit_job("tests.count", acting_user=staff, params={"n": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.created_by == staff
    assert job.title == "测试计数" and job.params == {"n": 3} and job.percent == 0
    entry = audit_for(job, "jobs.submit").get()
    assert entry.actor_id == staff.pk and entry.changes == {"kind": "tests.count", "params": {"n": 3}}


def test_claim_and_run_succeeds_with_progress(staff):
    job = submit_job("tests.count", acting_user=staff, params={"n": 5})
    claimed = claim(job.pk)
    assert claimed is not None and claimed.status == Job.Status.RUNNING and claimed.started_at is not None
    seen = []
    finished = run_job(claimed, on_update=lambda j: seen.append((j.progress_done, j.progress_total, j.message)))
    assert seen == [(i, 5, f"第 {i} 步") for i in range(1, 6)]
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and finished.status == Job.Status.SUCCEEDED
    assert job.percent == 100 and job.progress_done == job.progress_total == 5
    assert job.result == {"counted": 5} and job.error == "" and job.finished_at is not None
    entry = audit_for(job, "jobs.finish").get()
    assert entry.outcome == "success" and entry.changes["status"] == "succeeded" and entry.actor_id == staff.pk


def test_failing_job_rolls_back_its_writes(staff):
    job = submit_job("tests.fail", acting_user=staff)
    job = run_job(claim(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "模拟的错误" in job.error and "ValueError" in job.error
    assert "模拟的错误" in job.message and job.message.startswith("任务失败")
    assert job.result is None and job.finished_at is not None and job.percent == 33
    assert not Rule.objects.filter(key="tests.job_rollback").exists()
    assert Rule.objects.filter(key="tests.job_step1").exists()
    assert audit_for(job, "jobs.finish").get().outcome == "failure"


def test_unknown_kind_fails_instead_of_hanging(staff):
    job = Job.objects.create(kind="tests.removed", title="已删除的任务类型", created_by=staff)
    job = run_job(claim(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "未知的任务类型" in job.error


def test_unstorable_result_fails_the_job_and_rolls_back(staff):
    job = submit_job("tests.bad_result", acting_user=staff)
    job = run_job(claim(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "TypeError" in job.error
    assert Rule.objects.filter(key="tests.job_bad_result").exists()  # committed step stays; the job says failed


def test_a_job_is_claimed_only_once(staff):
    job = submit_job("tests.count", acting_user=staff)
    first = claim(job.pk)
    assert first is not None and first.pk == job.pk
    assert claim(job.pk) is None
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_run_pending_runs_queued_jobs_in_order(staff):
    a = submit_job("tests.count", acting_user=staff, params={"n": 1})
    b = submit_job("tests.count", acting_user=staff, params={"n": 2})
    assert run_pending(limit=5) >= 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Job.Status.SUCCEEDED, Job.Status.SUCCEEDED)
    assert b.result == {"counted": 2}


# -- progress page ----------------------------------------------------------------------------------------------


def test_detail_page_full_and_htmx_fragment(client, staff):
    job = submit_job("tests.count", acting_user=staff, params={"n": 2})
    claim(job.pk)
    client.force_login(staff)

    full = client.get(f"/jobs/{job.pk}/")
    assert full.status_code == 200
    html = full.content.decode()
    assert "<html" in html and "<h1>测试计数</h1>" in html and 'id="job-progress"' in html

    running = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    fragment = running.content.decode()
    assert running.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="job-progress"')
    assert 'hx-trigger="every 1s"' in fragment and f'hx-get="/jobs/{job.pk}/"' in fragment
    assert 'data-status="running"' in fragment

    run_job(Job.objects.get(pk=job.pk))
    done = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "hx-get" not in done
    assert 'data-status="succeeded"' in done and 'aria-valuenow="100"' in done and "已完成" in done


def test_failed_job_page_shows_the_error(client, staff):
    job = submit_job("tests.fail", acting_user=staff)
    run_job(claim(job.pk))
    client.force_login(staff)
    html = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and "模拟的错误" in html and "notice error" in html


def test_other_users_job_answers_404(client, world, staff):
    job = submit_job("tests.count", acting_user=staff)
    client.force_login(world.users["enterprise_user"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).status_code == 404
    assert "测试计数" not in client.get("/jobs/").content.decode()


def test_sysadmin_sees_every_job(client, world, staff):
    job = submit_job("tests.count", acting_user=staff)
    client.force_login(world.users["sysadmin"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


def test_job_list(client, staff):
    job = submit_job("tests.count", acting_user=staff)
    client.force_login(staff)
    html = client.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" in html and "排队中" in html


def test_job_pages_need_login(client, staff):
    job = submit_job("tests.count", acting_user=staff)
    assert client.get(f"/jobs/{job.pk}/").status_code == 302


# -- API ------------------------------------------------------------------------------------------------------


def test_api_job_progress(client, staff):
    job = submit_job("tests.count", acting_user=staff, params={"n": 4})
    client.force_login(staff)
    body = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert body["status"] == "queued" and body["percent"] == 0 and body["id"] == str(job.pk)

    run_job(claim(job.pk))
    response = client.get(f"/api/v1/jobs/{job.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "succeeded" and body["percent"] == 100
    assert body["progress_done"] == body["progress_total"] == 4 and body["result"] == {"counted": 4}


def test_api_other_users_job_is_404(client, world, staff):
    job = submit_job("tests.count", acting_user=staff)
    client.force_login(world.users["district_staff"])
    response = client.get(f"/api/v1/jobs/{job.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_api_job_needs_authentication(client, staff):
    job = submit_job("tests.count", acting_user=staff)
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 401


# -- CLI --------------------------------------------------------------------------------------------------------


def test_cli_progress_bar_passes_the_result_through(capsys):
    from ipcity.cli import _with_progress

    calls = []

    def work(progress):
        for i in range(1, 4):
            progress(i, 3, f"第 {i} 步")
            calls.append(i)
        progress(3)  # total and message are optional
        return {"created": 3}

    assert _with_progress("测试进度", work) == {"created": 3}
    assert calls == [1, 2, 3]
    assert "测试进度" in capsys.readouterr().out


def test_a_job_whose_worker_died_is_marked_interrupted(staff):
    import datetime as dt

    from django.utils import timezone

    from ipcity.jobs.runner import fail_stale_jobs

    job = submit_job("tests.count", acting_user=staff)
    claim(job.pk)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=2))
    fresh = submit_job("tests.count", acting_user=staff)
    claim(fresh.pk)
    assert fail_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "中断" in job.message
    assert Job.objects.get(pk=fresh.pk).status == Job.Status.RUNNING
    assert audit_for(job, "jobs.interrupted").get().outcome == "failure"


def test_the_worker_thread_lowers_its_own_priority_only(settings):
    """The job worker yields the CPU to requests: its thread's nice value rises, the other threads' does not."""
    import os
    import threading

    from ipcity.jobs.runner import lower_priority

    settings.IPCITY_WORKER_NICE = 3
    before = os.getpriority(os.PRIO_PROCESS, 0)
    seen = {}

    def worker():
        seen["before"] = os.getpriority(os.PRIO_PROCESS, 0)
        lower_priority()
        seen["after"] = os.getpriority(os.PRIO_PROCESS, 0)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["after"] == min(seen["before"] + 3, 19)
    assert os.getpriority(os.PRIO_PROCESS, 0) == before
