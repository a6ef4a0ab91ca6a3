"""Staff handling steps: each view parses its form, reads the object through the user's scope, calls one action and
goes back to the page it came from with a message. Plus the case page."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipcity.accounts.models import User
from ipcity.core.actions import require_permission
from ipcity.core.files import store_file
from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.orgs.models import Organisation
from ipcity.protection import adjudication as disputes
from ipcity.protection import cases, duplicates, handling
from ipcity.protection.actions import NOT_FILED_GROUNDS, deadlines_of
from ipcity.protection.forms import (
    ClockForm,
    ConfirmationForm,
    DateStepForm,
    DecisionForm,
    DisclosureForm,
    DisputeStepForm,
    LeadDecisionForm,
    LegalReviewForm,
    MediationEndForm,
    MediationStartForm,
    ReasonForm,
    RecordForm,
    ReferralForm,
    ReplyForm,
)
from ipcity.protection.models import (
    Adjudication,
    Case,
    CaseOfficer,
    CaseRecord,
    Disclosure,
    DuplicateLink,
    EnforcementCredential,
    LegalReview,
    Matter,
    Mediation,
    PenaltyDecision,
    Referral,
)


def _run(request, form, step, done: str, back: tuple):
    """Validate the form (None: a step without input), run the step with its cleaned data, report the outcome, go
    back to `back` (a URL name and its arguments)."""
    if form is None:
        form = forms.Form({})
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label if f in form.fields else ''}{m}"
                                         for f, ms in form.errors.items() for m in ms))
        return redirect(*back)
    try:
        step(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(*back)


def _matter(request, pk, perm="protection.change_matter") -> Matter:
    # Scope first: outside it the answer is 404 whatever the permissions.
    matter = get_visible_or_404(Matter.objects.select_related("submission", "assigned_org"), request.user, pk=pk)
    require_permission(request.user, perm)
    return matter


def referral_targets(matter: Matter, user):
    return (visible(Organisation, user).filter(kind__in=handling.REFERRAL_TARGETS, is_active=True)
            .exclude(pk=matter.assigned_org_id).order_by("kind", "name"))


def officer_choices(user):
    """Officers the user may put on a case: holders of a credential valid today, in the user's jurisdiction."""
    today = timezone.localdate()
    holders = visible(EnforcementCredential, user).filter(revoked=False, valid_from__lte=today,
                                                          valid_until__gte=today).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("username")


def handling_context(request, matter: Matter) -> dict:
    """The forms a matter's page offers the user, by its kind and state."""
    user = request.user
    can_change = user.has_perm("protection.change_matter") and matter.is_open
    mediation = visible(Mediation, user).filter(matter=matter).first()
    referrals = visible(Referral, user).filter(matter=matter).select_related("to_org")
    case = visible(Case, user).filter(matter=matter).first() if user.has_perm("protection.view_case") else None
    adjudication = visible(Adjudication, user).filter(matter=matter).first()
    duplicates = (visible(DuplicateLink, user).filter(Q(matter=matter) | Q(earlier=matter))
                  .select_related("matter__submission", "earlier__submission"))
    return {
        "mediation": mediation, "referrals": referrals, "case": case, "duplicates": duplicates,
        "adjudication": adjudication,
        "can_accept_dispute": can_change and matter.kind == "complaint" and matter.status == "received"
        and matter.ip_type == "patent_infringement",
        "dispute_form": DisputeStepForm(auto_id="dispute_%s") if can_change and adjudication is not None
        and adjudication.decided_at is None else None,
        "can_decide_duplicates": user.has_perm("protection.change_matter"),
        "mediation_start_form": MediationStartForm() if can_change and matter.status == "accepted" else None,
        "mediation_end_form": MediationEndForm() if can_change and mediation and mediation.result == "ongoing"
        else None,
        "confirmation_form": ConfirmationForm() if user.has_perm("protection.change_mediation") and mediation
        and mediation.result == "agreed" and mediation.confirmation not in ("confirmed", "rejected") else None,
        "referral_form": ReferralForm(organisations=referral_targets(matter, user)) if can_change else None,
        "reply_form": ReplyForm() if user.has_perm("protection.change_referral") else None,
        "lead_form": LeadDecisionForm(officers=officer_choices(user), grounds=NOT_FILED_GROUNDS.items())
        if can_change and matter.kind == "report" and matter.status in ("received", "checking") else None,
        "clock_form": ClockForm(auto_id="clock_%s") if can_change and (
            (matter.kind == "report" and matter.status in ("received", "checking"))
            or (adjudication is not None and adjudication.decided_at is None)) else None,
    }


