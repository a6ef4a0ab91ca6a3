"""Duplicate detection: each newly registered matter is compared with the matters of the same kind received in the
window before it against the same respondent (normalised key); a pair is proposed when they share a right, the
submitter (keyed hash of the phone or ID number, never the number itself) or much of their text — the best few per
matter (rules protection.duplicate_*). Staff
confirm or reject the proposal: nothing is merged, both matters keep their submitters, and a confirmation tells
both submitters that their matters are handled together."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.core.rules import declare
from ipcity.protection.actions import event
from ipcity.protection.models import DuplicateLink, Matter, Submission

WINDOW_DAYS = declare("protection.duplicate_window_days", 90, "查找疑似重复投诉举报的时间范围（天）")
TEXT_SIMILARITY = declare("protection.duplicate_text_similarity", 0.6,
                          "事实与理由文字相似度（字符二元组 Jaccard）达到多少视为疑似重复")
MAX_LINKS = declare("protection.duplicate_max_links", 3,
                    "每件最多提示几件疑似重复（取时间最近的；每件都提示它之前的，较早的件可逐级查到）；同一对象被大量投诉时避免提示泛滥")
MAX_CANDIDATES = declare("protection.duplicate_max_candidates", 200,
                         "查重时每批最多比对多少件此前的件（按收到时间取最近的）")


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in zip(chars, chars[1:])}


def text_similarity(a: str, b: str) -> float:
    return _jaccard(_bigrams(a), _bigrams(b))


def _jaccard(x: set[str], y: set[str]) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def _rights(submission: Submission) -> set[str]:
    return {r["number"] for r in submission.received.get("rights", [])}


def _features(s: Submission) -> tuple:
    return (frozenset(_rights(s)), {s.submitter_phone_digest, s.submitter_id_number_digest} - {""}, _bigrams(s.facts))


def _compare(mine: tuple, theirs: tuple, threshold: float) -> tuple[float, frozenset, bool, float]:
    """How strongly two submissions against the same respondent look like one matter (0 = not at all): cheap, as
    it runs for every pair; the reasons are written out only for the pairs proposed."""
    shared = mine[0] & theirs[0]
    same_submitter = bool(mine[1] & theirs[1])
    similarity = _jaccard(mine[2], theirs[2])
    score = max(0.9 if shared else 0.0, 0.8 if same_submitter else 0.0, similarity if similarity >= threshold else 0.0)
    return score, shared, same_submitter, similarity


def _reasons(shared: frozenset, same_submitter: bool, similarity: float, threshold: float) -> list[str]:
    reasons = []
    if shared:
        reasons.append(f"被投诉（举报）对象相同，涉及同一权利 {'、'.join(sorted(shared))}")
    if same_submitter:
        reasons.append("同一提交人（联系电话或证件号码一致）针对同一对象")
    if similarity >= threshold:
        reasons.append(f"事实与理由文字相似（{similarity:.0%}）")
    return reasons


def propose_for(matters: list[Matter]) -> list[DuplicateLink]:
    """Propose links for newly registered matters (inside the registering transaction). Every reason needs the
    same respondent, so one query fetches the batch's candidates by respondent key (the most recent ones, bounded);
    each matter is compared newest first and keeps the most recent few look-alikes — a shop that draws hundreds of
    identical complaints must not produce tens of thousands of proposals nobody can review (each proposal links to
    the one before it, so the older ones stay reachable)."""
    if not matters:
        return []
    threshold = float(TEXT_SIMILARITY.get())
    most = int(MAX_LINKS.get())
    earliest = min(m.received_at for m in matters) - dt.timedelta(days=int(WINDOW_DAYS.get()))
    keys = {m.submission.respondent_key for m in matters}
    new_ids = {m.pk for m in matters}
    candidates = list(Matter.objects.filter(received_at__gte=earliest, submission__respondent_key__in=keys)
                      .exclude(pk__in=new_ids).select_related("submission")
                      .order_by("-received_at", "-pk")[:int(MAX_CANDIDATES.get())])
    features = {}  # per submission, computed once for the batch
    groups: dict[tuple[str, str], list[tuple]] = {}  # (respondent, kind) → (received_at, pk, submission, matter, new)
    for m, new in [*((c, False) for c in candidates), *((m, True) for m in matters)]:
        if m.submission_id not in features:
            features[m.submission_id] = _features(m.submission)
        groups.setdefault((m.submission.respondent_key, m.kind), []).append(
            (m.received_at, m.pk, m.submission_id, m, new))
    for entries in groups.values():
        entries.sort(key=lambda e: (e[0], e[1]), reverse=True)  # newest first
    links = []
    for matter in matters:
        mine, at, pk, found = features[matter.submission_id], matter.received_at, matter.pk, 0
        for other_at, other_pk, other_submission, other, new in groups[(matter.submission.respondent_key, matter.kind)]:
            # Only what came before: received earlier, or (same batch) registered before it.
            if other_at > at or other_submission == matter.submission_id or (new and other_pk >= pk):
                continue
            score, shared, same_submitter, similarity = _compare(mine, features[other_submission], threshold)
            if score > 0:
                links.append(DuplicateLink(matter=matter, earlier=other, score=round(score, 3),
                                           reasons=_reasons(shared, same_submitter, similarity, threshold)))
                found += 1
                if found == most:
                    break
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
