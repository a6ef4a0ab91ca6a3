"""Intake in two steps. `accept` makes a submission durable — one row with everything handed in, the evidence files
already on disk by content hash, a tracking number and a receipt digest — and is all a request has to wait for.
`register` turns accepted submissions into their rows (rights, evidence records, one matter per kind routed to the
responsible office, first statutory deadlines, the submitter's first history entry), many at once: the public API
leaves that to the background worker (`register_pending`, seconds later), every other channel does it in the same
transaction (`submit`)."""
from __future__ import annotations

import hashlib
import json

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.audit import append_prepared
from ipcity.core.audit import prepare as prepare_audit
from ipcity.core.fields import digest_for
from ipcity.core.files import write_blob
from ipcity.core.models import StoredFile
from ipcity.core.rawsql import insert_row
from ipcity.jobs.runner import background_sweep
from ipcity.orgs.models import Organisation
from ipcity.protection import evidence_seam
from ipcity.protection.actions import (
    FIRST_STEP,
    KIND_SUFFIX,
    IdempotencyConflict,
    _random,
    responsible_office,
)
from ipcity.protection.deadlines import limit_for
from ipcity.protection.duplicates import propose_for
from ipcity.protection.intake import SubmissionInput, respondent_key
from ipcity.protection.models import (
    IntakeClient,
    Matter,
    MatterEvent,
    Submission,
    SubmissionAttachment,
    SubmissionRight,
)
from ipcity.regions.models import Region
from ipcity.workdays.actions import build_deadline
from ipcity.workdays.calendar import current_calendar
from ipcity.workdays.models import Deadline

CAPTURE_METHODS = {"web": "网上提交上传", "api": "接口提交", "platform": "电商平台转送", "trade_fair": "展会投诉站转送"}


def _idempotency_scope(acting_user, client) -> str:
    if client is not None:
        return f"client:{client.pk}"
    if getattr(acting_user, "is_authenticated", False):
        return f"user:{acting_user.pk}"
    return "public"


def _replay(scope: str, key: str, digest: str) -> Submission | None:
    existing = Submission.objects.filter(idempotency_scope=scope, idempotency_key=key).first()
    if existing is not None and existing.request_digest != digest:
        raise IdempotencyConflict("该 Idempotency-Key 已用于内容不同的另一次提交；重试时请原样重发，新的提交请使用新的键",
                                  code="idempotency_conflict")
    return existing


def receipt_fields(submission: Submission) -> dict:
    """What the acceptance receipt certifies (and its digest covers), all known at acceptance: no personal data
    beyond the submitter's organisation name, which the receipt shows anyway."""
    got = submission.received
    return {
        "tracking_number": submission.tracking_number,
        "received_at": submission.received_at.isoformat(),
        "channel": submission.channel,
        "matters": [{"number": f"{submission.tracking_number}{KIND_SUFFIX[k]}", "kind": k} for k in got["kinds"]],
        "ip_type": submission.ip_type,
        "respondent": submission.respondent_name,
        "rights": [{"kind": r["kind"], "number": r["number"]} for r in got["rights"]],
        "attachments": [{"name": a["name"], "sha256": a["sha256"]} for a in got["attachments"]],
        "region": submission.region_id,
    }


