"""Duplicate detection: each newly registered matter is compared with the matters of the same kind received in the
window before it that share its respondent (normalised key), or its submitter (keyed hash of the phone or ID number,
never the number itself); a pair is proposed when they share a right, the submitter, or much of their text. Staff
confirm or reject the proposal: nothing is merged, both matters keep their submitters, and a confirmation tells
both submitters that their matters are handled together."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.rules import declare
from ipcity.protection.actions import event
from ipcity.protection.models import DuplicateLink, Matter, Submission

WINDOW_DAYS = declare("protection.duplicate_window_days", 90, "查找疑似重复投诉举报的时间范围（天）")
TEXT_SIMILARITY = declare("protection.duplicate_text_similarity", 0.6,
                          "事实与理由文字相似度（字符二元组 Jaccard）达到多少视为疑似重复")


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in zip(chars, chars[1:])}


def text_similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def _rights(submission: Submission) -> set[str]:
    return {r["number"] for r in submission.received.get("rights", [])}


def _same_submitter(a: Submission, b: Submission) -> bool:
    return any(getattr(a, f) and getattr(a, f) == getattr(b, f)
               for f in ("submitter_phone_digest", "submitter_id_number_digest"))


def propose_for(matters: list[Matter]) -> list[DuplicateLink]:
    """Propose links for newly registered matters (inside the registering transaction): one query for the
    candidates of the whole batch."""
    if not matters:
        return []
    threshold = float(TEXT_SIMILARITY.get())
    earliest = min(m.received_at for m in matters) - dt.timedelta(days=int(WINDOW_DAYS.get()))
    new_ids = [m.pk for m in matters]
    keys = {m.submission.respondent_key for m in matters}
    phones = {m.submission.submitter_phone_digest for m in matters} - {""}
    ids = {m.submission.submitter_id_number_digest for m in matters} - {""}
    candidates = list(Matter.objects.filter(received_at__gte=earliest)
                      .filter(Q(submission__respondent_key__in=keys) | Q(submission__submitter_phone_digest__in=phones)
                              | Q(submission__submitter_id_number_digest__in=ids))
                      .exclude(pk__in=new_ids).select_related("submission"))
    links = []
    for matter in matters:
        s = matter.submission
        for other in candidates + [m for m in matters if m.pk < matter.pk]:
            o = other.submission
            if other.kind != matter.kind or o.pk == s.pk or other.received_at > matter.received_at:
                continue
            reasons, score = [], 0.0
            same_respondent = o.respondent_key == s.respondent_key
            shared = sorted(_rights(s) & _rights(o))
            if same_respondent and shared:
                reasons.append(f"被投诉（举报）对象相同，涉及同一权利 {'、'.join(shared)}")
                score = max(score, 0.9)
            if _same_submitter(s, o) and same_respondent:
                reasons.append("同一提交人（联系电话或证件号码一致）针对同一对象")
                score = max(score, 0.8)
            similarity = text_similarity(s.facts, o.facts)
            if same_respondent and similarity >= threshold:
                reasons.append(f"事实与理由文字相似（{similarity:.0%}）")
                score = max(score, similarity)
            if reasons:
                links.append(DuplicateLink(matter=matter, earlier=other, score=round(score, 3), reasons=reasons))
    return DuplicateLink.objects.bulk_create(links, ignore_conflicts=True)


@action
def decide_duplicate(link: DuplicateLink, *, acting_user, confirm: bool) -> DuplicateLink:
    if link.status != DuplicateLink.Status.PROPOSED:
        raise ValidationError("该疑似重复已经处理")
    now = timezone.now()
    link.status = DuplicateLink.Status.CONFIRMED if confirm else DuplicateLink.Status.REJECTED
    link.decided_by, link.decided_at = acting_user, now
    link.save()
    if confirm:
        for matter, other in ((link.matter, link.earlier), (link.earlier, link.matter)):
            event(matter, "duplicate_linked",
                  f"经核查，与受理编号 {other.submission.tracking_number} 的{other.get_kind_display()}涉及同一事项，"
                  f"并案办理；您的{matter.get_kind_display()}继续有效，办理结果将一并告知。",
                  acting_user=acting_user, public=True, at=now)
    record("protection.decide_duplicate", acting_user=acting_user, obj=link,
           changes={"confirm": confirm, "matter": link.matter_id, "earlier": link.earlier_id})
    return link
