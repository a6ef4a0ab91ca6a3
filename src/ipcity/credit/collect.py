"""Collection from the protection module (归集): effective penalty decisions and 行政裁决 decisions become credit
records; decisions overturned since revoke theirs; repeat and wilful infringement are derived.

- A penalty decision is effective from its service (or, by rule `credit.penalty_effective_basis`, the end of its
  execution); one not yet served is not collected. A 行政裁决 finding infringement becomes final when the parties
  did not sue within `credit.adjudication_final_days` (专利法 第六十五条: 15 days) of the decision.
- 重复侵权 (domain reference §5): a finding B against the same party on the SAME right (patent or trademark number)
  whose infringement came to light (the matter's receipt) after an EARLIER finding A had become effective. Both
  must be effective; a later act that preceded A's effective date is not repeat infringement.
- 故意侵权: where the decision (or the 裁决's reasons) says so in the words of rule `credit.wilful_keywords` — not
  where a negation of rule `credit.wilful_negations` comes shortly before them in the same clause.

Idempotent: a record is made once per (kind, source), so a rerun creates nothing twice. Every run that changes
something (and every run started by hand) leaves a `CollectionRun` and an audit row with its counts and the
decisions it could not match to an organisation — nothing is collected silently."""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.credit import policy
from ipcity.credit.actions import record_fact, record_person_fact, revoke_record
from ipcity.credit.models import CollectionRun, CreditRecord
from ipcity.jobs.runner import background_sweep
from ipcity.orgs.models import Organisation

Kind = CreditRecord.Kind
FINDINGS = (Kind.PENALTY, Kind.ADJUDICATION, Kind.JUDGMENT)


def _local_date(value) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def _rights(submission) -> list[str]:
    return sorted({f"{r.kind}:{r.number}" for r in submission.rights.all()}) if submission is not None else []


def _orgs_by_uscc(codes) -> dict[str, Organisation]:
    codes = {c for c in codes if c}
    return {o.uscc: o for o in Organisation.objects.filter(uscc__in=codes).select_related("region")} if codes else {}


def _existing(kind: str, model) -> set[int]:
    ct = ContentType.objects.get_for_model(model)
    return set(CreditRecord.objects.filter(kind=kind, source_type=ct).values_list("source_id", flat=True))


def _unmatched(unmatched: list, document: str, party: str, reason: str, region: str) -> None:
    """A decision not collected, with the deciding office's region: each office reads only its jurisdiction's."""
    unmatched.append({"document": document, "party": party, "reason": reason, "region": region})


def _made(unmatched: list, document: str, party: str, where: str, func, **kwargs) -> bool:
    """Record one decision; a decision whose data does not hold together (dates) is reported (with `where`, the
    deciding office's region code), not collected, and does not stop the others."""
    try:
        func(**kwargs)
    except ValidationError as exc:
        _unmatched(unmatched, document, party, "；".join(exc.messages), where)
        return False
    return True


def _penalties(as_of: dt.date, created: Counter, unmatched: list, acting_user, is_demo: bool) -> None:
    from ipcity.protection.cases import masked_summary
    from ipcity.protection.disclosure_masking import mask_decision_text
    from ipcity.protection.models import PenaltyDecision

    basis = policy.PENALTY_EFFECTIVE.get()
    field = "executed_at" if basis == "executed" else "served_at"
    done = _existing(Kind.PENALTY, PenaltyDecision)
    qs = (PenaltyDecision.objects.filter(**{f"{field}__isnull": False, f"{field}__lte": as_of},
                                         overturned_at__isnull=True)
          .exclude(pk__in=done)
          .select_related("case__organisation", "case__matter__submission__respondent_org__region")
          .prefetch_related("case__matter__submission__rights"))
    decisions = list(qs)
    orgs = _orgs_by_uscc([d.party_uscc for d in decisions]
                         + [d.case.matter.submission.respondent_uscc for d in decisions if d.case.matter_id])
    for d in decisions:
        submission = d.case.matter.submission if d.case.matter_id else None
        occurred = _local_date(submission.received_at if submission else d.case.filed_at)
        effective = getattr(d, field)
        common = dict(kind=Kind.PENALTY, occurred_on=min(occurred, d.decided_at), source=d, effective_on=effective,
                      decided_on=d.decided_at, document_number=d.document_number, rights=_rights(submission),
                      issuer=d.case.organisation, is_demo=is_demo or d.case.is_demo,
                      summary=f"{d.document_number}：{d.violation}；{d.penalty}（{d.case.organisation.name}）")
        region = d.case.organisation.region_id
        if d.party_kind == PenaltyDecision.PartyKind.NATURAL_PERSON:
            if _made(unmatched, d.document_number, "（自然人）", region, record_person_fact, acting_user=acting_user,
                     person_name=d.party_name, person_id_number=d.party_id_number or "",
                     region=d.case.organisation.region, **common):
                created[Kind.PENALTY] += 1
            continue
        org = (orgs.get(d.party_uscc) or (submission.respondent_org if submission else None)
               or (orgs.get(submission.respondent_uscc) if submission else None))
        if org is None:
            _unmatched(unmatched, d.document_number, d.party_name, "未找到对应的组织机构（统一社会信用代码未登记）", region)
            continue
        public_text = mask_decision_text(masked_summary(d), party_is_natural_person=False)
        if _made(unmatched, d.document_number, d.party_name, region, record_fact, acting_user=acting_user, subject=org,
                 is_public=not d.warning_only, public_summary=public_text, **common):
            created[Kind.PENALTY] += 1


