from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from ipcity.core.scoping import visible
from ipcity.workdays.calendar import current_calendar
from ipcity.workdays.engine import CalendarNotPublished, Unit, compute_due
from ipcity.workdays.forms import DeadlineCalculatorForm
from ipcity.workdays.models import CalendarDay, CalendarYear, Deadline


@login_required
def calendar_page(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 1990 <= year <= 2100:  # the API's bounds; a year outside 1–9999 would crash the date lookup
        year = today.year
    days = visible(CalendarDay, request.user).filter(date__year=year)
    return render(request, "workdays/calendar.html", {
        "year": year, "days": days, "years": visible(CalendarYear, request.user),
        "year_info": visible(CalendarYear, request.user).filter(year=year).first(),
        "form": DeadlineCalculatorForm(initial={"start": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                                               "amount": 7, "unit": Unit.WORKING_DAYS.value}),
        "deadlines": visible(Deadline, request.user).filter(status__in=Deadline.OPEN_STATUSES)[:50],
    })


def public_calculate(request):
    """HTMX: the due date for a start, an amount and a unit. Public: the holiday schedule is public data."""
    form = DeadlineCalculatorForm(request.GET or None)
    result = error = None
    if form.is_valid():
        start = form.cleaned_data["start"]
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        try:
            result = compute_due(timezone.localtime(start), form.cleaned_data["amount"],
                                 Unit(form.cleaned_data["unit"]), current_calendar())
        except (CalendarNotPublished, ValueError, ValidationError) as exc:
            error = str(exc)
    return render(request, "workdays/_result.html", {"form": form, "result": result, "error": error})


calculate = login_required(public_calculate)
