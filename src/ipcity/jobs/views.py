from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from ipcity.core.scoping import get_visible_or_404, visible
from ipcity.jobs.models import Job


@login_required
def job_list(request):
    page = Paginator(visible(Job, request.user).select_related("created_by"), 30).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_detail(request, pk):
    job = get_visible_or_404(Job, request.user, pk=pk)
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})