@login_required
@require_POST
def mediation_start(request, pk: int):
    matter = _matter(request, pk)
    return _run(request, MediationStartForm(request.POST),
                lambda d: handling.start_mediation(matter, acting_user=request.user, mediator=d["mediator"]),
                "已开始调解", ("protection:detail", pk))


@login_required
@require_POST
def mediation_end(request, pk: int):
    matter = _matter(request, pk)
    mediation = get_visible_or_404(Mediation, request.user, matter=matter)
    return _run(request, MediationEndForm(request.POST),
                lambda d: handling.end_mediation(mediation, acting_user=request.user, result=d["result"],
                                                 agreement=d["agreement"]),
                "已记录调解结果", ("protection:detail", pk))


@login_required
@require_POST
def mediation_confirm(request, pk: int):
    matter = _matter(request, pk, "protection.change_mediation")
    mediation = get_visible_or_404(Mediation, request.user, matter=matter)
    return _run(request, ConfirmationForm(request.POST),
                lambda d: handling.record_confirmation(mediation, acting_user=request.user, stage=d["stage"],
                                                       on=d["on"], court=d["court"], number=d["number"]),
                "已登记司法确认进展", ("protection:detail", pk))


@login_required
@require_POST
def refer(request, pk: int):
    matter = _matter(request, pk)
    return _run(request, ReferralForm(request.POST, organisations=referral_targets(matter, request.user)),
                lambda d: handling.refer_matter(matter, acting_user=request.user, to_org=d["to_org"],
                                                reason=d["reason"], transfer=d["transfer"]),
                "已移送", ("protection:detail", pk))


@login_required
@require_POST
def referral_acknowledge(request, pk: int):
    referral = get_visible_or_404(Referral, request.user, pk=pk)
    require_permission(request.user, "protection.change_referral")
    return _run(request, None, lambda _d: handling.acknowledge_referral(referral, acting_user=request.user),
                "已接收", ("protection:detail", referral.matter_id))


@login_required
@require_POST
def referral_reply(request, pk: int):
    referral = get_visible_or_404(Referral, request.user, pk=pk)
    require_permission(request.user, "protection.change_referral")
    return _run(request, ReplyForm(request.POST),
                lambda d: handling.reply_referral(referral, acting_user=request.user, reply=d["reply"]),
                "已反馈", ("protection:detail", referral.matter_id))


@login_required
@require_POST
def lead_decision(request, pk: int):
    matter = _matter(request, pk)
    form = LeadDecisionForm(request.POST, officers=officer_choices(request.user), grounds=NOT_FILED_GROUNDS.items())

    def step(d):
        case = cases.decide_lead(matter, acting_user=request.user, file=d["decision"] == "file",
                                 officers=list(d["officers"]), cause=d["cause"], major=d["major"],
                                 ground=d["ground"], note=d["note"])
        if case is not None:
            request.session["protection_case_created"] = case.pk

    return _run(request, form, step, "已记录立案决定", ("protection:detail", pk))


@login_required
@require_POST
def matter_clock(request, pk: int):
    matter = _matter(request, pk)
    # A dispute's clock runs on its adjudication (中止 while an invalidation is pending); a report's on the matter.
    subject = Adjudication.objects.filter(matter=matter, decided_at__isnull=True).first() or matter
    return _run(request, ClockForm(request.POST), lambda d: _clock(subject, request.user, d), "已记录",
                ("protection:detail", pk))


def _clock(subject, user, d):
    if d["action"] == "stop":
        cases.stop_clock(subject, acting_user=user, reason=d["reason"])
    elif d["action"] == "restart":
        cases.restart_clock(subject, acting_user=user)
    else:
        if not d.get("days"):
            raise ValidationError("请填写延长的期限")
        cases.extend(subject, d["days"], acting_user=user, reason=d["reason"], approved_by=d["approved_by"],
                     collective_decision=d["collective_decision"])