def _adjudications(as_of: dt.date, created: Counter, unmatched: list, acting_user, is_demo: bool) -> None:
    from ipcity.protection.models import Adjudication, Submission

    days = policy.ADJUDICATION_FINAL_DAYS.get()
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise policy.PolicyError(f"规则 credit.adjudication_final_days 应为非负整数，当前为 {days!r}")
    done = _existing(Kind.ADJUDICATION, Adjudication)
    qs = (Adjudication.objects.filter(outcome=Adjudication.Outcome.INFRINGEMENT, decided_at__isnull=False)
          .exclude(pk__in=done)
          .select_related("matter__assigned_org__region", "matter__submission__respondent_org__region")
          .prefetch_related("matter__submission__rights"))
    items = [(a, _local_date(a.decided_at) + dt.timedelta(days=days)) for a in qs]
    items = [(a, eff) for a, eff in items if eff <= as_of]  # within the time to sue: not final yet
    orgs = _orgs_by_uscc([a.matter.submission.respondent_uscc for a, _ in items])
    for a, effective in items:
        s = a.matter.submission
        # A person's record belongs to the deciding office's region, as for penalties (not the submission's).
        region = a.matter.assigned_org.region
        common = dict(kind=Kind.ADJUDICATION, occurred_on=min(_local_date(s.received_at), _local_date(a.decided_at)),
                      source=a,
                      effective_on=effective, decided_on=_local_date(a.decided_at),
                      document_number=a.document_number, rights=_rights(s), issuer=a.matter.assigned_org,
                      is_demo=is_demo or a.matter.is_demo,
                      summary=f"{a.document_number}：专利侵权纠纷行政裁决认定侵权，责令停止侵权行为（{a.matter.assigned_org.name}）")
        if s.respondent_kind == Submission.RespondentKind.PERSON:
            if _made(unmatched, a.document_number, "（自然人）", region.code, record_person_fact,
                     acting_user=acting_user, person_name=s.respondent_name, region=region, **common):
                created[Kind.ADJUDICATION] += 1
            continue
        org = s.respondent_org or orgs.get(s.respondent_uscc)
        if org is None:
            _unmatched(unmatched, a.document_number, s.respondent_name, "被请求人未对应到组织机构", region.code)
            continue
        if _made(unmatched, a.document_number, s.respondent_name, region.code, record_fact, acting_user=acting_user,
                 subject=org, is_public=True, public_summary=f"{a.document_number}：经专利侵权纠纷行政裁决认定侵权，责令停止侵权行为。",
                 **common):
            created[Kind.ADJUDICATION] += 1


def _revocations(acting_user) -> int:
    """Records whose penalty decision was overturned since stop counting (with the records derived from them)."""
    from ipcity.protection.models import PenaltyDecision

    ct = ContentType.objects.get_for_model(PenaltyDecision)
    overturned = dict(PenaltyDecision.objects.filter(overturned_at__isnull=False).values_list("pk", "overturned_at"))
    n = 0
    for rec in CreditRecord.objects.filter(source_type=ct, source_id__in=list(overturned), kind=Kind.PENALTY,
                                           status=CreditRecord.Status.ACTIVE):
        n += revoke_record(rec, acting_user=acting_user, reason="处罚决定已被变更、撤销或确认无效",
                           on=overturned[rec.source_id])
    return n


