"""Plan actions: import → review → publish, progress reports, indicator values."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.files import file_path, store_file
from ipcity.orgs.models import Organisation
from ipcity.plans import periods
from ipcity.plans.models import (Indicator, IndicatorValue, Milestone, Plan, PlanDocument, PlanImport, ProgressReport,
                                 Section, Task, TaskUnit)
from ipcity.plans.queries import units_of
from ipcity.plans.units import match_units


def _parse(path, name: str) -> tuple[str, dict]:
    from ipcity.plans.parser import ParseError, parse_text, read_text

    try:
        text = read_text(path, name=name)
        return text, parse_text(text)
    except ParseError as exc:
        raise ValidationError(str(exc), code="unreadable") from exc


def _all_unit_names(data: dict) -> list[str]:
    names: list[str] = []
    for task in data.get("tasks", []):
        for key in ("lead", "support", "responsible"):
            for name in task.get(key) or []:
                if name not in names:
                    names.append(name)
    return names


def _candidates(owner: Organisation) -> list[Organisation]:
    prefix = owner.region.code[:4]
    return list(Organisation.objects.filter(region__code__startswith=prefix, kind__in=Organisation.GOVERNMENT_KINDS
                                            + (Organisation.Kind.COURT,)))


@action
def import_document(uploaded, *, acting_user, owner: Organisation, name: str | None = None) -> PlanImport:
    """Store the file, parse it and open a draft for review. The same file again is a new draft that, once
    published, supersedes the plan published from it before (never a silent duplicate)."""
    stored = store_file(uploaded, acting_user=acting_user, name=name)
    text, data = _parse(file_path(stored), stored.original_name)
    return open_draft(stored, text, data, acting_user=acting_user, owner=owner)


@action
def open_draft(stored, text: str, data: dict, *, acting_user, owner: Organisation) -> PlanImport:
    """A draft from a stored file and its parsed structure (the demo generator and tests call this directly)."""
    document = PlanDocument.objects.create(file=stored, text=text,
                                           uploaded_by=acting_user if getattr(acting_user, "pk", None) else None)
    previous = (Plan.objects.filter(source_import__document__file=stored, status=Plan.Status.PUBLISHED)
                .order_by("-version").first())
    region = owner.region
    city_name = region.name if region.level == 2 else (region.parent.name if region.parent else "")
    mapping = match_units(_all_unit_names(data), _candidates(owner), city_name)
    draft = PlanImport.objects.create(document=document, owner=owner, data=data, unit_mapping=mapping,
                                      replaces=previous,
                                      created_by=acting_user if getattr(acting_user, "pk", None) else None)
    record("plans.import", acting_user=acting_user, obj=draft,
           changes={"file": stored.original_name, "sha256": stored.sha256, "tasks": len(data.get("tasks", [])),
                    "indicators": len(data.get("indicators", [])), "replaces": previous.pk if previous else None})
    return draft


def _require_draft(draft: PlanImport) -> None:
    if draft.status != PlanImport.Status.DRAFT:
        raise ValidationError("该导入已发布或已放弃，不能再修改")


@action
def update_import(draft: PlanImport, *, acting_user, data: dict | None = None,
                  unit_mapping: dict | None = None) -> PlanImport:
    _require_draft(draft)
    changes = {}
    if data is not None:
        draft.data = data
        changes["data"] = {"tasks": len(data.get("tasks", [])), "indicators": len(data.get("indicators", []))}
    if unit_mapping is not None:
        known = set(Organisation.objects.filter(pk__in=[v for v in unit_mapping.values() if v])
                    .values_list("pk", flat=True))
        bad = [k for k, v in unit_mapping.items() if v and v not in known]
        if bad:
            raise ValidationError(f"以下单位对应的组织机构不存在：{'、'.join(bad)}")
        draft.unit_mapping = unit_mapping
        changes["unit_mapping"] = {k: v for k, v in unit_mapping.items()}
    draft.save(update_fields=["data", "unit_mapping"])
    record("plans.update_import", acting_user=acting_user, obj=draft, changes=changes)
    return draft


@action
def discard_import(draft: PlanImport, *, acting_user) -> None:
    _require_draft(draft)
    draft.status = PlanImport.Status.DISCARDED
    draft.save(update_fields=["status"])
    record("plans.discard_import", acting_user=acting_user, obj=draft)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _sections(plan: Plan, nodes: list[dict], parent: Section | None, counter: list[int]) -> dict[str, Section]:
    """Create the heading tree; returns number path → Section for attaching tasks."""
    found: dict[str, Section] = {}
    for node in nodes:
        counter[0] += 1
        section = Section.objects.create(plan=plan, parent=parent, number=node.get("number") or "",
                                         title=(node.get("title") or "")[:300], level=node.get("level") or 1,
                                         order=counter[0])
        found[f"{parent.pk if parent else ''}/{section.number}"] = section
        found.update(_sections(plan, node.get("children") or [], section, counter))
    return found


def _chapter_lookup(chapters: list[Section]):
    """Task ids are number paths in Arabic ("2.1.3" = 二、（一）3.); the first part names the chapter by its
    number (一 = 1), or by position for unnumbered parts."""
    import cn2an

    by_number = {}
    for position, chapter in enumerate(chapters, start=1):
        try:
            by_number[int(cn2an.cn2an(chapter.number, "smart"))] = chapter
        except (ValueError, TypeError, KeyError):
            by_number.setdefault(position, chapter)

    def lookup(task_id: str) -> Section | None:
        head = task_id.split(".")[0].split("-")[0]
        return by_number.get(int(head)) if head.isdigit() else None

    return lookup


@action
def publish_import(draft: PlanImport, *, acting_user, cadence: str = "quarterly",
                   report_due_working_days: int = 10) -> Plan:
    _require_draft(draft)
    data = draft.data
    if not (data.get("title") or "").strip():
        raise ValidationError("请填写规划标题后再发布")
    period = data.get("period") or {}
    previous = draft.replaces
    plan = Plan.objects.create(
        title=data["title"][:300], issuer=data.get("issuer") or [], doc_number=data.get("doc_number") or "",
        issued_on=_date(data.get("date")), period_start=period.get("start"), period_end=period.get("end"),
        owner=draft.owner, region=draft.owner.region, cadence=cadence,
        report_due_working_days=report_due_working_days,
        version=(previous.version + 1) if previous else 1, previous=previous)
    _sections(plan, data.get("sections") or [], None, [0])
    chapter_of = _chapter_lookup(list(plan.sections.filter(parent=None).order_by("order")))
    mapping = draft.unit_mapping or {}
    used_codes: set[str] = set()
    for position, item in enumerate(data.get("tasks") or [], start=1):
        code = str(item.get("id") or item.get("number") or position)[:26]
        while code in used_codes:  # edits (split, merge) can repeat an id; codes stay unique within the plan
            code = f"{code[:26]}-{position}"
        used_codes.add(code)
        task = Task.objects.create(
            plan=plan, code=code, number=(item.get("number") or "")[:20],
            title=(item.get("title") or "")[:300], text=item.get("text") or "",
            source_start=(item.get("source_span") or [None, None])[0],
            source_end=(item.get("source_span") or [None, None])[1], due_date=_date(item.get("deadline")),
            section=chapter_of(str(item.get("id") or "")))
        roles = [(n, TaskUnit.Role.LEAD) for n in item.get("lead") or []]
        roles += [(n, TaskUnit.Role.SUPPORT) for n in item.get("support") or []]
        if not roles:
            roles = [(n, TaskUnit.Role.RESPONSIBLE) for n in item.get("responsible") or []]
        for raw, role in roles:
            TaskUnit.objects.create(task=task, raw_name=raw[:200], role=role, organisation_id=mapping.get(raw))
    for order, item in enumerate(data.get("indicators") or []):
        baseline, target = item.get("baseline") or {}, item.get("target") or {}
        Indicator.objects.create(
            plan=plan, name=item["name"][:200], unit=(item.get("unit") or "")[:20],
            baseline_year=baseline.get("year"), baseline_value=baseline.get("value"),
            target_year=target.get("year"), target_value=target.get("value"),
            target_kind=item.get("target_kind") or Indicator.TargetKind.LEVEL, nature=item.get("nature") or "",
            source_text=item.get("source_text") or "", order=order)
    if previous is not None:
        previous.status = Plan.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    draft.status, draft.plan = PlanImport.Status.PUBLISHED, plan
    draft.save(update_fields=["status", "plan"])
    record("plans.publish", acting_user=acting_user, obj=plan,
           changes={"import": draft.pk, "tasks": plan.tasks.count(), "indicators": plan.indicators.count(),
                    "version": plan.version, "unmatched_units": TaskUnit.objects.filter(
                        task__plan=plan, organisation__isnull=True).count()})
    return plan


def submit_report(task: Task, *, acting_user, period: str, text: str, kind: str = ProgressReport.Kind.REGULAR,
                  figures: dict | None = None, attachments=(), is_demo: bool = False) -> ProgressReport:
    """A unit reports progress on one of its tasks. A report on a task the unit does not own is refused — and
    the refusal is audited, which is why this check runs outside the action's transaction."""
    if not units_of(acting_user, task):
        record("plans.report_refused", acting_user=acting_user, obj=task, outcome="failure",
               changes={"reason": "not_responsible", "period": period})
        raise PermissionDenied("只有该任务的责任单位可以报送进展")
    return _submit_report(task, acting_user=acting_user, period=period, text=text, kind=kind, figures=figures or {},
                          attachments=attachments, is_demo=is_demo)


