"""Pages of the evidence log: the log (status, checkpoints, entries), one entry with its proof and package, and
the public page of the log's key and signed checkpoints."""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipcity.core.actions import require_permission
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.evidence import checkpoints, exporting
from ipcity.evidence import log as evidence_log
from ipcity.evidence.kinds import LABELS
from ipcity.evidence.models import Checkpoint, EvidenceEntry
from ipcity.evidence.queries import can_checkpoint

PAGE_SIZE = 50


def _log_facts() -> dict:
    head = evidence_log.head()
    return {"head": head, "vkey": evidence_log.signer(head).verifier().vkey,
            "latest": checkpoints.latest()}


@login_required
def index(request):
    require_permission(request.user, "evidence.view_evidenceentry")
    qs = visible(EvidenceEntry, request.user).select_related("subject_type")
    kind = request.GET.get("kind", "")
    if kind in LABELS:
        qs = qs.filter(kind=kind)
    elif kind != "all":  # the audit anchors outnumber everything else; they are one choice away
        qs = qs.exclude(kind="audit")
    page = Paginator(qs.order_by("-index"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evidence/index.html", {
        **_log_facts(), "page": page, "kind": kind, "kinds": sorted(LABELS.items()),
        "recent_checkpoints": Checkpoint.objects.prefetch_related("timestamps")[:10],
        "can_checkpoint": can_checkpoint(request.user),
    })


def _subject(entry: EvidenceEntry, user):
    """The entry's subject if the user may see it (else None: the page names only the kind)."""
    if entry.subject_type_id is None:
        return None
    model = entry.subject_type.model_class()
    if model is None:
        return None
    return visible(model, user).filter(pk=entry.subject_id).first()


@login_required
def entry_detail(request, number: int):
    require_permission(request.user, "evidence.view_evidenceentry")
    entry = get_visible_or_404(EvidenceEntry.objects.select_related("subject_type"), request.user, index=number - 1)
    checkpoint = checkpoints.covering(entry)
    proof = evidence_log.inclusion_proof(entry, checkpoint.size) if checkpoint else None
    subject = _subject(entry, request.user)
    return render(request, "evidence/entry.html", {
        "entry": entry, "content": json.dumps(entry.content(), ensure_ascii=False, indent=2),
        "checkpoint": checkpoint, "proof": proof, "proof_hex": [p.hex() for p in proof.path] if proof else [],
        "subject": subject, "subject_url": getattr(subject, "get_absolute_url", lambda: "")() if subject else "",
        "files": entry.content().get("files", []),
    })


@login_required
@require_POST
def entry_package(request, number: int):
    require_permission(request.user, "evidence.view_evidenceentry")
    entry = get_visible_or_404(EvidenceEntry, request.user, index=number - 1)
    try:
        data = exporting.package_zip(entry, acting_user=request.user)
    except exporting.ExportError as exc:
        messages.error(request, str(exc))
        return redirect("evidence:entry", number=number)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{entry.number}.zip"'
    return response


@login_required
@require_POST
def make_checkpoint(request):
    require_permission(request.user, "evidence.add_checkpoint")
    from ipcity.evidence import anchoring

    anchoring.anchor_audit()
    made = checkpoints.make_checkpoint(acting_user=request.user, reason=Checkpoint.Reason.MANUAL)
    if made is None:
        messages.info(request, "存证日志为空，未签发检查点")
    else:
        messages.success(request, f"已签发检查点：{made.size} 条记录，根哈希 {made.root_hash[:16]}…")
    return redirect("evidence:index")


def public_log(request):
    """The log's public key and its signed checkpoints: what anyone needs to check a package against the office."""
    page = Paginator(Checkpoint.objects.prefetch_related("timestamps"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evidence/public.html", {**_log_facts(), "page": page})


def public_checkpoint(request, pk: int):
    checkpoint = Checkpoint.objects.filter(pk=pk).first()
    if checkpoint is None:
        raise Http404("未找到该检查点")
    response = HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="checkpoint-{checkpoint.size}.txt"'
    return response
