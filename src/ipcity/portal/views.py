from django.shortcuts import render

from ipcity.workdays.forms import DeadlineCalculatorForm
from ipcity.workdays.engine import Unit


def index(request):
    """The public portal (公众服务): no login; shows only public information."""
    return render(request, "portal/index.html", {
        "form": DeadlineCalculatorForm(initial={"amount": 15, "unit": Unit.DAYS.value}),
    })