@action
def _submit_report(task: Task, *, acting_user, period: str, text: str, kind: str, figures: dict, attachments,
                   is_demo: bool) -> ProgressReport:
    if kind == ProgressReport.Kind.REGULAR:
        periods.validate(period)
    if not text.strip():
        raise ValidationError({"text": "请填写进展情况"})
    report = ProgressReport.objects.create(
        task=task, unit=acting_user.organisation, period=period, kind=kind, text=text, figures=figures,
        status=ProgressReport.Status.SUBMITTED, submitted_by=acting_user, submitted_at=timezone.now(),
        is_demo=is_demo)
    if attachments:
        report.attachments.set(attachments)
    if task.status == Task.Status.NOT_STARTED:
        task.status = Task.Status.IN_PROGRESS
        task.save(update_fields=["status"])
    record("plans.submit_report", acting_user=acting_user, obj=report,
           changes={"task": task.pk, "period": period, "kind": kind, "attachments": len(attachments)})
    return report


@action
def review_report(report: ProgressReport, *, acting_user, accept: bool, comment: str = "") -> ProgressReport:
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError("只能审核已报送的进展")
    if not accept and not comment.strip():
        raise ValidationError({"comment": "退回时请写明原因"})
    report.status = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.RETURNED
    report.review_comment, report.reviewed_by, report.reviewed_at = comment, acting_user, timezone.now()
    report.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    record("plans.accept_report" if accept else "plans.return_report", acting_user=acting_user, obj=report,
           changes={"comment": comment})
    return report


