"""Every change of credit data: recording facts (from other modules, or by hand), commitments, the 严重违法失信名单
(proposal, approval chain, removal, expiry) and credit repair. Each is an audited action in one transaction."""
from __future__ import annotations

import calendar
import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.crypto import keyed_digest
from ipcity.core.fields import digest_for, get_digest_key
from ipcity.evidence import log as evidence_log
from ipcity.credit import policy
from ipcity.credit.models import CreditRecord, ListingStep, RepairApplication, SeriousListing
from ipcity.credit.queries import covers, current_listing_q, is_office
from ipcity.orgs.models import Organisation

Kind = CreditRecord.Kind


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def _evidence(kind: str, content: dict, *, acting_user, subject):
    """Anchor a credit fact or decision in the evidence log (ids, dates and hashes only, never personal data)."""
    return evidence_log.append(kind, content, acting_user=acting_user, subject=subject)


def _check_dates(occurred_on: dt.date, effective_on: dt.date | None) -> None:
    today = timezone.localdate()
    if not isinstance(occurred_on, dt.date):
        raise ValidationError({"occurred_on": "请填写发生日期"})
    if occurred_on > today:
        raise ValidationError({"occurred_on": f"发生日期 {occurred_on} 晚于今天"})
    if effective_on is not None and effective_on < occurred_on:
        raise ValidationError({"effective_on": f"生效日期 {effective_on} 早于发生日期 {occurred_on}"})


