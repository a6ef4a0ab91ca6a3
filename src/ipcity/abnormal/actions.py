"""State changes of the screening: start a run (a background job), record its flags, review a flag.

Review is a human decision with a reason, audited. Confirming a flag about a known organisation records a credit
fact (credit.record_fact, kind "abnormal_filing", the flag as its source); nothing else follows automatically."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from ipcity.abnormal.models import AbnormalFlag, ScreeningRun
from ipcity.abnormal.screening import natural_key
from ipcity.core.actions import action, record, require_permission
from ipcity.core.rules import declare

REVIEWER_NOT_RUNNER = declare("abnormal.reviewer_not_runner", True,
                              "发起筛查的人员不得复核该次筛查提出或更新（证据、分值）的疑点")
REASON_MIN_CHARS = declare("abnormal.review_reason_min_chars", 4, "复核意见至少多少个字")
MATCH_OVERLAP = declare("abnormal.rerun_match_overlap", 0.5,
                        "再次筛查时，新发现与已有同类、同一主体疑点的涉及申请重合达到多大比例（按件数较少的一方计）即视为同一疑点")

RUN_PERMISSION = "abnormal.run_screening"
REVIEW_PERMISSION = "abnormal.review_abnormalflag"


@action
def start_screening(*, acting_user, region=None, is_demo: bool = False) -> ScreeningRun:
    """A run over the acting user's jurisdiction, queued as a background job (job kind abnormal.screen); a demo
    run (is_demo) marks its flags 示例数据."""
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
                                      else None, is_demo=is_demo)
    job = submit_job("abnormal.screen", acting_user=acting_user, params={"run_id": run.pk},
                     title=f"非正常专利申请筛查（{region.name}）")
    run.job = job
    run.save(update_fields=["job"])
    record("abnormal.start_screening", acting_user=acting_user, obj=run,
           changes={"region": region.code, "is_demo": is_demo})
    return run


def _overlap(a: set, b: set) -> float:
    """The share of the smaller set that the other holds (a cluster that grew by one still overlaps fully)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@action
def record_findings(run: ScreeningRun, drafts, *, settings, statistics: dict, patents: int,
                    acting_user) -> ScreeningRun:
    """Turn a run's findings into flags, matched to the flags raised before for the same kind and subject.

    A finding relates to an earlier flag with its natural key (a burst: its episode's first day) or sharing at
    least `abnormal.rerun_match_overlap` of the smaller one's patents. Related flags record this run (`last_run`,
    `runs`); their decisions stand. The patents no decided related flag holds are the finding's fresh ones: a related
    pending flag is updated in place to them (evidence, score, patents); without one, they are raised as a new flag —
    a follow-up that refers to the decided flag (`follows`) when there is one. Nothing is raised twice, an excluded
    case does not come back, a confirmed one is not confirmed (nor credited) again."""
    threshold = float(MATCH_OVERLAP.get())
    names = sorted({d.finding.subject[:300] for d in drafts})
    earlier: dict[tuple, list[AbnormalFlag]] = defaultdict(list)
    known_keys: set[str] = set()
    for k in range(0, len(names), 500):
        for flag in AbnormalFlag.objects.filter(subject_name__in=names[k:k + 500]).order_by("pk"):
            earlier[(flag.kind, flag.subject_role, flag.subject_name)].append(flag)
            known_keys.add(flag.natural_key)
    claimed, decided_seen, linked = set(), set(), set()
    new, seen, updated, follow_ups = [], 0, 0, 0
    for d in drafts:
        f = d.finding
        ids = dict(zip(f.numbers, d.patent_ids))
        numbers = list(dict.fromkeys(f.numbers))
        mine = set(numbers)
        related = [x for x in earlier[(f.kind, f.subject_role, f.subject[:300])]
                   if x.natural_key == d.key or _overlap(mine, set(x.application_numbers)) >= threshold]
        decided = [x for x in related if x.state != AbnormalFlag.State.PENDING]
        covered = {n for x in decided for n in x.application_numbers}
        fresh = [n for n in numbers if n not in covered]
        pending = [x for x in related if x.state == AbnormalFlag.State.PENDING and x.pk not in claimed]
        decided_seen.update(x.pk for x in decided)
        linked.update(x.pk for x in related)
        if pending and fresh:
            flag = max(pending, key=lambda x: (len(mine.intersection(x.application_numbers)), -x.pk))
            claimed.add(flag.pk)
            flag.last_run, flag.evidence, flag.score = run, f.evidence, f.score
            fields = ["last_run", "evidence", "score"]
            if flag.application_numbers != fresh:
                flag.application_numbers, flag.patent_count = fresh, len(fresh)
                fields += ["application_numbers", "patent_count"]
                flag.patents.set([ids[n] for n in fresh])
            flag.save(update_fields=fields)
            seen, updated = seen + 1, updated + 1
            continue
        if not fresh:
            seen += 1  # the decided flags hold all of it
            continue
        # No related flag (a new case), decided ones (a follow-up), or a pending one this run's other finding took.
        follows = max(decided, key=lambda x: (len(mine.intersection(x.application_numbers)), -x.pk)) \
            if decided else None
        key = d.key if d.key not in known_keys else natural_key(
            f.kind, f.subject_role, f.subject, [f"follows:{follows.pk if follows else ''}:run:{run.pk}", *fresh])
        known_keys.add(key)
        follow_ups += follows is not None
        new.append((AbnormalFlag(
            kind=f.kind, subject_role=f.subject_role, subject_name=f.subject[:300],
            organisation_id=d.organisation_id, region_id=d.region, application_numbers=fresh,
            patent_count=len(fresh), evidence=f.evidence, score=f.score, natural_key=key, first_run=run,
            last_run=run, follows=follows, is_demo=run.is_demo), [ids[n] for n in fresh]))
    if decided_seen:
        AbnormalFlag.objects.filter(pk__in=decided_seen).update(last_run=run)
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
    runs = AbnormalFlag.runs.through
    runs.objects.bulk_create([runs(abnormalflag_id=pk, screeningrun_id=run.pk)
                              for pk in sorted(linked | {flag.pk for flag in created})],
                             batch_size=2000, ignore_conflicts=True)
    statistics = {**statistics, "updated_flags": updated, "follow_up_flags": follow_ups}
    run.status = ScreeningRun.Status.FINISHED
    run.finished_at = timezone.now()
    run.patents, run.statistics = patents, statistics
    run.settings_used = dataclasses.asdict(settings)
    run.new_flags, run.seen_flags = len(created), seen
    run.message = (f"新提出疑点 {len(created)} 个（其中接续已复核疑点 {follow_ups} 个），已有疑点 {seen} 个"
                   f"（更新待复核疑点 {updated} 个）")
    run.save()
    record("abnormal.record_findings", acting_user=acting_user, obj=run,
           changes={"patents": patents, "new_flags": len(created), "seen_flags": seen, "updated_flags": updated,
                    "follow_up_flags": follow_ups, "kinds": statistics.get("findings", {})})
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
    if REVIEWER_NOT_RUNNER.get() and ScreeningRun.objects.filter(
            Q(raised_flags=flag) | Q(pk__in=[flag.first_run_id, flag.last_run_id]), started_by_id=user.pk).exists():
        return "发起该次筛查的人员不能复核其提出或更新的疑点，请由其他人员复核"
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