# --- the case page -------------------------------------------------------------------------------------------------

def _case(request, pk, perm="protection.change_case") -> Case:
    case = get_visible_or_404(Case.objects.select_related("matter", "organisation"), request.user, pk=pk)
    require_permission(request.user, perm)
    return case


@login_required
def case_detail(request, pk: int):
    case = _case(request, pk, "protection.view_case")
    user = request.user
    decision = visible(PenaltyDecision, user).filter(case=case).first()
    disclosure = visible(Disclosure, user).filter(decision=decision).first() if decision else None
    review = visible(LegalReview, user).filter(case=case).order_by("-requested_at").first()
    can_change = user.has_perm("protection.change_case") and case.status != Case.Status.CLOSED
    return render(request, "protection/case.html", {
        "case": case, "officers": visible(CaseOfficer, user).filter(case=case).select_related("user", "credential"),
        "records": visible(CaseRecord, user).filter(case=case).select_related("by", "file"),
        "tampered": cases.verify_records(case), "decision": decision, "disclosure": disclosure,
        "review": review, "deadlines": deadlines_of(case, decision), "now": timezone.now(),
        "can_change": can_change,
        # Several forms on one page: each its own id prefix, so no two inputs share an id.
        "record_form": RecordForm(auto_id="record_%s") if can_change else None,
        "clock_form": ClockForm(auto_id="clock_%s") if can_change and case.status in ("investigating", "legal_review")
        else None,
        "review_form": LegalReviewForm() if review and review.reviewed_at is None
        and user.has_perm("protection.change_legalreview") else None,
        "decision_form": DecisionForm(initial={"party_name": case.party_name}) if can_change and decision is None
        else None,
        "serve_form": DateStepForm(auto_id="serve_%s") if can_change and decision else None,
        "execute_form": DateStepForm(auto_id="execute_%s") if can_change and decision else None,
        "overturn_form": DateStepForm(auto_id="overturn_%s") if can_change and decision else None,
        "disclosure_form": DisclosureForm() if decision and disclosure is None and not decision.warning_only
        and user.has_perm("protection.add_disclosure") else None,
        "can_sign_off": disclosure is not None and disclosure.status == "draft"
        and user.has_perm("protection.change_disclosure") and disclosure.entered_by_id != user.pk,
        "reason_form": ReasonForm(auto_id="withdraw_%s"),
    })


@login_required
@require_POST
def case_record(request, pk: int):
    case = _case(request, pk)
    form = RecordForm(request.POST, request.FILES)

    def step(d):
        stored = store_file(d["file"], acting_user=request.user) if d.get("file") else None
        cases.add_record(case, acting_user=request.user, kind=d["kind"], text=d["text"], file=stored)

    return _run(request, form, step, "已记录", ("protection:case", pk))


@login_required
@require_POST
def case_clock(request, pk: int):
    case = _case(request, pk)
    return _run(request, ClockForm(request.POST), lambda d: _clock(case, request.user, d), "已记录",
                ("protection:case", pk))


@login_required
@require_POST
def case_review_request(request, pk: int):
    case = _case(request, pk)
    return _run(request, None, lambda _d: cases.request_legal_review(case, acting_user=request.user),
                "已提交法制审核", ("protection:case", pk))


@login_required
@require_POST
def case_review_complete(request, pk: int):
    review = get_visible_or_404(LegalReview, request.user, pk=pk)
    require_permission(request.user, "protection.change_legalreview")
    return _run(request, LegalReviewForm(request.POST),
                lambda d: cases.complete_legal_review(review, acting_user=request.user, passed=d["passed"],
                                                      opinion=d["opinion"]),
                "已记录审核意见", ("protection:case", review.case_id))


@login_required
@require_POST
def case_decide(request, pk: int):
    case = _case(request, pk)
    return _run(request, DecisionForm(request.POST),
                lambda d: cases.decide_case(case, acting_user=request.user, **d), "已作出处理决定",
                ("protection:case", pk))


