"""The public credit query (portal, no login): by enterprise name or USCC, the public facts only — whether the
subject is on the 严重违法失信名单 now, and the public summaries of its penalty and other public records. Read
through the scopes as the public (公众): natural persons' records are never public, and nothing personal is shown."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.shortcuts import render

from ipcity.core.scoping import visible
from ipcity.credit.models import CreditRecord, SeriousListing

MAX_SUBJECTS = 20


def _entry(subjects: dict, org) -> dict:
    return subjects.setdefault(org.pk, {"org": org, "listings": [], "records": []})


def query(request):
    q = request.GET.get("q", "").strip()
    public = AnonymousUser()  # the same answer for everyone, logged in or not
    results, error = [], ""
    if q and len(q) < 2:
        error = "请输入至少 2 个字的名称，或 18 位统一社会信用代码"
    elif q:
        is_code = len(q) == 18 and q.isascii() and q.isalnum()
        match = Q(subject__uscc=q.upper()) if is_code else Q(subject__name__icontains=q)
        listings = list(visible(SeriousListing, public).filter(match).select_related("subject"))
        records = list(visible(CreditRecord, public).filter(match).select_related("subject", "issuer")
                       .order_by("-occurred_on", "-pk")[:500])
        subjects: dict[int, dict] = {}
        for item in listings:
            _entry(subjects, item.subject)["listings"].append(item)
        for rec in records:
            _entry(subjects, rec.subject)["records"].append(rec)
        results = sorted(subjects.values(), key=lambda s: s["org"].name)[:MAX_SUBJECTS]
    return render(request, "credit/public_query.html", {"q": q, "results": results, "error": error})
