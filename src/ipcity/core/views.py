from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from ipcity.core import audit
from ipcity.core.actions import record
from ipcity.core.models import AuditEntry
from ipcity.core.navigation import get_section
from ipcity.core.reminders import reminders_for
from ipcity.core.scoping import visible
from ipcity.jobs.models import Job
from ipcity.orgs.models import Contact, Organisation
from ipcity.workdays.models import Deadline


@login_required
def home(request):
    user = request.user
    orgs = visible(Organisation, user)
    deadlines = visible(Deadline, user).filter(status__in=Deadline.OPEN_STATUSES).order_by("due_at")
    context = {
        "org_count": orgs.count(),
        "enterprise_count": orgs.filter(kind=Organisation.Kind.ENTERPRISE).count(),
        "contact_count": visible(Contact, user).count(),
        "open_deadlines": deadlines.select_related("subject_type")[:8],
        "open_deadline_count": deadlines.count(),
        "overdue_count": deadlines.filter(due_at__lt=timezone.now()).count(),
        "recent_jobs": visible(Job, user)[:5],
        "reminders": reminders_for(user, timezone.localdate()),
        "orgs_by_region": [
            {"region": row["region__name"], "count": row["n"]}
            for row in orgs.filter(kind=Organisation.Kind.ENTERPRISE).values("region__code", "region__name")
            .annotate(n=Count("pk")).order_by("region__code")
        ],
    }
    return render(request, "core/home.html", context)


@login_required
def section(request, slug: str):
    found = get_section(slug)
    if found is None:
        raise Http404("没有这个栏目")
    if found.built:
        return redirect(found.href)
    return render(request, "core/section.html", {"section": found})


@login_required
def audit_log(request):
    entries = visible(AuditEntry, request.user)
    if not request.user.has_perm("core.view_auditentry"):
        raise Http404("未找到该页面，或您无权查看")
    action_filter = request.GET.get("action", "").strip()
    if action_filter:
        entries = entries.filter(action__startswith=action_filter)
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    report = None
    if request.method == "POST":
        report = audit.verify_chain()
        record("audit.verify", acting_user=request.user, outcome="success" if report.ok else "failure",
               changes={"checked": report.checked, "problems": len(report.problems)})
    return render(request, "core/audit.html", {"page": page, "report": report, "action_filter": action_filter})
