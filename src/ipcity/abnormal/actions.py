"""State changes of the screening: start a run (a background job), record its flags, review a flag.

Review is a human decision with a reason, audited. Confirming a flag about a known organisation records a credit
fact (credit.record_fact, kind "abnormal_filing", the flag as its source); nothing else follows automatically."""
from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
from ipcity.core.actions import action, record, require_permission
from ipcity.core.rules import declare

REVIEWER_NOT_RUNNER = declare("abnormal.reviewer_not_runner", True,
                              "发起筛查的人员不得复核该次筛查提出的疑点")
REASON_MIN_CHARS = declare("abnormal.review_reason_min_chars", 4, "复核意见至少多少个字")

RUN_PERMISSION = "abnormal.run_screening"
REVIEW_PERMISSION = "abnormal.review_abnormalflag"


@action
def start_screening(*, acting_user, region=None) -> ScreeningRun:
    """A run over the acting user's jurisdiction, queued as a background job (job kind abnormal.screen)."""
    from ipcity.jobs.actions import submit_job

    if acting_user is not None:
        require_permission(acting_user, RUN_PERMISSION)
        own = acting_user.jurisdiction
        if own is None:
            raise ValidationError("您的账户未关联所在区划，无法发起筛查")
        if region is not None and not own.contains(region):
            raise PermissionDenied("只能在本辖区内发起筛查")
        region = region or own
    if region is None:
        raise ValidationError("请指定筛查范围（区划）")
    run = ScreeningRun.objects.create(region=region, started_by=acting_user if getattr(acting_user, "pk", None)
                                      else None)
    job = submit_job("abnormal.screen", acting_user=acting_user, params={"run_id": run.pk},
                     title=f"非正常专利申请筛查（{region.name}）")
    run.job = job
    run.save(update_fields=["job"])
    record("abnormal.start_screening", acting_user=acting_user, obj=run, changes={"region": region.code})
    return run


@action
def record_findings(run: ScreeningRun, drafts, *, settings, statistics: dict, patents: int,
                    acting_user) -> ScreeningRun:
    """Turn a run's findings into flags. A finding whose natural key (kind + subject + patents) is already flagged
    updates that flag's last run (and, while it waits for review, its evidence and score) — never a second flag; an
    excluded or confirmed flag keeps its decision."""
    keys = [d.key for d in drafts]
    existing = {f.natural_key: f for f in AbnormalFlag.objects.filter(natural_key__in=keys)}
    new, seen = [], 0
    for d in drafts:
        flag = existing.get(d.key)
        if flag is not None:
            seen += 1
            flag.last_run = run
            fields = ["last_run"]
            if flag.state == AbnormalFlag.State.PENDING:
                flag.evidence, flag.score = d.finding.evidence, d.finding.score
                fields += ["evidence", "score"]
            flag.save(update_fields=fields)
            continue
        new.append((AbnormalFlag(
            kind=d.finding.kind, subject_role=d.finding.subject_role, subject_name=d.finding.subject[:300],
            organisation_id=d.organisation_id, region_id=d.region, application_numbers=list(d.finding.numbers),
            patent_count=len(d.finding.numbers), evidence=d.finding.evidence, score=d.finding.score,
            natural_key=d.key, first_run=run, last_run=run, is_demo=run.is_demo), d.patent_ids))
    created = AbnormalFlag.objects.bulk_create([flag for flag, _ in new], batch_size=500)
    through = AbnormalFlag.patents.through
    if not all(f.pk for f in created):  # backends that do not return ids from bulk inserts
        by_key = dict(AbnormalFlag.objects.filter(natural_key__in=[f.natural_key for f in created]).values_list(
            "natural_key", "pk"))
        for flag in created:
            flag.pk = by_key[flag.natural_key]
    through.objects.bulk_create([through(abnormalflag_id=flag.pk, patent_id=pid)
                                 for flag, (_, ids) in zip(created, new) for pid in dict.fromkeys(ids)],
                                batch_size=2000)
    run.status = ScreeningRun.Status.FINISHED
    run.finished_at = timezone.now()
    run.patents, run.statistics = patents, statistics
    run.settings_used = dataclasses.asdict(settings)
    run.new_flags, run.seen_flags = len(created), seen
    run.message = f"新提出疑点 {len(created)} 个，已有疑点 {seen} 个"
    run.save()
    record("abnormal.record_findings", acting_user=acting_user, obj=run,
           changes={"patents": patents, "new_flags": len(created), "seen_flags": seen,
                    "kinds": statistics.get("findings", {})})
    return run


@action
def fail_screening(run: ScreeningRun, *, message: str, acting_user) -> ScreeningRun:
    run.status, run.finished_at, run.message = ScreeningRun.Status.FAILED, timezone.now(), f"筛查失败：{message}"[:300]
    run.save(update_fields=["status", "finished_at", "message"])
    record("abnormal.fail_screening", acting_user=acting_user, obj=run, outcome="failure",
           changes={"message": message[:200]})
    return run


def review_problem(flag: AbnormalFlag, user) -> str | None:
    """Why `user` may not review this flag (Chinese), or None."""
    if flag.state != AbnormalFlag.State.PENDING:
        return f"该疑点已复核（{flag.get_state_display()}），不能再次复核"
    if not user.is_authenticated or not user.has_perm(REVIEW_PERMISSION):
        return "您没有复核疑点的权限"
    if REVIEWER_NOT_RUNNER.get() and flag.first_run.started_by_id and flag.first_run.started_by_id == user.pk:
        return "发起该次筛查的人员不能复核其提出的疑点，请由其他人员复核"
    return None


@action
def review_flag(flag: AbnormalFlag, *, acting_user, confirm: bool, reason: str) -> AbnormalFlag:
    """确认 or 排除 a pending flag with a reason. Confirming a flag whose subject is a known organisation records
    the credit fact "abnormal_filing" with the flag as its source (idempotent on the credit side)."""
    flag = AbnormalFlag.objects.select_for_update(of=("self",)).select_related("first_run", "organisation").get(
        pk=flag.pk)
    require_permission(acting_user, REVIEW_PERMISSION)
    problem = review_problem(flag, acting_user)
    if problem:
        raise ValidationError(problem)
    reason = (reason or "").strip()
    if len(reason) < int(REASON_MIN_CHARS.get()):
        raise ValidationError(f"请填写复核意见（至少 {REASON_MIN_CHARS.get()} 个字）")
    flag.state = AbnormalFlag.State.CONFIRMED if confirm else AbnormalFlag.State.EXCLUDED
    flag.reviewer, flag.review_reason, flag.reviewed_at = acting_user, reason, timezone.now()
    flag.save(update_fields=["state", "reviewer", "review_reason", "reviewed_at"])
    credit_record = None
    if confirm and flag.organisation_id:
        from ipcity.credit.actions import record_fact  # the credit module (issue 7); imported when it is needed

        credit_record = record_fact(
            acting_user=acting_user, subject=flag.organisation, kind="abnormal_filing",
            occurred_on=_occurred_on(flag), source=flag,
            summary=f"非正常专利申请（{flag.get_kind_display()}，涉及 {flag.patent_count} 件申请），经复核确认",
            effective_on=timezone.localdate(), is_demo=flag.is_demo)
    record("abnormal.review_flag", acting_user=acting_user, obj=flag,
           changes={"state": flag.state, "credit_record": getattr(credit_record, "pk", None)})
    return flag


def _occurred_on(flag: AbnormalFlag) -> dt.date:
    today = timezone.localdate()
    dates = [d for d in flag.patents.values_list("application_date", flat=True) if d and d <= today]
    return max(dates) if dates else today