def _locked(obj):
    """Lock the object's row until the action's transaction ends and re-read it in place, so that of two concurrent
    changes the second sees the first (the caller's object is updated too)."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).get()
    obj.refresh_from_db()
    return obj


def _source_fields(source) -> dict:
    if source is None:
        return {}
    if source.pk is None:
        raise ValueError("source must be a saved object")
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def _create(*, acting_user, kind: str, occurred_on, source, fields: dict) -> CreditRecord:
    if kind not in Kind.values:
        raise ValidationError({"kind": f"未知的信用记录类型：{kind}"})
    _check_dates(occurred_on, fields.get("effective_on"))
    src = _source_fields(source)
    if src:
        existing = CreditRecord.objects.filter(kind=kind, **src).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            rec = CreditRecord.objects.create(kind=kind, occurred_on=occurred_on, created_by=_user(acting_user),
                                              **src, **fields)
    except IntegrityError:
        existing = CreditRecord.objects.filter(kind=kind, **src).first() if src else None
        if existing is None:
            raise
        return existing
    changes = {"kind": kind, "occurred_on": occurred_on.isoformat(),
               "subject": rec.subject_id, "person": bool(rec.person_key)}
    if src:
        changes["source"] = f"{src['source_type'].app_label}.{src['source_type'].model}:{src['source_id']}"
    record("credit.record_fact", acting_user=acting_user, obj=rec, changes=changes)
    _evidence("credit.record", {
        "record": rec.pk, "record_kind": kind, "party": f"org:{rec.subject_id}" if rec.subject_id else "person",
        "occurred_on": occurred_on.isoformat(),
        "effective_on": rec.effective_on.isoformat() if rec.effective_on else None,
        "source": changes.get("source"), "document_hmac": _hmac(rec.document_number),
        "summary_hmac": _hmac(rec.summary)}, acting_user=acting_user, subject=rec)
    return rec


def _hmac(text: str) -> str | None:
    """A document number or summary is guessable text: the leaf holds its HMAC under the installation's digest key
    (whoever holds the text and the key can check it; nobody can confirm a guess from the public log alone)."""
    return keyed_digest(text, get_digest_key()) if text else None


def _user(acting_user):
    return acting_user if acting_user is not None and getattr(acting_user, "is_authenticated", False) else None


@action
def record_fact(*, acting_user, subject: Organisation, kind: str, occurred_on: dt.date, source=None,
                summary: str = "", effective_on: dt.date | None = None, decided_on: dt.date | None = None,
                document_number: str = "", rights=(), related: CreditRecord | None = None,
                issuer: Organisation | None = None, is_public: bool = False, public_summary: str = "",
                commitment_due_on: dt.date | None = None, is_demo: bool = False) -> CreditRecord:
    """A fact about an organisation. Idempotent per (kind, source): the same source again returns its record.
    `public_summary` must hold nothing personal (it is what the public credit query shows when `is_public`)."""
    if not isinstance(subject, Organisation):
        raise ValidationError("信用主体必须是组织机构")
    return _create(acting_user=acting_user, kind=kind, occurred_on=occurred_on, source=source, fields=dict(
        subject=subject, region_id=subject.region_id, summary=summary.strip(), effective_on=effective_on,
        decided_on=decided_on, document_number=document_number.strip(), rights=list(rights), related=related,
        issuer=issuer, is_public=is_public, public_summary=public_summary.strip(),
        commitment_due_on=commitment_due_on, is_demo=is_demo))


def person_key(name: str, id_number: str) -> str:
    return digest_for(id_number, "id_number") if id_number.strip() else digest_for(name, "name")


@action
def record_person_fact(*, acting_user, person_name: str, person_id_number: str = "", region, kind: str,
                       occurred_on: dt.date, source=None, summary: str = "", effective_on: dt.date | None = None,
                       decided_on: dt.date | None = None, document_number: str = "", rights=(),
                       related: CreditRecord | None = None, issuer: Organisation | None = None,
                       is_demo: bool = False) -> CreditRecord:
    """A fact about a natural person (the party of a decision). Name and ID number are stored encrypted; such a
    record is never public and its summary must not name the person (pages show the masked name)."""
    if not person_name.strip():
        raise ValidationError({"person_name": "请填写自然人姓名"})
    return _create(acting_user=acting_user, kind=kind, occurred_on=occurred_on, source=source, fields=dict(
        person_name=person_name.strip(), person_id_number=person_id_number.strip().upper(),
        person_key=person_key(person_name, person_id_number), region=region, summary=summary.strip(),
        effective_on=effective_on, decided_on=decided_on, document_number=document_number.strip(),
        rights=list(rights), related=related, issuer=issuer, is_public=False, is_demo=is_demo))


def _require_office_over(user, region_code: str) -> None:
    if not is_office(user):
        raise PermissionDenied("仅知识产权管理部门可以办理")
    if not covers(user, region_code):
        raise PermissionDenied("该主体不在您的管辖范围内")


def _require_jurisdiction(acting_user, rec: CreditRecord) -> None:
    """A person acting on a record must be an office whose jurisdiction covers the record's region; the system
    (acting_user None: collection, the sweep) may act on any."""
    if acting_user is not None:
        _require_office_over(acting_user, rec.region_id)


@action
def enter_record(*, acting_user, kind: str, occurred_on: dt.date, subject: Organisation | None = None,
                 person_name: str = "", person_id_number: str = "", effective_on: dt.date | None = None,
                 decided_on: dt.date | None = None, document_number: str = "", issuer: Organisation | None = None,
                 summary: str = "", public_summary: str = "", is_public: bool = False,
                 commitment_due_on: dt.date | None = None, rights=(), is_demo: bool = False) -> CreditRecord:
    """Staff enter a record by hand: a court judgment, a commitment, an agency violation, a bad-faith trademark
    filing, a refusal to comply… about an organisation of their jurisdiction or a natural person."""
    if kind not in CreditRecord.MANUAL_KINDS:
        raise ValidationError({"kind": "该类型的信用记录由相应模块产生，不能手工录入"})
    if not summary.strip():
        raise ValidationError({"summary": "请填写事实摘要"})
    if kind == Kind.COMMITMENT and commitment_due_on is None:
        raise ValidationError({"commitment_due_on": "信用承诺须写明履行期限"})
    if subject is not None:
        _require_office_over(acting_user, subject.region_id)
        if is_public and not public_summary.strip():
            raise ValidationError({"public_summary": "向社会公开的记录须填写公开摘要（不含个人信息）"})
        return record_fact(acting_user=acting_user, subject=subject, kind=kind, occurred_on=occurred_on,
                           summary=summary, effective_on=effective_on, decided_on=decided_on,
                           document_number=document_number, issuer=issuer or acting_user.organisation,
                           is_public=is_public, public_summary=public_summary,
                           commitment_due_on=commitment_due_on, rights=rights, is_demo=is_demo)
    if not person_name.strip():
        raise ValidationError("请选择信用主体，或填写自然人姓名")
    if kind == Kind.COMMITMENT:
        raise ValidationError({"kind": "信用承诺由企业或机构作出，请选择信用主体"})
    region = acting_user.jurisdiction
    if region is None:
        raise PermissionDenied("您的账户没有管辖区划")
    return record_person_fact(acting_user=acting_user, person_name=person_name, person_id_number=person_id_number,
                              region=region, kind=kind, occurred_on=occurred_on, summary=summary,
                              effective_on=effective_on, decided_on=decided_on, document_number=document_number,
                              issuer=issuer or acting_user.organisation, rights=rights, is_demo=is_demo)


@action
def settle_commitment(commitment: CreditRecord, *, acting_user, kept: bool, note: str,
                      on: dt.date | None = None) -> CreditRecord:
    """Whether a 信用承诺 was kept. A broken one becomes its own record (违反信用承诺), linked to the commitment."""
    _require_jurisdiction(acting_user, commitment)
    _locked(commitment)
    if commitment.kind != Kind.COMMITMENT:
        raise ValidationError("只有信用承诺需要核实履行情况")
    if commitment.commitment_kept is not None:
        raise ValidationError("该承诺的履行情况已经核实")
    if not note.strip():
        raise ValidationError({"note": "请填写核实情况"})
    on = on or timezone.localdate()
    if on < commitment.occurred_on:
        raise ValidationError({"on": "核实日期早于作出承诺的日期"})
    commitment.commitment_kept = kept
    commitment.status_changed_on = on
    commitment.status_reason = note.strip()[:300]
    commitment.save(update_fields=["commitment_kept", "status_changed_on", "status_reason"])
    record("credit.settle_commitment", acting_user=acting_user, obj=commitment, changes={"kept": kept})
    if not kept:
        record_fact(acting_user=acting_user, subject=commitment.subject, kind=Kind.COMMITMENT_BROKEN, occurred_on=on,
                    source=commitment, related=commitment, summary=f"未履行信用承诺：{note.strip()}",
                    issuer=_user(acting_user) and acting_user.organisation, is_demo=commitment.is_demo,
                    document_number=commitment.document_number)
    return commitment


def _set_status(rec: CreditRecord, status: str, reason: str, on: dt.date) -> None:
    rec.status, rec.status_changed_on, rec.status_reason = status, on, reason[:300]
    rec.save(update_fields=["status", "status_changed_on", "status_reason"])


@action
def revoke_record(rec: CreditRecord, *, acting_user, reason: str, on: dt.date | None = None) -> int:
    """The basis was changed or revoked (a decision overturned): the record and those derived from it (resting on
    it, or on the same source — the repeat or wilful finding of that decision) stop counting. Returns how many
    records changed. A record that is itself the source of others (a hand-entered judgment's repeat finding) takes
    those along too."""
    _require_jurisdiction(acting_user, rec)
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤销原因"})
    _locked(rec)
    if rec.status == CreditRecord.Status.REVOKED:
        return 0
    on = on or timezone.localdate()
    changed = 0
    linked = Q(related=rec) | Q(source_type=ContentType.objects.get_for_model(CreditRecord), source_id=rec.pk)
    if rec.source_id is not None:
        linked |= Q(source_type_id=rec.source_type_id, source_id=rec.source_id)
    derived = CreditRecord.objects.filter(linked, status=CreditRecord.Status.ACTIVE).exclude(pk=rec.pk)
    for item in [rec, *derived]:
        _set_status(item, CreditRecord.Status.REVOKED, reason.strip(), on)
        record("credit.revoke_record", acting_user=acting_user, obj=item, changes={"reason": reason.strip()[:100]})
        changed += 1
    return changed


# --- 严重违法失信名单 -------------------------------------------------------------------------------------------------


def open_listing(subject: Organisation) -> SeriousListing | None:
    """The subject's listing under way or in force, if any."""
    return (SeriousListing.objects.filter(subject=subject)
            .filter(current_listing_q() | Q(status=SeriousListing.Status.PROPOSED)).first())


@action
def propose_listing(subject: Organisation, *, acting_user, proposal: str, is_demo: bool = False) -> SeriousListing:
    """承办人 proposes listing an organisation that meets a listing criterion; the chain's first step is the
    proposal itself, the others follow in order."""
    from ipcity.credit.listing import criteria_met

    chain = policy.approval_chain()
    if acting_user.role not in chain[0].roles:
        raise PermissionDenied(f"「{chain[0].label}」环节应由{_roles_label(chain[0].roles)}办理")
    _require_office_over(acting_user, subject.region_id)
    if not proposal.strip():
        raise ValidationError({"proposal": "请填写提请列入的意见"})
    # The subject's row is the lock: two proposals at once cannot both find no open listing.
    _locked(subject)
    if open_listing(subject) is not None:
        raise ValidationError("该主体已在名单中或正在审批")
    met = criteria_met([subject.pk]).get(subject.pk, [])
    if not met:
        raise ValidationError("该主体的信用记录不满足任何一条列入标准")
    now = timezone.now()
    listing = SeriousListing.objects.create(
        subject=subject, region_id=subject.region_id, proposed_by=acting_user, proposed_at=now,
        proposal=proposal.strip(), is_demo=is_demo,
        reasons=[{"label": m.criterion.label, "kinds": list(m.criterion.kinds), "min_count": m.criterion.min_count,
                  "window_days": m.criterion.window_days, "records": [r.pk for r in m.records]} for m in met])
    listing.records.set({r.pk for m in met for r in m.records})
    ListingStep.objects.bulk_create([
        ListingStep(listing=listing, order=n, label=step.label, roles=list(step.roles),
                    **({"decided_by": acting_user, "decided_at": now, "approved": True, "opinion": proposal.strip()}
                       if n == 0 else {}))
        for n, step in enumerate(chain)])
    record("credit.propose_listing", acting_user=acting_user, obj=listing,
           changes={"subject": subject.pk, "criteria": [m.criterion.label for m in met], "steps": len(chain)})
    return listing


def _roles_label(roles) -> str:
    from ipcity.accounts.roles import role_label

    return "、".join(role_label(r) for r in roles)


def next_step(listing: SeriousListing) -> ListingStep | None:
    """The first step not yet decided (reads `listing.steps.all()`, so a prefetch serves a whole list)."""
    return next((s for s in sorted(listing.steps.all(), key=lambda s: s.order) if s.approved is None), None)


def may_decide(user, listing: SeriousListing, step: ListingStep | None = None) -> str | None:
    """Why `user` may not act on the listing's next step (None: they may)."""
    step = step or next_step(listing)
    if listing.status != SeriousListing.Status.PROPOSED or step is None:
        return "该名单事项不在审批中"
    if not user.is_authenticated or user.role not in step.roles:
        return f"「{step.label}」环节应由{_roles_label(step.roles)}办理"
    if not covers(user, listing.region_id):
        return "该主体不在您的管辖范围内"
    if any(s.decided_by_id == user.pk for s in listing.steps.all()):
        return "同一人不能办理同一事项的两个审批环节"
    return None


BASIS_GONE = "列入依据已被撤销或修复，不能继续审批"


@action
def decide_step(listing: SeriousListing, *, acting_user, approve: bool, opinion: str) -> SeriousListing:
    """The next step of the chain approves or rejects. A rejection ends the proposal; the last approval lists the
    subject from today for the listing period. An approval is refused once the subject no longer meets any listing
    criterion (its records revoked or repaired meanwhile): the step can then only reject."""
    from ipcity.credit.listing import criteria_met

    listing = SeriousListing.objects.select_for_update().get(pk=listing.pk)
    step = next_step(listing)
    problem = may_decide(acting_user, listing, step)
    if problem is not None:
        raise PermissionDenied(problem)
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写审批意见"})
    if approve and not criteria_met([listing.subject_id]).get(listing.subject_id):
        raise ValidationError(BASIS_GONE)
    now = timezone.now()
    step.decided_by, step.decided_at, step.approved, step.opinion = acting_user, now, approve, opinion.strip()
    step.save(update_fields=["decided_by", "decided_at", "approved", "opinion"])
    listing = SeriousListing.objects.get(pk=listing.pk)  # fresh steps
    record("credit.decide_listing_step", acting_user=acting_user, obj=listing,
           changes={"step": step.order, "label": step.label, "approved": approve})
    if not approve:
        listing.status = SeriousListing.Status.REJECTED
        listing.save(update_fields=["status"])
    elif next_step(listing) is None:
        today = timezone.localdate()
        listing.status = SeriousListing.Status.LISTED
        listing.listed_from, listing.listed_until = today, add_years(today, policy.positive(policy.LISTING_YEARS))
        listing.save(update_fields=["status", "listed_from", "listed_until"])
        record("credit.listed", acting_user=acting_user, obj=listing,
               changes={"from": today.isoformat(), "until": listing.listed_until.isoformat()})
        _evidence("credit.listing", {"listing": listing.pk, "subject": listing.subject_id, "event": "listed",
                                     "from": today.isoformat(), "until": listing.listed_until.isoformat(),
                                     "records": sorted(listing.records.values_list("pk", flat=True))},
                  acting_user=acting_user, subject=listing)
    return listing


def early_removal_from(listing: SeriousListing) -> dt.date | None:
    if listing.listed_from is None:
        return None
    return listing.listed_from + dt.timedelta(days=policy.positive(policy.EARLY_REMOVAL_DAYS))


def _end_listing(listing: SeriousListing, *, acting_user, status: str, reason: str, on: dt.date) -> None:
    listing.status, listing.ended_on, listing.end_reason = status, on, reason[:300]
    listing.save(update_fields=["status", "ended_on", "end_reason"])
    record("credit.end_listing", acting_user=acting_user, obj=listing,
           changes={"status": status, "on": on.isoformat()})
    _evidence("credit.removal", {"listing": listing.pk, "subject": listing.subject_id, "event": status,
                                 "on": on.isoformat()}, acting_user=acting_user, subject=listing)


def basis_revoked(listing: SeriousListing) -> bool:
    """Whether no reason of the listing is still backed by an ACTIVE record (every record it rested on revoked, or
    repaired)."""
    ids = {pk for reason in listing.reasons if isinstance(reason, dict) for pk in reason.get("records") or ()}
    backed = set(CreditRecord.objects.filter(pk__in=ids, status=CreditRecord.Status.ACTIVE)
                 .values_list("pk", flat=True))
    return not any(backed.intersection(reason.get("records") or ()) for reason in listing.reasons
                   if isinstance(reason, dict))


@action
def remove_listing(listing: SeriousListing, *, acting_user, reason: str) -> SeriousListing:
    """Early removal by the office: after the waiting period (a repair application usually leads here), or at any
    time when the basis of the listing is gone (`basis_revoked`, computed from its records, never taken on trust)."""
    _require_office_over(acting_user, listing.region_id)
    _locked(listing)
    today = timezone.localdate()
    if not SeriousListing.objects.filter(pk=listing.pk).filter(current_listing_q(today)).exists():
        raise ValidationError("该主体当前不在名单中")
    if not reason.strip():
        raise ValidationError({"reason": "请填写移出原因"})
    opens = early_removal_from(listing)
    if today < opens and not basis_revoked(listing):
        raise ValidationError(f"列入未满规定期限，{opens:%Y-%m-%d} 起方可提前移出")
    _end_listing(listing, acting_user=acting_user, status=SeriousListing.Status.REMOVED, reason=reason.strip(),
                 on=today)
    return listing


@action
def expire_listings(*, acting_user=None, today: dt.date | None = None) -> int:
    """Listings whose period has ended leave the list (期满移出), each with its audit row."""
    today = today or timezone.localdate()
    done = 0
    for listing in SeriousListing.objects.filter(status=SeriousListing.Status.LISTED, listed_until__lte=today):
        _end_listing(listing, acting_user=acting_user, status=SeriousListing.Status.EXPIRED, reason="列入期满",
                     on=listing.listed_until)
        done += 1
    return done


# --- 信用修复 ---------------------------------------------------------------------------------------------------------


def repair_opens_on(rec: CreditRecord) -> dt.date:
    return add_months(rec.dated_on, policy.positive(policy.REPAIR_WAITING_MONTHS))


def repair_problem(rec: CreditRecord, today: dt.date | None = None) -> str | None:
    """Why the record cannot (yet) be repaired, or None."""
    today = today or timezone.localdate()
    if rec.status != CreditRecord.Status.ACTIVE:
        return "该记录不是有效状态"
    if rec.kind not in policy.REPAIR_KINDS.get():
        return f"「{rec.get_kind_display()}」类记录不适用信用修复"
    opens = repair_opens_on(rec)
    if today < opens:
        return f"自生效之日起满 {policy.REPAIR_WAITING_MONTHS.get()} 个月后方可申请，即 {opens:%Y-%m-%d} 起"
    return None


@action
def apply_repair(*, acting_user, reason: str, pledge: str, record_: CreditRecord | None = None,
                 listing: SeriousListing | None = None, is_demo: bool = False) -> RepairApplication:
    """An enterprise's (agency's) user applies for repair of one of its records, or for early removal from the
    list, after the waiting period."""
    org_id = acting_user.organisation_id
    target = record_ or listing
    if target is None or (record_ is not None and listing is not None):
        raise ValidationError("请选择要修复的信用记录或名单")
    if target.subject_id != org_id or org_id is None:
        raise PermissionDenied("只能为本单位申请信用修复")
    # The target's row is the lock: two applications at once cannot both find none pending.
    _locked(target)
    if not reason.strip() or not pledge.strip():
        raise ValidationError("请填写申请理由和信用承诺")
    today = timezone.localdate()
    if record_ is not None:
        problem = repair_problem(record_, today)
        if problem:
            raise ValidationError(problem)
        kind, pending = RepairApplication.Kind.RECORD, RepairApplication.objects.filter(record=record_)
    else:
        if not SeriousListing.objects.filter(pk=listing.pk).filter(current_listing_q(today)).exists():
            raise ValidationError("该主体当前不在名单中")
        opens = early_removal_from(listing)
        if today < opens:
            raise ValidationError(f"列入满 {policy.EARLY_REMOVAL_DAYS.get()} 日后方可申请提前移出，即 {opens:%Y-%m-%d} 起")
        kind, pending = RepairApplication.Kind.LISTING, RepairApplication.objects.filter(listing=listing)
    if pending.filter(status=RepairApplication.Status.PENDING).exists():
        raise ValidationError("已有待审核的修复申请")
    app = RepairApplication.objects.create(
        kind=kind, subject_id=org_id, region_id=target.region_id, record=record_, listing=listing,
        applicant=acting_user, submitted_at=timezone.now(), reason=reason.strip(), pledge=pledge.strip(),
        is_demo=is_demo)
    record("credit.apply_repair", acting_user=acting_user, obj=app, changes={"kind": kind, "target": target.pk})
    return app


@action
def decide_repair(app: RepairApplication, *, acting_user, approve: bool, opinion: str) -> RepairApplication:
    """Staff decide. Approval repairs the record (it stops being public and counting) or removes the listing."""
    _require_office_over(acting_user, app.region_id)
    _locked(app)  # of two deciders, the second sees it decided
    if app.status != RepairApplication.Status.PENDING:
        raise ValidationError("该申请已经审核")
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写审核意见"})
    today = timezone.localdate()
    if approve:
        if app.record_id:
            problem = repair_problem(app.record, today)
            if problem:
                raise ValidationError(problem)
            _set_status(app.record, CreditRecord.Status.REPAIRED, f"信用修复：{opinion.strip()}", today)
            record("credit.repaired", acting_user=acting_user, obj=app.record, changes={"application": app.pk})
        else:
            listing = _locked(app.listing)
            if today < early_removal_from(listing) or not SeriousListing.objects.filter(
                    pk=listing.pk).filter(current_listing_q(today)).exists():
                raise ValidationError("该名单现在不能提前移出")
            _end_listing(listing, acting_user=acting_user, status=SeriousListing.Status.REMOVED,
                         reason=f"信用修复，提前移出：{opinion.strip()}", on=today)
    app.status = RepairApplication.Status.APPROVED if approve else RepairApplication.Status.REJECTED
    app.decided_by, app.decided_at, app.opinion = acting_user, timezone.now(), opinion.strip()
    app.save(update_fields=["status", "decided_by", "decided_at", "opinion"])
    record("credit.decide_repair", acting_user=acting_user, obj=app, changes={"approved": approve})
    return app