def _party(rec: CreditRecord) -> tuple:
    return ("org", rec.subject_id) if rec.subject_id else ("person", rec.person_key)


def _number(right: str) -> str:
    return right.split(":", 1)[-1]


def _repeats(as_of: dt.date, created: Counter, acting_user, is_demo: bool) -> None:
    """Findings effective by `as_of` only. A repaired prior decision still counts as the prior one (repair ends
    publication and scoring, not the fact of an effective final decision); a revoked one does not. The later finding
    must be active."""
    findings = list(CreditRecord.objects.filter(kind__in=FINDINGS, effective_on__isnull=False, effective_on__lte=as_of,
                                                status__in=(CreditRecord.Status.ACTIVE, CreditRecord.Status.REPAIRED))
                    .select_related("subject", "source_type").order_by("effective_on", "pk"))
    done = {(r.source_type_id, r.source_id) for r in CreditRecord.objects.filter(kind=Kind.REPEAT_INFRINGEMENT)}
    groups: dict[tuple, list[CreditRecord]] = defaultdict(list)
    for rec in findings:
        for right in {_number(x) for x in rec.rights}:
            groups[(_party(rec), right)].append(rec)
    earlier_of: dict[int, tuple[CreditRecord, set[str]]] = {}
    for (_party_key, right), recs in groups.items():
        for later in recs:
            if later.status != CreditRecord.Status.ACTIVE:
                continue
            prior = [a for a in recs if a.pk != later.pk and a.effective_on < later.occurred_on]
            if not prior:
                continue
            first = max(prior, key=lambda a: (a.effective_on, a.pk))
            current = earlier_of.get(later.pk)
            if current is None:
                earlier_of[later.pk] = (first, {right})
            else:
                current[1].add(right)
    record_type = ContentType.objects.get_for_model(CreditRecord)
    for later in findings:
        if later.pk not in earlier_of:  # (only active findings are keys)
            continue
        # A hand-entered judgment has no source of its own: the repeat finding hangs on the judgment's record.
        source = later if later.source_id is None else None
        key = (record_type.pk, later.pk) if source is not None else (later.source_type_id, later.source_id)
        if key in done:
            continue
        earlier, rights = earlier_of[later.pk]
        summary = (f"{later.document_number or later.get_kind_display()}：在 {earlier.document_number or '在先决定'}"
                   f"（{earlier.effective_on:%Y-%m-%d} 生效）之后再次侵犯同一权利 {'、'.join(sorted(rights))}")
        fields = dict(kind=Kind.REPEAT_INFRINGEMENT, occurred_on=later.occurred_on, source=source or later.source,
                      effective_on=later.effective_on, decided_on=later.decided_on,
                      document_number=later.document_number, rights=sorted(rights), related=earlier,
                      issuer=later.issuer, summary=summary, is_demo=is_demo or later.is_demo)
        if later.subject_id:
            record_fact(acting_user=acting_user, subject=later.subject, is_public=later.is_public,
                        public_summary=f"{later.document_number}：重复侵犯同一知识产权（在先决定 {earlier.document_number}）。"
                        if later.is_public else "", **fields)
        else:
            record_person_fact(acting_user=acting_user, person_name=later.person_name,
                               person_id_number=later.person_id_number, region=later.region, **fields)
        created[Kind.REPEAT_INFRINGEMENT] += 1


CLAUSE_ENDS = "。；;！!？?，,：:\n"


def wilful_word(text: str, words, negations, reach: int) -> str | None:
    """The first wilful-infringement word that `text` asserts: an occurrence preceded, within `reach` characters of
    the same clause, by a negation ("不能认定为故意侵权", "当事人称不明知", "并非故意侵权") does not count."""
    for word in words:
        start = text.find(word)
        while start != -1:
            before = text[max(0, start - reach):start]
            cut = max(before.rfind(c) for c in CLAUSE_ENDS)
            if not any(n in before[cut + 1:] for n in negations):
                return word
            start = text.find(word, start + 1)
    return None