def _digest(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _actor_label(acting_user, client) -> str:
    if client is not None:
        return client.name
    if getattr(acting_user, "is_authenticated", False):
        return acting_user.get_username()
    return "公众"


def _new_submission(data: SubmissionInput, *, acting_user, channel: str, client: IntakeClient | None,
                    idempotency_key: str, digest: str, region: Region, is_demo: bool, received_at,
                    on_behalf: bool) -> Submission:
    """The submission row for what was handed in, unsaved, its evidence files already on disk by content hash."""
    scope = _idempotency_scope(acting_user, client)
    now = received_at or timezone.now()
    files = [{"name": a.name[:255], "sha256": write_blob(a.content, name=a.name)[0],
              "size": len(a.content), "type": a.detected_type} for a in data.attachments]
    # Staff recording a phone call, a visit or a letter act on the submitter's behalf: the submission is not theirs.
    user = acting_user if getattr(acting_user, "is_authenticated", False) and not on_behalf else None
    submission = Submission(
        tracking_number=f"TS{timezone.localtime(now):%Y%m%d}{_random(6)}",
        channel=channel, client=client, external_reference=data.external_reference,
        idempotency_scope=scope if idempotency_key else "", idempotency_key=idempotency_key, request_digest=digest,
        submitter_type=data.submitter_type, submitter_user=user,
        submitter_org_name=data.submitter_org_name, submitter_uscc=data.submitter_uscc,
        submitter_name=data.submitter_name, submitter_name_digest=digest_for(data.submitter_name, "name"),
        submitter_phone=data.submitter_phone, submitter_phone_digest=digest_for(data.submitter_phone, "phone"),
        submitter_id_number=data.submitter_id_number,
        submitter_id_number_digest=digest_for(data.submitter_id_number, "id_number"),
        submitter_email=data.submitter_email, submitter_address=data.submitter_address,
        ip_type=data.ip_type, respondent_kind=data.respondent_kind, respondent_name=data.respondent_name,
        respondent_uscc=data.respondent_uscc, respondent_platform=data.respondent_platform,
        respondent_shop_id=data.respondent_shop_id, respondent_shop_url=data.respondent_shop_url,
        respondent_fair=data.respondent_fair, respondent_booth=data.respondent_booth,
        respondent_address=data.respondent_address,
        respondent_key=respondent_key(data.respondent_name, data.respondent_uscc, data.respondent_platform,
                                      data.respondent_shop_id),
        region=region, facts=data.facts, demands=data.demands, received_at=now, is_demo=is_demo,
        received={"kinds": sorted(set(data.kinds)),
                  "rights": [{"kind": r.kind, "number": r.number, "raw": r.raw[:100]} for r in data.rights],
                  "attachments": files},
    )
    submission.receipt_digest = _digest(receipt_fields(submission))
    return submission


def _acceptance(submission: Submission) -> dict:
    """What the audit row of an acceptance says (no personal data)."""
    return {"channel": submission.channel, "kinds": submission.received["kinds"], "client": submission.client_id,
            "attachments": [f["sha256"] for f in submission.received["attachments"]],
            "receipt_digest": submission.receipt_digest, "received_at": submission.received_at.isoformat()}


def _receipt_capture(submission: Submission, captured_by: str) -> evidence_seam.Capture:
    return evidence_seam.Capture("receipt", submission.receipt_digest, submission.tracking_number,
                                 submission.received_at, captured_by, submission.get_channel_display(),
                                 obj=submission, file_name=f"receipt-{submission.tracking_number}.json")


def _attachment_capture(a: SubmissionAttachment) -> evidence_seam.Capture:
    suffix = "".join(c for c in a.name.rsplit(".", 1)[-1].lower() if c.isascii() and c.isalnum())[:8] \
        if "." in a.name else ""
    return evidence_seam.Capture("attachment", a.sha256, a.submission.tracking_number, a.captured_at,
                                 _actor_label(None, a.submission.client), a.capture_method, obj=a.submission,
                                 file_name=f"attachment-{a.sha256[:16]}" + (f".{suffix}" if suffix else ""))


def _earlier(scope: str, key: str, digest: str) -> Submission:
    """After a refused INSERT: the submission the key was used for, or IntegrityError when the INSERT collided on
    something else (a tracking number drawn twice; the caller draws again)."""
    existing = _replay(scope, key, digest) if key else None
    if existing is None:
        raise IntegrityError("受理编号重复")
    return existing


def accept(data: SubmissionInput, *, acting_user, channel: str, client: IntakeClient | None = None,
           idempotency_key: str = "", digest: str = "", region: Region, is_demo: bool = False,
           received_at=None, on_behalf: bool = False) -> tuple[Submission, bool]:
    """Make a submission durable: (submission, created). An action — one transaction, its audit row inside —
    written out so that a key used before is found by the unique constraint, after which the earlier submission is
    returned (created False), or IdempotencyConflict when it was used for a different request."""
    submission = _new_submission(data, acting_user=acting_user, channel=channel, client=client,
                                 idempotency_key=idempotency_key, digest=digest, region=region, is_demo=is_demo,
                                 received_at=received_at, on_behalf=on_behalf)
    with transaction.atomic():
        if not insert_row(submission, ignore_conflicts=True):
            return _earlier(submission.idempotency_scope, idempotency_key, digest), False
        evidence_seam.capture_many([_receipt_capture(submission, _actor_label(acting_user, client))])
        record("protection.accept", acting_user=acting_user, obj=submission, changes=_acceptance(submission))
    return submission, True


def receive(data: SubmissionInput, *, client: IntakeClient | None, idempotency_key: str = "", digest: str = "",
            region: Region) -> tuple[Submission, bool]:
    """The public API's acceptance: (submission, created), like `accept`, in one INSERT and nothing else, so that
    platforms forwarding complaints in bursts are never held up by the rest of the platform. The acceptance's audit
    row is prepared here (who, when, from which address) and kept with the submission, which nothing changes before
    registration; `register` appends it to the audit chain, with the receipt's evidence capture, in the same
    transaction that registers the submission — seconds later, in the worker's batch."""
    visitor = AnonymousUser()
    for _attempt in range(3):
        submission = _new_submission(data, acting_user=visitor, channel=client.channel if client else "api",
                                     client=client, idempotency_key=idempotency_key, digest=digest, region=region,
                                     is_demo=False, received_at=None, on_behalf=False)
        submission.pending_audit = prepare_audit("protection.accept", acting_user=visitor,
                                                 actor_label=_actor_label(visitor, client),
                                                 at=submission.received_at,
                                                 changes=_acceptance(submission))
        # Outside a transaction (the API view opens none) this one statement commits on its own.
        if insert_row(submission, ignore_conflicts=True):
            return submission, True
        try:
            return _earlier(submission.idempotency_scope, idempotency_key, digest), False
        except IntegrityError:
            continue
    raise IntegrityError("受理编号连续重复")


accept.is_action = True
receive.is_action = True  # audited by `register`, see its docstring


def register(submissions: list[Submission], *, acting_user) -> int:
    """Create the rows of accepted submissions, in bulk (call inside an action's transaction). The offices, the
    deadline rules and the working-day calendar are read once for the whole batch; one audit row lists them all."""
    submissions = [s for s in submissions if s.registered_at is None]
    if not submissions:
        return 0
    now = timezone.now()
    calendar = current_calendar()
    offices: dict[str, Organisation] = {}
    limits: dict[tuple[str, str], object] = {}
    shas = {a["sha256"] for s in submissions for a in s.received["attachments"]}
    stored = {f.sha256: f for f in StoredFile.objects.filter(sha256__in=shas)}
    missing = {a["sha256"]: a for s in submissions for a in s.received["attachments"] if a["sha256"] not in stored}
    if missing:
        StoredFile.objects.bulk_create(
            [StoredFile(sha256=sha, size=a["size"], original_name=a["name"], content_type=a["type"])
             for sha, a in missing.items()], ignore_conflicts=True)  # a concurrent batch may store the same bytes
        stored = {f.sha256: f for f in StoredFile.objects.filter(sha256__in=shas)}
    respondents = {o.uscc: o for o in Organisation.objects.filter(
        uscc__in={s.respondent_uscc for s in submissions if s.respondent_uscc})}
    rights, attachments, matters, first_limits = [], [], [], []
    for s in submissions:
        office = offices.get(s.region_id) or offices.setdefault(s.region_id, responsible_office(s.region))
        s.respondent_org = respondents.get(s.respondent_uscc)
        rights += [SubmissionRight(submission=s, kind=r["kind"], number=r["number"], raw=r["raw"])
                   for r in s.received["rights"]]
        method = CAPTURE_METHODS.get(s.channel, "工作人员录入")
        attachments += [SubmissionAttachment(submission=s, file=stored[a["sha256"]], name=a["name"],
                                             detected_type=a["type"], sha256=a["sha256"], captured_at=s.received_at,
                                             capture_method=method) for a in s.received["attachments"]]
        for kind in s.received["kinds"]:
            key = (FIRST_STEP[kind], s.region_id)
            limit = limits.get(key) or limits.setdefault(key, limit_for(*key))
            matter = Matter(submission=s, kind=kind, number=f"{s.tracking_number}{KIND_SUFFIX[kind]}",
                            assigned_org=office, received_at=s.received_at, ip_type=s.ip_type,
                            respondent_name=s.respondent_name, is_demo=s.is_demo)
            matters.append(matter)
            first_limits.append(limit)
    SubmissionRight.objects.bulk_create(rights)
    SubmissionAttachment.objects.bulk_create(attachments)
    deadlines = []
    for matter, limit in zip(matters, first_limits):
        deadline = build_deadline(title=f"{matter.number} {limit.title}", amount=limit.amount, unit=limit.unit.value,
                                  start_at=matter.received_at, rule=limit.source, calendar=calendar)
        matter.due_at = deadline.due_at
        deadlines.append(deadline)
    Matter.objects.bulk_create(matters)
    for matter, deadline in zip(matters, deadlines):
        deadline.subject = matter  # GenericForeignKey: sets subject_type and subject_id from the saved matter
    Deadline.objects.bulk_create(deadlines)
    by_submission: dict[int, list[Matter]] = {}
    for matter in matters:
        by_submission.setdefault(matter.submission_id, []).append(matter)
    MatterEvent.objects.bulk_create([
        MatterEvent(submission=s, at=s.received_at, actor=s.submitter_user, kind="received", public=True,
                    note=f"已收到您的{'、'.join(m.get_kind_display() for m in by_submission[s.pk])}"
                         f"（{s.get_channel_display()}），受理编号 {s.tracking_number}，"
                         f"转{by_submission[s.pk][0].assigned_org.name}办理。")
        for s in submissions])
    # Acceptances through the public API enter the audit chain and the evidence log now, each with its own row.
    accepted, captures = [], []
    for s in submissions:
        if s.pending_audit:
            accepted.append({**s.pending_audit, "object_type": Submission._meta.label, "object_id": str(s.pk),
                             "object_repr": str(s)[:200]})
            captures.append(_receipt_capture(s, s.pending_audit["actor_label"]))
        s.registered_at, s.pending_audit = now, None
    append_prepared(accepted)
    duplicates = propose_for(matters)
    evidence_seam.capture_many(captures + [_attachment_capture(a) for a in attachments])
    record("protection.register", acting_user=acting_user,
           changes={"submissions": [s.tracking_number for s in submissions],
                    "matters": [[m.number, m.assigned_org_id, m.due_at.isoformat()] for m in matters],
                    "duplicates_proposed": len(duplicates)})
    # Last, just before the commit: a client retrying with its Idempotency-Key while this batch runs meets these rows
    # in its INSERT … ON CONFLICT, and PostgreSQL makes it wait for a transaction that has updated the row it
    # conflicts with (a row merely locked FOR UPDATE does not). Plain UPDATEs rather than bulk_update's CASE per
    # row: the same values for all, and one per respondent found.
    Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(registered_at=now, pending_audit=None)
    found: dict[int, list[int]] = {}
    for s in submissions:
        if s.respondent_org is not None:
            found.setdefault(s.respondent_org.pk, []).append(s.pk)
    for org_id, ids in found.items():
        Submission.objects.filter(pk__in=ids).update(respondent_org_id=org_id)
    return len(submissions)


@action
def submit(data: SubmissionInput, *, acting_user, channel: str, region: Region, **options) -> tuple[Submission, bool]:
    """Accept and register at once (web form, staff entry, import, demo): the matters exist when this returns."""
    submission, created = accept(data, acting_user=acting_user, channel=channel, region=region, **options)
    if created:
        register([submission], acting_user=acting_user)
    return submission, created


@action
def register_pending(*, acting_user=None, limit: int = 200) -> int:
    """Register the oldest accepted submissions. Safe to run from several workers at once: on PostgreSQL each takes
    rows the others have not locked (SKIP LOCKED); SQLite runs one writer at a time anyway."""
    qs = (Submission.objects.filter(registered_at__isnull=True).select_related("region", "client")
          .order_by("received_at", "pk"))
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    batch = list(qs[:limit])
    return register(batch, acting_user=acting_user)


@background_sweep
def register_in_background() -> int:
    """The worker's turn (`ipcity worker`, or the thread `ipcity serve` runs): one batch of accepted submissions.
    A plain read first, so an idle worker never opens a write transaction (SQLite takes its write lock on BEGIN)."""
    if not Submission.objects.filter(registered_at__isnull=True).exists():
        return 0
    return register_pending(acting_user=None)


def pending_count() -> int:
    return Submission.objects.filter(registered_at__isnull=True).count()