@login_required
@require_POST
def case_step(request, pk: int, step: str):
    """送达 (serve), 执行 (execute) and 结案 (close)."""
    case = _case(request, pk)
    if step == "close":
        return _run(request, None, lambda _d: cases.close_case(case, acting_user=request.user), "已结案",
                    ("protection:case", pk))
    decision = get_visible_or_404(PenaltyDecision, request.user, case=case)
    action = {"serve": cases.record_service, "execute": cases.record_execution}.get(step)
    if action is None:
        raise Http404
    return _run(request, DateStepForm(request.POST),
                lambda d: action(decision, acting_user=request.user, on=d["on"], how=d["how"]), "已记录",
                ("protection:case", pk))


@login_required
@require_POST
def disclosure_enter(request, pk: int):
    decision = get_visible_or_404(PenaltyDecision, request.user, pk=pk)
    require_permission(request.user, "protection.add_disclosure")
    return _run(request, DisclosureForm(request.POST),
                lambda d: cases.enter_disclosure(decision, acting_user=request.user, extra_names=d["extra_names"],
                                                 period=d["period"]),
                "已录入公示，待审核", ("protection:case", decision.case_id))


def _disclosure(request, pk) -> Disclosure:
    disclosure = get_visible_or_404(Disclosure.objects.select_related("decision"), request.user, pk=pk)
    require_permission(request.user, "protection.change_disclosure")
    if not visible(Case, request.user).filter(pk=disclosure.decision.case_id).exists():
        raise Http404  # a published disclosure of another office: visible to all, handled by its own office
    return disclosure


@login_required
@require_POST
def disclosure_sign_off(request, pk: int):
    disclosure = _disclosure(request, pk)
    return _run(request, None, lambda _d: cases.sign_off_disclosure(disclosure, acting_user=request.user),
                "已审核并公示", ("protection:case", disclosure.decision.case_id))


@login_required
@require_POST
def decision_overturned(request, pk: int):
    decision = get_visible_or_404(PenaltyDecision, request.user, pk=pk)
    require_permission(request.user, "protection.change_case")
    return _run(request, DateStepForm(request.POST),
                lambda d: cases.mark_overturned(decision, acting_user=request.user, on=d["on"]),
                "已登记（公示须在期限内撤下）", ("protection:case", decision.case_id))


@login_required
@require_POST
def disclosure_withdraw(request, pk: int):
    disclosure = _disclosure(request, pk)
    return _run(request, ReasonForm(request.POST),
                lambda d: cases.withdraw_disclosure(disclosure, acting_user=request.user, reason=d["reason"]),
                "已撤下公示", ("protection:case", disclosure.decision.case_id))


@login_required
@require_POST
def duplicate_decision(request, pk: int):
    link = get_visible_or_404(DuplicateLink.objects.select_related("matter"), request.user, pk=pk)
    require_permission(request.user, "protection.change_matter")
    confirm = request.POST.get("confirm") == "1"
    return _run(request, None, lambda _d: duplicates.decide_duplicate(link, acting_user=request.user, confirm=confirm),
                "已确认并案办理" if confirm else "已标记为不属重复", ("protection:detail", link.matter_id))


@login_required
@require_POST
def dispute(request, pk: int):
    """专利侵权纠纷行政裁决: accept the complaint as a dispute, then each step (see adjudication.py)."""
    matter = _matter(request, pk)
    if request.POST.get("step") == "accept":
        return _run(request, None, lambda _d: disputes.accept_as_dispute(matter, acting_user=request.user),
                    "已按行政裁决受理", ("protection:detail", pk))
    adj = get_visible_or_404(Adjudication, request.user, matter=matter)

    def step(d):
        user = request.user
        if d["step"] == "serve":
            disputes.serve_copy(adj, acting_user=user)
        elif d["step"] == "answer":
            disputes.record_answer(adj, acting_user=user, summary=d["text"])
        elif d["step"] == "investigator":
            disputes.assign_technical_investigator(adj, acting_user=user, name=d["name"], question=d["text"])
        else:
            disputes.decide_dispute(adj, acting_user=user, outcome=d["outcome"], reasons=d["text"],
                                    document_number=d["document_number"])

    return _run(request, DisputeStepForm(request.POST), step, "已记录", ("protection:detail", pk))