@action
def set_task_status(task: Task, status: str, *, acting_user) -> Task:
    old = task.status
    task.status = Task.Status(status)
    task.completed_at = timezone.now() if task.status == Task.Status.COMPLETED else None
    task.save(update_fields=["status", "completed_at"])
    record("plans.set_task_status", acting_user=acting_user, obj=task, changes={"status": [old, task.status]})
    return task


@action
def record_indicator_value(indicator: Indicator, *, acting_user, region, period: str, value: float, source: str,
                           attachment=None, is_demo: bool = False) -> IndicatorValue:
    periods.validate(period)
    if not source.strip():
        raise ValidationError({"source": "请注明数据来源"})
    existing = IndicatorValue.objects.filter(indicator=indicator, region=region, period=period).first()
    before = existing.value if existing else None
    row, _ = IndicatorValue.objects.update_or_create(
        indicator=indicator, region=region, period=period,
        defaults={"value": value, "source": source, "attachment": attachment, "is_demo": is_demo,
                  "entered_by": acting_user if getattr(acting_user, "pk", None) else None})
    record("plans.record_indicator_value", acting_user=acting_user, obj=row,
           changes={"region": region.pk, "period": period, "value": [before, value], "source": source})
    return row


@action
def add_milestone(task: Task, *, acting_user, title: str, due_date: dt.date) -> Milestone:
    if not title.strip():
        raise ValidationError({"title": "请填写节点名称"})
    milestone = Milestone.objects.create(task=task, title=title.strip()[:200], due_date=due_date)
    record("plans.add_milestone", acting_user=acting_user, obj=milestone,
           changes={"task": task.pk, "due_date": due_date.isoformat()})
    return milestone


@action
def complete_milestone(milestone: Milestone, *, acting_user, done_on: dt.date) -> Milestone:
    if milestone.done_on is not None:
        raise ValidationError("该节点已完成")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    record("plans.complete_milestone", acting_user=acting_user, obj=milestone,
           changes={"done_on": done_on.isoformat(), "late": done_on > milestone.due_date})
    return milestone