def _wilful(created: Counter, acting_user, is_demo: bool) -> None:
    from ipcity.protection.models import Adjudication, PenaltyDecision

    words = policy.WILFUL_WORDS.get()
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise policy.PolicyError("规则 credit.wilful_keywords 应为非空字符串的列表")
    negations = policy.WILFUL_NEGATIONS.get()
    if not isinstance(negations, list) or not all(isinstance(w, str) and w.strip() for w in negations):
        raise policy.PolicyError("规则 credit.wilful_negations 应为非空字符串的列表")
    reach = policy.positive(policy.WILFUL_NEGATION_REACH)
    if not words:
        return
    cts = {ContentType.objects.get_for_model(m).pk: m for m in (PenaltyDecision, Adjudication)}
    done = {(r.source_type_id, r.source_id) for r in CreditRecord.objects.filter(kind=Kind.WILFUL_INFRINGEMENT,
                                                                                 source_type_id__in=list(cts))}
    findings = (CreditRecord.objects.filter(kind__in=(Kind.PENALTY, Kind.ADJUDICATION), source_type_id__in=list(cts),
                                            status=CreditRecord.Status.ACTIVE).select_related("subject"))
    candidates = [r for r in findings if (r.source_type_id, r.source_id) not in done]
    texts: dict[tuple[int, int], str] = {}
    for ct_id, model in cts.items():
        ids = [r.source_id for r in candidates if r.source_type_id == ct_id]
        fields = ("violation", "basis", "text") if model is PenaltyDecision else ("reasons",)
        for row in model.objects.filter(pk__in=ids).values("pk", *fields):
            texts[(ct_id, row["pk"])] = " ".join(str(row[f]) for f in fields)
    for rec in candidates:
        text = texts.get((rec.source_type_id, rec.source_id), "")
        word = wilful_word(text, words, negations, reach)
        if word is None:
            continue
        fields = dict(kind=Kind.WILFUL_INFRINGEMENT, occurred_on=rec.occurred_on, source=rec.source,
                      effective_on=rec.effective_on, decided_on=rec.decided_on, document_number=rec.document_number,
                      rights=rec.rights, related=rec, issuer=rec.issuer, is_demo=is_demo or rec.is_demo,
                      summary=f"{rec.document_number}：决定（裁决）认定「{word}」")
        if rec.subject_id:
            record_fact(acting_user=acting_user, subject=rec.subject, is_public=rec.is_public,
                        public_summary=f"{rec.document_number}：故意侵犯知识产权。" if rec.is_public else "", **fields)
        else:
            record_person_fact(acting_user=acting_user, person_name=rec.person_name,
                               person_id_number=rec.person_id_number, region=rec.region, **fields)
        created[Kind.WILFUL_INFRINGEMENT] += 1


@action
def collect_from_protection(*, acting_user, trigger: str = CollectionRun.Trigger.MANUAL,
                            as_of: dt.date | None = None, is_demo: bool = False) -> CollectionRun | None:
    """Collect (see the module doc). Returns the run; None for a background (or demo) run that changed nothing —
    a run started by hand is always kept, so staff see that it ran."""
    as_of = as_of or timezone.localdate()
    created: Counter = Counter()
    unmatched: list[dict] = []
    _penalties(as_of, created, unmatched, acting_user, is_demo)
    _adjudications(as_of, created, unmatched, acting_user, is_demo)
    revoked = _revocations(acting_user)
    _repeats(as_of, created, acting_user, is_demo)
    _wilful(created, acting_user, is_demo)
    if trigger != CollectionRun.Trigger.MANUAL and not created and not revoked:
        return None
    run = CollectionRun.objects.create(
        trigger=trigger, started_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        at=timezone.now(), as_of=as_of, created=dict(created), revoked=revoked, unmatched=unmatched)
    record("credit.collect", acting_user=acting_user, obj=run,
           changes={"created": dict(created), "revoked": revoked, "unmatched": len(unmatched),
                    "as_of": as_of.isoformat()})
    return run


_last_sweep = {"at": None}


@background_sweep
def collect_sweep() -> int:
    """Every `credit.collect_interval_minutes` the worker collects and ends expired listings; returns how many
    records and listings changed (0 between runs)."""
    from ipcity.credit.actions import expire_listings

    now = time.monotonic()
    interval = policy.positive(policy.COLLECT_INTERVAL) * 60
    if _last_sweep["at"] is not None and now - _last_sweep["at"] < interval:
        return 0
    _last_sweep["at"] = now
    run = collect_from_protection(acting_user=None, trigger=CollectionRun.Trigger.SWEEP)
    expired = expire_listings(acting_user=None)
    return (run.total_created + run.revoked if run is not None else 0) + expired
